//! The content lines of an iCalendar file: unfolded (CRLF or LF; a line starting with a space or a tab continues
//! the one before), split into name, parameters and value, and the values an all-day event uses.

use chrono::NaiveDate;

use super::not_a_calendar;
use crate::error::ServiceResult;

/// Longest unfolded line.
pub(super) const MAX_LINE: usize = 10_000;

/// Logical lines with the physical line each begins on: CRLF or LF, a line starting with a space or a tab
/// continues the one before.
pub(super) fn unfold(text: &str) -> ServiceResult<Vec<(usize, String)>> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        match (line.strip_prefix([' ', '\t']), out.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ => out.push((i + 1, line.to_string())),
        }
        if out.last().is_some_and(|(_, l)| l.len() > MAX_LINE) {
            return Err(not_a_calendar(
                &format!("第 {} 行过长", i + 1),
                &format!("line {} is too long", i + 1),
            ));
        }
    }
    Ok(out)
}

/// A content line split into its name (upper case), parameters and value.
pub(super) struct Property<'a> {
    pub(super) name: String,
    pub(super) params: Vec<&'a str>,
    pub(super) value: &'a str,
}

pub(super) fn property(line: &str) -> Option<Property<'_>> {
    // The value begins at the first colon outside a quoted parameter value.
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    })?;
    let mut head = line[..colon].split(';');
    let name = head.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    Some(Property {
        name,
        params: head.collect(),
        value: &line[colon + 1..],
    })
}

/// An all-day date (`20261001`); a time of day is refused with its reason.
pub(super) fn date_value(p: &Property<'_>) -> Result<NaiveDate, (&'static str, &'static str)> {
    let timed = p
        .params
        .iter()
        .any(|x| x.eq_ignore_ascii_case("VALUE=DATE-TIME"))
        || p.value.contains('T');
    if timed {
        return Err((
            "只能导入全天事件（VALUE=DATE），不能导入带时刻的事件",
            "Only all-day events (VALUE=DATE) can be imported, not events at a time of day",
        ));
    }
    NaiveDate::parse_from_str(p.value.trim(), "%Y%m%d")
        .map_err(|_| ("日期应写作 YYYYMMDD", "A date is written YYYYMMDD"))
}

/// `P3D` or `P1W`: the only durations an all-day event has.
pub(super) fn duration_days(v: &str) -> Option<i64> {
    let v = v.trim().strip_prefix('P')?;
    let (n, unit) = v.split_at(v.len().checked_sub(1)?);
    let n: i64 = n.parse().ok()?;
    match unit {
        "D" => Some(n),
        "W" => n.checked_mul(7),
        _ => None,
    }
}

/// Text as iCalendar escapes it.
pub(super) fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_unfold_and_split_at_the_first_colon_outside_quotes() {
        let lines = unfold("A:1\r\nDESCRIPTION:long\r\n  line\r\n\tend\nB;X=\"a:b\":2").unwrap();
        assert_eq!(lines[1], (2, "DESCRIPTION:long lineend".to_string()));
        let p = property(&lines[2].1).unwrap();
        assert_eq!(
            (p.name.as_str(), p.params.as_slice(), p.value),
            ("B", &["X=\"a:b\""][..], "2")
        );
        assert!(property("no colon here").is_none());
        assert_eq!(unescape("春节\\, 放假\\n调休\\;"), "春节, 放假 调休;");
        assert_eq!(
            (
                duration_days("P3D"),
                duration_days("P1W"),
                duration_days("PT3H")
            ),
            (Some(3), Some(7), None)
        );
    }
}
