//! A holiday calendar as an iCalendar file (RFC 5545), as calendar programs publish them: each all-day VEVENT
//! (`DTSTART;VALUE=DATE`, an optional exclusive `DTEND`) is a holiday, or an adjusted workday when its SUMMARY
//! says 班 / 补班 / 调休上班 / "working day". Folded lines and CRLF are read; recurring or timed events are refused
//! rather than guessed at; errors name the line of the event and the property.

mod content;
mod summary;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use content::{date_value, duration_days, property, unescape, unfold, Property};
use summary::{kind_of, name_of};

use super::CalendarDay;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::sheets::RowError;

/// Most events a file may hold (a holiday feed of ten years has a few hundred).
const MAX_EVENTS: usize = 5_000;
/// Longest event, in days (the longest break is nine days).
const MAX_EVENT_DAYS: i64 = 31;

/// A file refused whole, saying why and what would be accepted.
pub(super) fn not_a_calendar(zh: &str, en: &str) -> ServiceError {
    ServiceError::Invalid {
        field: "file",
        message: Text::new(
            format!("这不是可导入的日历文件：{zh}。请上传 ICS 文件，或含 日期、类型、名称 列的 CSV 文件"),
            format!("This is not a calendar file that can be imported: {en}. Upload an ICS file, or a CSV file with the columns date, kind, name"),
        ),
    }
}

/// An event as read so far.
#[derive(Default)]
struct Event {
    line: usize,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    days: Option<i64>,
    summary: Option<String>,
    cancelled: bool,
    /// A property was refused (and reported): the event sets nothing.
    refused: bool,
}

impl Event {
    /// Takes one property of the event; a refusal is reported by the event's line and the property.
    fn take(&mut self, p: &Property<'_>, errors: &mut Vec<RowError>) {
        let mut refuse = |zh: &str, en: &str| {
            errors.push((
                self.line,
                p.name.clone(),
                Text::new(zh.to_string(), en.to_string()),
            ));
            self.refused = true;
        };
        match p.name.as_str() {
            "DTSTART" | "DTEND" => match date_value(p) {
                Ok(d) if p.name == "DTSTART" => self.start = Some(d),
                Ok(d) => self.end = Some(d),
                Err((zh, en)) => refuse(zh, en),
            },
            "DURATION" => match duration_days(p.value) {
                Some(n) => self.days = Some(n),
                None => refuse(
                    "持续时间应为整天数，例如 P3D",
                    "A duration is whole days, e.g. P3D",
                ),
            },
            "SUMMARY" => self.summary = Some(unescape(p.value).trim().to_string()),
            "STATUS" => self.cancelled = p.value.trim().eq_ignore_ascii_case("CANCELLED"),
            "RRULE" | "RDATE" => refuse(
                "不能导入重复事件：每年的放假安排不同，请逐日列出",
                "Recurring events cannot be imported: each year's arrangement differs, so list its days",
            ),
            _ => {}
        }
    }
}

/// Adds the days of a finished event, or its refusals: each day once, and never as two kinds.
fn finish(e: &Event, days: &mut BTreeMap<NaiveDate, CalendarDay>, errors: &mut Vec<RowError>) {
    if e.cancelled || e.refused {
        return;
    }
    let mut refuse = |column: &str, zh: String, en: String| {
        errors.push((e.line, column.to_string(), Text::new(zh, en)));
    };
    let Some(start) = e.start else {
        return refuse(
            "DTSTART",
            "事件缺少开始日期 DTSTART".into(),
            "The event has no DTSTART".into(),
        );
    };
    let span = match (e.end, e.days) {
        (Some(end), _) => (end - start).num_days(),
        (None, Some(days)) => days,
        (None, None) => 1,
    };
    if !(1..=MAX_EVENT_DAYS).contains(&span) {
        return refuse(
            "DTEND",
            format!("事件应持续 1–{MAX_EVENT_DAYS} 天（DTEND 为结束日的次日）"),
            format!("An event lasts 1–{MAX_EVENT_DAYS} days (DTEND is the day after the last)"),
        );
    }
    let Some(summary) = e.summary.as_deref().filter(|s| !s.is_empty()) else {
        return refuse(
            "SUMMARY",
            "事件缺少名称 SUMMARY".into(),
            "The event has no SUMMARY".into(),
        );
    };
    let kind = kind_of(summary);
    let name = name_of(summary, kind);
    for date in start.iter_days().take(span as usize) {
        match CalendarDay::parse(date, kind, &name) {
            Ok(day) => match days.get(&date) {
                Some(o) if o.kind != kind => refuse(
                    "DTSTART",
                    format!(
                        "{date} 既是{}又是{}",
                        o.kind.label(Lang::Zh),
                        kind.label(Lang::Zh)
                    ),
                    format!(
                        "{date} is both a {} and a {}",
                        o.kind.label(Lang::En),
                        kind.label(Lang::En)
                    ),
                ),
                Some(_) => {}
                None => {
                    days.insert(date, day);
                }
            },
            Err(err) => {
                let column = match err {
                    ServiceError::Invalid { field: "name", .. } => "SUMMARY",
                    _ => "DTSTART",
                };
                refuse(column, err.message(Lang::Zh), err.message(Lang::En));
            }
        }
    }
}

/// Where the reader is.
enum At {
    /// Outside any calendar (before the first, or after one ends).
    Outside,
    /// In a calendar, or in one of its components that is not an event (a time zone) `depth` deep.
    Calendar { depth: usize },
    /// In an event, or in one of its components (an alarm) `depth` deep.
    Event { event: Event, depth: usize },
}

/// Reads every day an iCalendar file sets. All or nothing: every bad event is reported by its line.
pub(super) fn parse_ics(text: &str) -> ServiceResult<Vec<CalendarDay>> {
    let (mut at, mut calendars, mut events) = (At::Outside, 0usize, 0usize);
    let (mut days, mut errors) = (BTreeMap::new(), Vec::new());
    for (line, text) in unfold(text)? {
        if text.trim().is_empty() {
            continue;
        }
        let p = property(&text).ok_or_else(|| {
            not_a_calendar(
                &format!("第 {line} 行无法识别"),
                &format!("line {line} cannot be read"),
            )
        })?;
        let component = p.value.trim().to_ascii_uppercase();
        at = match (at, p.name.as_str()) {
            (At::Outside, "BEGIN") if component == "VCALENDAR" => {
                calendars += 1;
                At::Calendar { depth: 0 }
            }
            (At::Outside, _) => {
                return Err(not_a_calendar(
                    &format!("第 {line} 行不在 BEGIN:VCALENDAR 与 END:VCALENDAR 之间"),
                    &format!("line {line} is not between BEGIN:VCALENDAR and END:VCALENDAR"),
                ))
            }
            (At::Calendar { depth: 0 }, "BEGIN") if component == "VEVENT" => {
                events += 1;
                if events > MAX_EVENTS {
                    return Err(not_a_calendar(
                        &format!("事件超过 {MAX_EVENTS} 个"),
                        &format!("it holds more than {MAX_EVENTS} events"),
                    ));
                }
                let event = Event {
                    line,
                    ..Event::default()
                };
                At::Event { event, depth: 0 }
            }
            (At::Calendar { depth: 0 }, "END") if component == "VCALENDAR" => At::Outside,
            (At::Calendar { depth }, "BEGIN") => At::Calendar { depth: depth + 1 },
            (At::Calendar { depth }, "END") => At::Calendar {
                depth: depth.saturating_sub(1),
            },
            (At::Event { event, depth: 0 }, "END") if component == "VEVENT" => {
                finish(&event, &mut days, &mut errors);
                At::Calendar { depth: 0 }
            }
            (At::Event { depth: 0, .. }, "BEGIN") if component == "VEVENT" => {
                return Err(not_a_calendar(
                    &format!("第 {line} 行的事件开始于另一个事件之内"),
                    &format!("the event on line {line} begins inside another"),
                ))
            }
            (At::Event { event, depth }, "BEGIN") => At::Event {
                event,
                depth: depth + 1,
            },
            (At::Event { event, depth }, "END") if depth > 0 => At::Event {
                event,
                depth: depth - 1,
            },
            (
                At::Event {
                    mut event,
                    depth: 0,
                },
                _,
            ) => {
                event.take(&p, &mut errors);
                At::Event { event, depth: 0 }
            }
            (other, _) => other,
        };
    }
    match at {
        At::Outside if calendars > 0 => {}
        At::Outside => return Err(not_a_calendar("文件是空的", "the file is empty")),
        _ => {
            return Err(not_a_calendar(
                "文件不完整，缺少 END:VCALENDAR",
                "the file is cut short (no END:VCALENDAR)",
            ))
        }
    }
    if errors.is_empty() {
        Ok(days.into_values().collect())
    } else {
        Err(ServiceError::InvalidRows(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::content::MAX_LINE;
    use super::*;
    use crate::calendar::model::DayKind;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ics(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    }

    #[test]
    fn a_multi_day_event_ends_the_day_before_dtend_and_a_workday_event_is_an_adjusted_workday() {
        let days = parse_ics(&ics(
            "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261008\r\nSUMMARY:国庆节\r\n\
             BEGIN:VALARM\r\nACTION:DISPLAY\r\nDTSTART:20260930T090000\r\nEND:VALARM\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261010\r\nSUMMARY:国庆节 补班\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART:20260214\r\nDTEND:20260215\r\nSUMMARY:Working day (Spring Festival)\r\nEND:VEVENT\r\n",
        ))
        .unwrap();
        let holidays: Vec<NaiveDate> = days
            .iter()
            .filter(|x| x.kind == DayKind::Holiday)
            .map(|x| x.date)
            .collect();
        assert_eq!(holidays.first(), Some(&d("2026-10-01")));
        assert_eq!(holidays.last(), Some(&d("2026-10-07")));
        assert_eq!(holidays.len(), 7);
        let worked: Vec<(NaiveDate, &str)> = days
            .iter()
            .filter(|x| x.kind == DayKind::AdjustedWorkday)
            .map(|x| (x.date, x.name.as_str()))
            .collect();
        assert_eq!(
            worked,
            [
                (d("2026-02-14"), "Spring Festival"),
                (d("2026-10-10"), "国庆节")
            ]
        );
    }

    #[test]
    fn folded_lines_lf_endings_and_escapes_are_read() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:202\n 60215\nDTEND;VALUE=DATE:20260224\nSUMMARY:春节\\, 放\n\t假\nEND:VEVENT\nEND:VCALENDAR";
        let days = parse_ics(text).unwrap();
        assert_eq!(days.len(), 9);
        assert_eq!(days[0].date, d("2026-02-15"));
        assert_eq!(days[0].name, "春节");
    }

    #[test]
    fn what_cannot_be_a_holiday_arrangement_is_refused_by_line() {
        let rows = |text: &str| match parse_ics(text).unwrap_err() {
            ServiceError::InvalidRows(rows) => {
                rows.into_iter().map(|(r, c, _)| (r, c)).collect::<Vec<_>>()
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(
            rows(&ics(
                "BEGIN:VEVENT\r\nDTSTART:20261001T080000Z\r\nSUMMARY:会议\r\nEND:VEVENT\r\n"
            )),
            [(4, "DTSTART".into())]
        );
        assert_eq!(
            rows(&ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:元旦\r\nEND:VEVENT\r\n")),
            [(4, "RRULE".into())]
        );
        assert_eq!(
            rows(&ics(
                "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261007\r\nSUMMARY:补班\r\nEND:VEVENT\r\n"
            )),
            [(4, "DTSTART".into())]
        );
        assert_eq!(
            rows(&ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20270101\r\nSUMMARY:长假\r\nEND:VEVENT\r\n")),
            [(4, "DTEND".into())]
        );
        assert_eq!(
            rows(&ics(
                "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\nEND:VEVENT\r\n"
            )),
            [(4, "SUMMARY".into())]
        );
    }

    #[test]
    fn a_file_that_is_not_a_whole_calendar_is_refused() {
        let refused = |text: &str| {
            matches!(
                parse_ics(text),
                Err(ServiceError::Invalid { field: "file", .. })
            )
        };
        assert!(refused(""));
        assert!(refused("hello, world\n"));
        assert!(refused(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\n"
        ));
        assert!(refused(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ));
        assert!(refused(&format!(
            "BEGIN:VCALENDAR\r\nX-JUNK:{}\r\nEND:VCALENDAR\r\n",
            "a".repeat(MAX_LINE + 1)
        )));
        assert!(refused("BEGIN:VCALENDAR\r\ngarbage\r\nEND:VCALENDAR\r\n"));
        assert!(refused(&(ics("") + "X-AFTER:1\r\n")));
        // A cancelled event sets nothing.
        let cancelled = ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\nSUMMARY:国庆节\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n");
        assert!(parse_ics(&cancelled).unwrap().is_empty());
    }
}
