//! What people submit about rosters, checked at the edge: every rule a form and the API share.

use chrono::NaiveDate;

use super::{check_period, Composition, Need, Pattern, Period, PeriodKind, PresencePlan};
use crate::error::ServiceError;
use crate::org::model::{optional_text, phone, required_text};

/// A roster (值班表) as created or edited.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterInput {
    pub unit_id: i64,
    pub name: String,
    pub pattern: Pattern,
    pub composition: Composition,
    pub duty_phone: String,
    /// Minutes after the changeover by which the handover must be signed before the leader is reminded.
    pub handover_minutes: i32,
    /// What the outgoing officer ticks at handover, one item per line.
    pub checklist: Vec<String>,
    /// Hours before a shift that its people are reminded (unless they chose their own lead).
    pub remind_hours: i32,
    /// Unannounced presence checks per shift (none unless set with [`RosterInput::with_presence`]).
    pub presence: PresencePlan,
}

/// The numbers of a roster form: leaders and officers on workdays, weekends and holidays.
pub type Needs = [(i64, i64); 3];

impl RosterInput {
    /// Checks a roster: a name, a pattern, a composition per kind of day, a duty phone, a handover limit of
    /// 5–240 minutes, a reminder 1–72 hours ahead, a checklist of at most 20 short items.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        unit_id: i64,
        name: &str,
        pattern: &str,
        needs: Needs,
        duty_phone: &str,
        handover_minutes: i64,
        checklist: &str,
        remind_hours: i64,
    ) -> Result<RosterInput, ServiceError> {
        let composition = Composition {
            workday: Need::parse("workday", needs[0].0, needs[0].1)?,
            weekend: Need::parse("weekend", needs[1].0, needs[1].1)?,
            holiday: Need::parse("holiday", needs[2].0, needs[2].1)?,
        };
        if !(5..=240).contains(&handover_minutes) {
            return Err(ServiceError::invalid(
                "handover_minutes",
                "交接班签字时限应为 5–240 分钟",
                "The handover must be signed within 5–240 minutes",
            ));
        }
        if !(1..=72).contains(&remind_hours) {
            return Err(ServiceError::invalid(
                "remind_hours",
                "班前提醒应提前 1–72 小时",
                "Shift reminders go 1–72 hours ahead",
            ));
        }
        let checklist: Vec<String> = checklist
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| optional_text("checklist", l, 60))
            .collect::<Result<_, _>>()?;
        if checklist.len() > 20 {
            return Err(ServiceError::invalid(
                "checklist",
                "交接检查项最多 20 项",
                "At most 20 handover checklist items",
            ));
        }
        Ok(RosterInput {
            unit_id,
            name: required_text("name", name, 100)?,
            pattern: Pattern::parse(pattern)?,
            composition,
            duty_phone: phone("duty_phone", duty_phone)?,
            handover_minutes: handover_minutes as i32,
            checklist,
            remind_hours: remind_hours as i32,
            presence: PresencePlan::default(),
        })
    }

    /// The roster with unannounced presence checks.
    pub fn with_presence(self, presence: PresencePlan) -> RosterInput {
        RosterInput { presence, ..self }
    }
}

/// A period with its own composition, as submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodInput {
    pub kind: PeriodKind,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub need: Need,
}

impl PeriodInput {
    /// Checks a period against the roster's others (which must not overlap it).
    pub fn parse(
        kind: PeriodKind,
        name: &str,
        (starts_on, ends_on): (NaiveDate, NaiveDate),
        (leaders, officers): (i64, i64),
        others: &[Period],
    ) -> Result<PeriodInput, ServiceError> {
        check_period(starts_on, ends_on, others)?;
        Ok(PeriodInput {
            kind,
            name: required_text("name", name, 40)?,
            starts_on,
            ends_on,
            need: Need::parse("need", leaders, officers)?,
        })
    }
}

/// The days a roster is generated for: at most 92 (a quarter), not ending before `today`.
pub fn check_range(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<(), ServiceError> {
    if to < from || (to - from).num_days() >= 92 {
        return Err(ServiceError::invalid(
            "to",
            "排班日期范围应为 1–92 天（最多一个季度），结束不早于开始",
            "Roster 1–92 days at a time (a quarter at most), the end not before the start",
        ));
    }
    if to < today {
        return Err(ServiceError::invalid(
            "to",
            "不能为已经过去的日期排班",
            "Days that have passed cannot be rostered",
        ));
    }
    Ok(())
}

/// A note kept with a change or an unavailability: up to 200 characters.
pub fn reason(text: &str) -> Result<String, ServiceError> {
    optional_text("reason", text, 200)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn roster(pattern: &str, needs: Needs, minutes: i64) -> Result<RosterInput, ServiceError> {
        RosterInput::parse(
            1,
            "区应急局总值班",
            pattern,
            needs,
            "0571-8888",
            minutes,
            "通讯设备测试\n\n 文件移交 ",
            24,
        )
    }

    #[test]
    fn a_roster_is_checked_field_by_field() {
        let r = roster("08:30", [(1, 1), (1, 1), (1, 2)], 30).unwrap();
        assert_eq!(r.checklist, vec!["通讯设备测试", "文件移交"]);
        assert_eq!(r.composition.holiday.officers, 2);
        let field = |e: ServiceError| match e {
            ServiceError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(roster("8点", [(1, 1); 3], 30).unwrap_err()),
            "shift_starts"
        );
        assert_eq!(
            field(roster("08:30", [(1, 1), (0, 0), (1, 1)], 30).unwrap_err()),
            "weekend"
        );
        assert_eq!(
            field(roster("08:30", [(1, 1); 3], 2).unwrap_err()),
            "handover_minutes"
        );
    }

    #[test]
    fn ranges_are_a_quarter_at_most_and_not_in_the_past() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert!(check_range(d(12, 1), d(12, 31), d(11, 30)).is_ok());
        assert!(check_range(d(12, 1), d(3, 1), d(11, 30)).is_err());
        assert!(check_range(d(10, 1), d(11, 29), d(11, 30)).is_err());
        assert!(check_range(d(12, 2), d(12, 1), d(11, 30)).is_err());
    }
}
