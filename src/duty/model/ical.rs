//! Duty as an iCalendar feed (RFC 5545) that calendar programs subscribe to: times in the office's zone
//! (`DTSTART;TZID=Asia/Shanghai:…`) with a VTIMEZONE built from the tz database for the feed's span, text
//! escaped, lines folded at 75 octets between characters, CRLF line ends.

use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// One event of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Stable across fetches, so that a calendar program replaces the event instead of adding another.
    pub uid: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub location: String,
    /// A page about the event.
    pub url: String,
    /// Goes up each time the event's people change.
    pub sequence: i64,
}

/// A feed: its name, the office's zone, when it was written and its events.
#[derive(Debug, Clone)]
pub struct Feed<'a> {
    pub name: &'a str,
    pub tz: Tz,
    pub now: DateTime<Utc>,
    pub events: &'a [FeedEvent],
}

/// The feed as an iCalendar file.
pub fn calendar(feed: &Feed<'_>) -> String {
    let mut out = String::new();
    let mut line = |l: &str| fold(l, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//standby//duty feed//ZH");
    line("CALSCALE:GREGORIAN");
    line(&format!("X-WR-CALNAME:{}", escape(feed.name)));
    line(&format!("X-WR-TIMEZONE:{}", feed.tz.name()));
    line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    line("X-PUBLISHED-TTL:PT1H");
    let from = feed.events.iter().map(|e| e.starts_at).min();
    let to = feed.events.iter().map(|e| e.ends_at).max();
    for l in vtimezone(feed.tz, from.unwrap_or(feed.now), to.unwrap_or(feed.now)) {
        line(&l);
    }
    let stamp = feed.now.format("%Y%m%dT%H%M%SZ").to_string();
    for e in feed.events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape(&e.uid)));
        line(&format!("DTSTAMP:{stamp}"));
        line(&date_time("DTSTART", e.starts_at, feed.tz));
        line(&date_time("DTEND", e.ends_at, feed.tz));
        line(&format!("SEQUENCE:{}", e.sequence.max(0)));
        line(&format!("SUMMARY:{}", escape(&e.summary)));
        line(&format!("DESCRIPTION:{}", escape(&e.description)));
        if !e.location.is_empty() {
            line(&format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.url.is_empty() {
            line(&format!("URL:{}", e.url));
        }
        line("STATUS:CONFIRMED");
        line("TRANSP:OPAQUE");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// Text as a property value: backslash, semicolon, comma and newline escaped; other control characters
/// (which a TEXT value may not hold) dropped.
pub fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded at 75 octets (a continuation line starts with a space, which counts),
/// never inside a character, ending with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// `NAME;TZID=zone:local` for an instant. A wall-clock time that happens twice (the clocks going back)
/// means its first occurrence (RFC 5545, 3.3.5), so the second one is written in UTC.
fn date_time(name: &str, t: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz).naive_local();
    match tz.from_local_datetime(&local).earliest() {
        Some(first) if first.with_timezone(&Utc) == t => {
            format!(
                "{name};TZID={}:{}",
                tz.name(),
                local.format("%Y%m%dT%H%M%S")
            )
        }
        _ => format!("{name}:{}", t.format("%Y%m%dT%H%M%SZ")),
    }
}

/// What the zone's clocks say from an instant on: the offset from UTC in seconds, daylight saving, name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clocks {
    offset: i32,
    daylight: bool,
    name: Option<String>,
}

fn clocks(tz: Tz, t: DateTime<Utc>) -> Clocks {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    Clocks {
        offset: o.fix().local_minus_utc(),
        daylight: !o.dst_offset().is_zero(),
        name: o.abbreviation().map(str::to_string),
    }
}

/// The instants in `(from, to]` at which the zone changes its clocks, with the clocks before and after.
fn changes(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, Clocks, Clocks)> {
    let mut out = Vec::new();
    let mut t = from;
    let mut before = clocks(tz, t);
    while t < to {
        let next = (t + Duration::days(1)).min(to);
        let after = clocks(tz, next);
        if after.offset != before.offset || after.daylight != before.daylight {
            // Clocks change at most once a day: find the second they do.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if clocks(tz, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((hi, before, after.clone()));
        }
        before = after;
        t = next;
    }
    out
}

/// The zone's VTIMEZONE for events in `[from, to]`: the observance in force at `from` (found up to a year
/// back; otherwise one that has always held, as for a zone without daylight saving) and one for each
/// change of the clocks until `to`.
fn vtimezone(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
    let found = changes(tz, from - Duration::days(366), to);
    let first_in_span = found.iter().position(|(at, _, _)| *at > from);
    let keep = match first_in_span {
        Some(0) => 0,
        Some(i) => i - 1,
        None => found.len().saturating_sub(1),
    };
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", tz.name())];
    let mut observance = |onset: NaiveDateTime, before: &Clocks, after: &Clocks| {
        let kind = if after.daylight {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        lines.push(format!("BEGIN:{kind}"));
        lines.push(format!("DTSTART:{}", onset.format("%Y%m%dT%H%M%S")));
        lines.push(format!("TZOFFSETFROM:{}", utc_offset(before.offset)));
        lines.push(format!("TZOFFSETTO:{}", utc_offset(after.offset)));
        if let Some(name) = &after.name {
            lines.push(format!("TZNAME:{}", escape(name)));
        }
        lines.push(format!("END:{kind}"));
    };
    let in_force = found.get(keep).filter(|(at, _, _)| *at <= from);
    if in_force.is_none() {
        let now = clocks(tz, from);
        let epoch = DateTime::<Utc>::UNIX_EPOCH.naive_utc();
        observance(epoch, &now, &now);
    }
    for (at, before, after) in &found[keep.min(found.len())..] {
        // An observance begins at the local time the clocks showed just before the change.
        observance(
            at.naive_utc() + Duration::seconds(before.offset.into()),
            before,
            after,
        );
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

/// An offset from UTC as iCalendar writes it: `+0800`, `-0330`, `+053328`.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, rest) = (s / 3600, s % 3600 / 60, s % 60);
    if rest == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn event(uid: &str, starts_at: DateTime<Utc>, hours: i64, summary: &str) -> FeedEvent {
        FeedEvent {
            uid: uid.into(),
            starts_at,
            ends_at: starts_at + Duration::hours(hours),
            summary: summary.into(),
            description: "带班领导：陆志明 13800000001\n值班电话：0512-63980110".into(),
            location: "吴江区应急管理局".into(),
            url: "https://standby.example.cn/duty/shifts/1".into(),
            sequence: 2,
        }
    }

    fn unfold(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_newline() {
        assert_eq!(escape("a\\b;c,d\ne\r\u{7}f"), "a\\\\b\\;c\\,d\\nef");
        assert_eq!(
            escape("带班：陆志明；值班：钱晓燕"),
            "带班：陆志明；值班：钱晓燕"
        );
    }

    #[test]
    fn long_chinese_lines_fold_at_75_octets_between_characters_and_unfold_to_themselves() {
        let summary =
            "值班：区应急局总值班（带班领导），防汛防台风应急响应期间请保持通讯畅通".repeat(3);
        let e = [event(
            "duty-shift-1-2@standby",
            utc(2026, 12, 1, 0, 30),
            24,
            &summary,
        )];
        let ics = calendar(&Feed {
            name: "值班 · 陆志明",
            tz: Tz::Asia__Shanghai,
            now: utc(2026, 11, 28, 2, 0),
            events: &e,
        });
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "CRLF only");
        for physical in ics.split("\r\n") {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        assert!(ics.split("\r\n").filter(|l| l.starts_with(' ')).count() >= 3);
        let lines = unfold(&ics);
        assert!(lines.contains(&format!("SUMMARY:{}", escape(&summary))));
    }

    #[test]
    fn a_zone_without_daylight_saving_has_one_standard_observance_and_local_times() {
        let e = [event(
            "duty-shift-7@standby",
            utc(2026, 12, 1, 0, 30),
            24,
            "带班：陆志明；值班：钱晓燕",
        )];
        let lines = unfold(&calendar(&Feed {
            name: "区应急局总值班",
            tz: Tz::Asia__Shanghai,
            now: utc(2026, 11, 28, 2, 0),
            events: &e,
        }));
        let tz: Vec<&str> = lines
            .iter()
            .skip_while(|l| *l != "BEGIN:VTIMEZONE")
            .take_while(|l| *l != "END:VTIMEZONE")
            .map(String::as_str)
            .collect();
        assert_eq!(
            tz,
            [
                "BEGIN:VTIMEZONE",
                "TZID:Asia/Shanghai",
                "BEGIN:STANDARD",
                "DTSTART:19700101T000000",
                "TZOFFSETFROM:+0800",
                "TZOFFSETTO:+0800",
                "TZNAME:CST",
                "END:STANDARD"
            ]
        );
        for expected in [
            "X-WR-TIMEZONE:Asia/Shanghai",
            "DTSTART;TZID=Asia/Shanghai:20261201T083000",
            "DTEND;TZID=Asia/Shanghai:20261202T083000",
            "DTSTAMP:20261128T020000Z",
            "UID:duty-shift-7@standby",
            "SEQUENCE:2",
            "DESCRIPTION:带班领导：陆志明 13800000001\\n值班电话：0512-63980110",
        ] {
            assert!(lines.iter().any(|l| l == expected), "{expected}");
        }
    }

    #[test]
    fn a_daylight_saving_zone_gets_its_observances_and_a_repeated_hour_is_written_in_utc() {
        let berlin = Tz::Europe__Berlin;
        let events = [
            // 24 October 08:30 CEST to 25 October 08:30 CET: 25 hours across the change.
            event("a", utc(2026, 10, 24, 6, 30), 25, "a"),
            // 02:30 on 25 October happens twice; this is the second (CET, 01:30 UTC).
            event("b", utc(2026, 10, 25, 1, 30), 1, "b"),
            event("c", utc(2026, 7, 1, 6, 30), 24, "c"),
        ];
        let lines = unfold(&calendar(&Feed {
            name: "Berlin",
            tz: berlin,
            now: utc(2026, 10, 1, 0, 0),
            events: &events,
        }));
        let has = |l: &str| lines.iter().any(|x| x == l);
        assert!(has("DTSTART;TZID=Europe/Berlin:20261024T083000"));
        assert!(has("DTEND;TZID=Europe/Berlin:20261025T083000"));
        assert!(has("DTSTART:20261025T013000Z"), "the second 02:30");
        assert!(has("DTEND;TZID=Europe/Berlin:20261025T033000"));
        // In force since March (found a year back), then the change back in October.
        let joined = lines.join("|");
        assert!(joined.contains(
            "BEGIN:DAYLIGHT|DTSTART:20260329T020000|TZOFFSETFROM:+0100|TZOFFSETTO:+0200|TZNAME:CEST|END:DAYLIGHT"
        ), "{joined}");
        assert!(joined.contains(
            "BEGIN:STANDARD|DTSTART:20261025T030000|TZOFFSETFROM:+0200|TZOFFSETTO:+0100|TZNAME:CET|END:STANDARD"
        ), "{joined}");
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:DAYLIGHT").count(), 1);
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:STANDARD").count(), 1);
    }

    #[test]
    fn offsets_are_written_with_sign_hours_minutes_and_seconds_when_there_are_any() {
        assert_eq!(utc_offset(8 * 3600), "+0800");
        assert_eq!(utc_offset(-(3 * 3600 + 1800)), "-0330");
        assert_eq!(utc_offset(5 * 3600 + 33 * 60 + 28), "+053328");
        assert_eq!(utc_offset(0), "+0000");
    }
}
