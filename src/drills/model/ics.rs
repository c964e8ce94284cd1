//! The district's drills as an iCalendar feed (RFC 5545): one event per drill, times in UTC, text escaped,
//! long lines folded at 75 octets without splitting a character.

use chrono::NaiveDateTime;

/// A drill as a calendar event.
#[derive(Debug, Clone)]
pub struct IcsEvent {
    pub uid: String,
    pub stamp: NaiveDateTime,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: String,
    pub cancelled: bool,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn utc(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The feed: its name, the office's zone (named for calendar programs; the times themselves are UTC) and
/// its events.
pub fn ics_calendar(name: &str, tz: &str, events: &[IcsEvent]) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//standby//drills//ZH",
        "CALSCALE:GREGORIAN",
    ] {
        fold(l, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    fold(&format!("X-WR-TIMEZONE:{}", escape(tz)), &mut out);
    // Subscribed calendars fetch again after an hour rather than a program's default of a day or a week.
    fold("REFRESH-INTERVAL;VALUE=DURATION:PT1H", &mut out);
    fold("X-PUBLISHED-TTL:PT1H", &mut out);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", e.uid), &mut out);
        fold(&format!("DTSTAMP:{}", utc(e.stamp)), &mut out);
        fold(&format!("DTSTART:{}", utc(e.starts)), &mut out);
        fold(&format!("DTEND:{}", utc(e.ends)), &mut out);
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        if !e.location.is_empty() {
            fold(&format!("LOCATION:{}", escape(&e.location)), &mut out);
        }
        fold(&format!("DESCRIPTION:{}", escape(&e.description)), &mut out);
        fold(&format!("URL:{}", e.url), &mut out);
        if e.cancelled {
            fold("STATUS:CANCELLED", &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_escapes_text_and_folds_long_lines_on_character_boundaries() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 10)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        let e = IcsEvent {
            uid: "drill-1@standby".into(),
            stamp: t,
            starts: t,
            ends: t + chrono::Duration::hours(2),
            summary: "东太湖温泉大酒店：消防疏散演练; 第二次, 全员".into(),
            location: String::new(),
            description: "一\n二".repeat(30),
            url: "http://x/drills/1".into(),
            cancelled: false,
        };
        let s = ics_calendar("演练", "Asia/Shanghai", &[e]);
        assert!(s.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(s.contains("DTSTART:20261210T013000Z\r\n"));
        assert!(s.contains("X-WR-TIMEZONE:Asia/Shanghai\r\n"));
        assert!(s.contains("演练\\; 第二次\\, 全员"));
        assert!(s.contains("一\\n二"));
        for line in s.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(!s.contains("LOCATION"));
        assert!(s.ends_with("END:VCALENDAR\r\n"));
    }
}
