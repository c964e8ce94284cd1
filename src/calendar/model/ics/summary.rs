//! What an event's SUMMARY says: a day off or a day worked (班, 补班, 调休上班, "working day"), and the holiday's
//! name without those marks.

use crate::calendar::model::DayKind;
use crate::i18n::Lang;

/// Whether `s` ends with `mark`, ignoring ASCII case.
fn ends_with(s: &str, mark: &str) -> bool {
    s.len() >= mark.len()
        && s.is_char_boundary(s.len() - mark.len())
        && s[s.len() - mark.len()..].eq_ignore_ascii_case(mark)
}

/// Whether `s` starts with `mark`, ignoring ASCII case.
fn starts_with(s: &str, mark: &str) -> bool {
    s.is_char_boundary(mark.len().min(s.len()))
        && s.len() >= mark.len()
        && s[..mark.len()].eq_ignore_ascii_case(mark)
}

/// A summary's kind: a day worked when it says so (班, 补班, 调休上班, working day), else a day off.
pub(super) fn kind_of(summary: &str) -> DayKind {
    if summary.contains('班') || summary.to_ascii_lowercase().contains("working day") {
        DayKind::AdjustedWorkday
    } else {
        DayKind::Holiday
    }
}

/// The holiday's name: the summary without the marks of a day off or a day worked ("春节（休）" → 春节,
/// "国庆节 补班" → 国庆节, "Working day (National Day)" → National Day); a bare mark names the kind.
pub(super) fn name_of(summary: &str, kind: DayKind) -> String {
    const SEPARATORS: &[char] = &[
        ' ', '\t', '-', '–', '—', '·', ':', '：', ',', '，', '、', '(', ')', '（', '）', '[', ']',
        '【', '】',
    ];
    let marks: &[&str] = match kind {
        DayKind::AdjustedWorkday => &["调休上班", "补班", "上班", "班", "working day", "调休"],
        _ => &["放假", "假期", "休息", "休", "holiday", "day off"],
    };
    let mut name = summary.trim_matches(SEPARATORS).to_string();
    loop {
        let before = name.len();
        for m in marks {
            if ends_with(&name, m) {
                name.truncate(name.len() - m.len());
            } else if starts_with(&name, m) {
                name.drain(..m.len());
            }
            name = name.trim_matches(SEPARATORS).to_string();
        }
        if name.len() == before {
            break;
        }
    }
    if name.is_empty() {
        kind.label(Lang::Zh).to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_the_marks_of_days_off_and_days_worked() {
        assert_eq!(name_of("春节（休）", DayKind::Holiday), "春节");
        assert_eq!(
            name_of("劳动节 调休上班", DayKind::AdjustedWorkday),
            "劳动节"
        );
        assert_eq!(name_of("班", DayKind::AdjustedWorkday), "调休上班");
        assert_eq!(
            name_of("National Day holiday", DayKind::Holiday),
            "National Day"
        );
        assert_eq!(kind_of("元旦"), DayKind::Holiday);
        assert_eq!(kind_of("春节补班"), DayKind::AdjustedWorkday);
    }
}
