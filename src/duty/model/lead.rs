//! How long before a shift its person hears of it (班前提醒): as the roster sets it, not at all, or their own
//! 1–72 hours.

use chrono::Duration;

use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// How a person chooses to be reminded of their shifts.
    LeadChoice, "lead", {
        Roster = "roster", "按值班表设置", "As the roster sets it";
        Off = "none", "不提醒", "No reminder";
        Hours = "hours", "自定提前时间", "My own lead";
    }
);

/// A person's reminder lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReminderLead {
    /// The lead of the roster the shift is on.
    #[default]
    Roster,
    /// No reminder before a shift.
    Off,
    /// This many hours (1–72) before each shift.
    Hours(u8),
}

impl ReminderLead {
    /// Checks a choice: `roster`, `none`, or `hours` with 1–72 hours (hours only with `hours`).
    pub fn parse(choice: &str, hours: Option<i64>) -> Result<ReminderLead, ServiceError> {
        match (LeadChoice::parse(choice)?, hours) {
            (LeadChoice::Hours, Some(h)) if (1..=72).contains(&h) => {
                Ok(ReminderLead::Hours(h as u8))
            }
            (LeadChoice::Hours, _) => Err(ServiceError::invalid(
                "hours",
                "提前提醒的小时数应为 1–72",
                "Remind 1–72 hours ahead",
            )),
            (_, Some(_)) => Err(ServiceError::invalid(
                "hours",
                "只有选择“自定提前时间”时才填写小时数",
                "Give hours only with the lead `hours`",
            )),
            (LeadChoice::Roster, None) => Ok(ReminderLead::Roster),
            (LeadChoice::Off, None) => Ok(ReminderLead::Off),
        }
    }

    /// The lead as stored: no row follows the roster; 0 hours is none.
    pub fn from_stored(hours: Option<i32>) -> ReminderLead {
        match hours {
            None => ReminderLead::Roster,
            Some(h) if h <= 0 => ReminderLead::Off,
            Some(h) => ReminderLead::Hours(h.min(72) as u8),
        }
    }

    /// What to store: nothing for the roster's lead, 0 for none, else the hours.
    pub fn stored(self) -> Option<i32> {
        match self {
            ReminderLead::Roster => None,
            ReminderLead::Off => Some(0),
            ReminderLead::Hours(h) => Some(i32::from(h)),
        }
    }

    /// The choice, without its hours.
    pub fn choice(self) -> LeadChoice {
        match self {
            ReminderLead::Roster => LeadChoice::Roster,
            ReminderLead::Off => LeadChoice::Off,
            ReminderLead::Hours(_) => LeadChoice::Hours,
        }
    }

    /// How long before a shift on a roster reminding `roster_hours` ahead the person hears of it; `None`:
    /// not at all.
    pub fn ahead(self, roster_hours: i32) -> Option<Duration> {
        match self {
            ReminderLead::Roster => Some(Duration::hours(i64::from(roster_hours))),
            ReminderLead::Off => None,
            ReminderLead::Hours(h) => Some(Duration::hours(i64::from(h))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_person_follows_the_roster_turns_reminders_off_or_names_one_to_seventy_two_hours() {
        assert_eq!(
            ReminderLead::parse("roster", None).unwrap(),
            ReminderLead::Roster
        );
        assert_eq!(
            ReminderLead::parse("none", None).unwrap(),
            ReminderLead::Off
        );
        assert_eq!(
            ReminderLead::parse("hours", Some(72)).unwrap(),
            ReminderLead::Hours(72)
        );
        let field = |e: ServiceError| match e {
            ServiceError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(ReminderLead::parse("hours", Some(0)).unwrap_err()),
            "hours"
        );
        assert_eq!(
            field(ReminderLead::parse("hours", Some(73)).unwrap_err()),
            "hours"
        );
        assert_eq!(
            field(ReminderLead::parse("hours", None).unwrap_err()),
            "hours"
        );
        assert_eq!(
            field(ReminderLead::parse("none", Some(3)).unwrap_err()),
            "hours"
        );
        assert_eq!(
            field(ReminderLead::parse("soon", None).unwrap_err()),
            "lead"
        );
    }

    #[test]
    fn the_lead_ahead_of_a_shift_is_the_persons_own_else_the_rosters() {
        assert_eq!(ReminderLead::Roster.ahead(24), Some(Duration::hours(24)));
        assert_eq!(ReminderLead::Hours(2).ahead(24), Some(Duration::hours(2)));
        assert_eq!(ReminderLead::Off.ahead(24), None);
    }

    #[test]
    fn a_lead_is_stored_as_hours_with_none_as_zero_and_the_rosters_as_no_row() {
        for lead in [
            ReminderLead::Roster,
            ReminderLead::Off,
            ReminderLead::Hours(6),
        ] {
            assert_eq!(ReminderLead::from_stored(lead.stored()), lead);
        }
    }
}
