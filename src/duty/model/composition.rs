//! Who a shift needs: one leader on duty (带班领导) and duty officers (值班员), by the kind of day, and
//! periods with their own rules (汛期, 节假日, 重要时段).

use chrono::NaiveDate;

use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// A place on a shift.
    DutyRole, "role", {
        Leader = "leader", "带班领导", "Leader on duty";
        Officer = "officer", "值班员", "Duty officer";
    }
);

text_enum!(
    /// A period with its own composition.
    PeriodKind, "kind", {
        Flood = "flood", "汛期", "Flood season";
        Holiday = "holiday", "节假日", "Holiday period";
        Important = "important", "重要时段", "Sensitive period";
    }
);

text_enum!(
    /// The kind of a day as the roster treats it (the holiday calendar's adjusted workdays are workdays).
    DayClass, "day", {
        Workday = "workday", "工作日", "Workday";
        Weekend = "weekend", "休息日", "Weekend";
        Holiday = "holiday", "节假日", "Holiday";
    }
);

/// How many leaders and officers a shift needs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub struct Need {
    pub leaders: u8,
    pub officers: u8,
}

impl Need {
    /// Checks a composition: at most 3 leaders and 10 officers, someone on duty at all.
    pub fn parse(field: &'static str, leaders: i64, officers: i64) -> Result<Need, ServiceError> {
        if !(0..=3).contains(&leaders) || !(0..=10).contains(&officers) || leaders + officers == 0 {
            return Err(ServiceError::invalid(
                field,
                "每班带班领导 0–3 人、值班员 0–10 人，且至少 1 人",
                "A shift needs 0–3 leaders and 0–10 officers, at least one person",
            ));
        }
        Ok(Need {
            leaders: leaders as u8,
            officers: officers as u8,
        })
    }

    /// How many of `role`.
    pub fn of(self, role: DutyRole) -> usize {
        usize::from(match role {
            DutyRole::Leader => self.leaders,
            DutyRole::Officer => self.officers,
        })
    }
}

/// A roster's composition by the kind of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Composition {
    pub workday: Need,
    pub weekend: Need,
    pub holiday: Need,
}

impl Composition {
    /// What a shift on a day of `class` needs.
    pub fn on(&self, class: DayClass) -> Need {
        match class {
            DayClass::Workday => self.workday,
            DayClass::Weekend => self.weekend,
            DayClass::Holiday => self.holiday,
        }
    }
}

/// A period with its own composition (汛期 1 leader + 2 officers, say).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Period {
    pub id: i64,
    pub kind: PeriodKind,
    pub name: String,
    pub starts_on: NaiveDate,
    /// The last day of the period.
    pub ends_on: NaiveDate,
    pub need: Need,
}

impl Period {
    /// Whether the period holds `day`.
    pub fn holds(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }
}

/// What a shift on `day` needs: a period's rule when one holds the day, else the composition by `class`.
pub fn need_on(comp: &Composition, periods: &[Period], day: NaiveDate, class: DayClass) -> Need {
    periods
        .iter()
        .find(|p| p.holds(day))
        .map_or_else(|| comp.on(class), |p| p.need)
}

/// Whether a day's duty belongs in a holiday roster (节假日值班安排), which the office approves before it is
/// published: a public holiday, or a day of a holiday period.
pub fn is_holiday_duty(periods: &[Period], day: NaiveDate, class: DayClass) -> bool {
    class == DayClass::Holiday
        || periods
            .iter()
            .any(|p| p.kind == PeriodKind::Holiday && p.holds(day))
}

/// Refuses a period that overlaps another of the same roster (`others` excludes the one being edited).
pub fn check_period(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    others: &[Period],
) -> Result<(), ServiceError> {
    if ends_on < starts_on || (ends_on - starts_on).num_days() > 366 {
        return Err(ServiceError::invalid(
            "ends_on",
            "结束日期应不早于开始日期，且时段不超过一年",
            "The end must not come before the start, and a period lasts at most a year",
        ));
    }
    if let Some(o) = others
        .iter()
        .find(|o| o.starts_on <= ends_on && starts_on <= o.ends_on)
    {
        return Err(ServiceError::conflict(
            format!(
                "与已有时段“{}”（{}至{}）重叠",
                o.name, o.starts_on, o.ends_on
            ),
            format!(
                "Overlaps the period “{}” ({} to {})",
                o.name, o.starts_on, o.ends_on
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn comp() -> Composition {
        Composition {
            workday: Need {
                leaders: 1,
                officers: 1,
            },
            weekend: Need {
                leaders: 1,
                officers: 1,
            },
            holiday: Need {
                leaders: 1,
                officers: 2,
            },
        }
    }

    fn flood() -> Period {
        Period {
            id: 1,
            kind: PeriodKind::Flood,
            name: "汛期".into(),
            starts_on: d(6, 1),
            ends_on: d(9, 30),
            need: Need {
                leaders: 1,
                officers: 3,
            },
        }
    }

    #[test]
    fn a_period_overrides_the_kind_of_day() {
        let periods = [flood()];
        assert_eq!(
            need_on(&comp(), &periods, d(5, 31), DayClass::Workday).officers,
            1
        );
        assert_eq!(
            need_on(&comp(), &periods, d(5, 1), DayClass::Holiday).officers,
            2
        );
        assert_eq!(
            need_on(&comp(), &periods, d(6, 1), DayClass::Workday).officers,
            3
        );
        assert_eq!(
            need_on(&comp(), &periods, d(9, 30), DayClass::Weekend).officers,
            3
        );
    }

    #[test]
    fn holiday_duty_is_a_public_holiday_or_a_holiday_period() {
        let mut spring = flood();
        spring.kind = PeriodKind::Holiday;
        assert!(is_holiday_duty(&[], d(10, 1), DayClass::Holiday));
        assert!(!is_holiday_duty(&[flood()], d(7, 1), DayClass::Weekend));
        assert!(is_holiday_duty(&[spring], d(7, 1), DayClass::Workday));
    }

    #[test]
    fn overlapping_or_backwards_periods_are_refused() {
        assert!(check_period(d(5, 1), d(5, 31), &[flood()]).is_ok());
        assert!(check_period(d(5, 1), d(6, 1), &[flood()]).is_err());
        assert!(check_period(d(9, 30), d(10, 7), &[flood()]).is_err());
        assert!(check_period(d(10, 7), d(10, 1), &[]).is_err());
        assert!(Need::parse("holiday", 0, 0).is_err());
        assert!(Need::parse("holiday", 4, 1).is_err());
        assert_eq!(
            Need::parse("holiday", 1, 2).unwrap().of(DutyRole::Officer),
            2
        );
    }
}
