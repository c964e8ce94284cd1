//! Inputs checked at the edge: plans, annual drills, schemes, evaluations, corrective actions.

use chrono::{DateTime, Months, NaiveDate, Utc};

use super::{check_months, DrillContent, DrillForm, DrillGrade, ObjectiveResult, PlanLevel};
use crate::error::ServiceError;
use crate::org::model::{optional_text, required_text};

/// Text of several lines (a scenario, a timeline): line ends normalised, each line checked like one-line text,
/// at most `max` characters in all.
pub fn long_text(
    field: &'static str,
    raw: &str,
    max: usize,
    required: bool,
) -> Result<String, ServiceError> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if required && text.is_empty() {
        return Err(ServiceError::invalid(
            field,
            "此项必填",
            "This field is required",
        ));
    }
    if text.chars().count() > max {
        return Err(ServiceError::Invalid {
            field,
            message: crate::i18n::Text::new(
                format!("不能超过 {max} 个字符"),
                format!("At most {max} characters"),
            ),
        });
    }
    let lines = text
        .split('\n')
        .map(|l| optional_text(field, l, max))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lines.join("\n"))
}

/// An emergency plan as registered.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub unit_id: i64,
    pub level: PlanLevel,
    pub title: String,
    pub version: String,
    pub approved_on: NaiveDate,
    pub filed: bool,
    pub filing_no: String,
    pub revision_months: i32,
    /// `None`: from the rule table.
    pub freq_months: Option<u32>,
}

/// The raw parts of a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanRaw<'a> {
    pub title: &'a str,
    pub version: &'a str,
    pub filing_no: &'a str,
    pub revision_months: Option<i64>,
    pub freq_months: Option<i64>,
}

impl PlanInput {
    /// Checks a plan; the approval day is not in the future, a filed plan has its filing number.
    pub fn parse(
        unit_id: i64,
        level: PlanLevel,
        approved_on: NaiveDate,
        filed: bool,
        raw: PlanRaw<'_>,
        today: NaiveDate,
    ) -> Result<PlanInput, ServiceError> {
        if approved_on > today {
            return Err(ServiceError::invalid(
                "approved_on",
                "批准（发布）日期不能晚于今天",
                "The approval day cannot be in the future",
            ));
        }
        let filing_no = optional_text("filing_no", raw.filing_no, 60)?;
        if filed && filing_no.is_empty() {
            return Err(ServiceError::invalid(
                "filing_no",
                "已备案的预案请填写备案编号",
                "A filed plan needs its filing number",
            ));
        }
        let revision_months = raw.revision_months.unwrap_or(36);
        if !(1..=120).contains(&revision_months) {
            return Err(ServiceError::invalid(
                "revision_months",
                "修订周期应为 1 到 120 个月",
                "The revision cycle is 1 to 120 months",
            ));
        }
        Ok(PlanInput {
            unit_id,
            level,
            title: required_text("title", raw.title, 100)?,
            version: optional_text("version", raw.version, 30)?,
            approved_on,
            filed,
            filing_no,
            revision_months: i32::try_from(revision_months).unwrap_or(36),
            freq_months: raw
                .freq_months
                .map(|m| check_months("freq_months", m))
                .transpose()?,
        })
    }

    /// When the plan is next due for revision.
    pub fn next_revision(&self) -> NaiveDate {
        self.approved_on
            .checked_add_months(Months::new(
                u32::try_from(self.revision_months).unwrap_or(36),
            ))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// A drill intended in the year.
#[derive(Debug, Clone)]
pub struct AnnualItemInput {
    pub plan_id: i64,
    pub content: DrillContent,
    pub form: DrillForm,
    pub month: i32,
    pub organiser: String,
    pub participants: String,
}

impl AnnualItemInput {
    /// Checks a drill of the annual plan.
    pub fn parse(
        plan_id: i64,
        content: DrillContent,
        form: DrillForm,
        month: i64,
        organiser: &str,
        participants: &str,
    ) -> Result<AnnualItemInput, ServiceError> {
        if !(1..=12).contains(&month) {
            return Err(ServiceError::invalid(
                "month",
                "月份应为 1 到 12",
                "The month is 1 to 12",
            ));
        }
        Ok(AnnualItemInput {
            plan_id,
            content,
            form,
            month: i32::try_from(month).unwrap_or(1),
            organiser: required_text("organiser", organiser, 60)?,
            participants: optional_text("participants", participants, 200)?,
        })
    }
}

/// A drill's scheme (演练方案).
#[derive(Debug, Clone)]
pub struct SchemeInput {
    pub plan_id: i64,
    pub annual_item_id: Option<i64>,
    pub title: String,
    pub content: DrillContent,
    pub form: DrillForm,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub scenario: String,
    pub timeline: String,
    pub roles: String,
    pub participants: String,
    pub objectives: Vec<String>,
    pub people: Vec<i64>,
    /// Rescue teams from the teams area (outside participants stay in `participants`).
    pub teams: Vec<i64>,
}

/// The raw text of a scheme.
#[derive(Debug, Clone, Default)]
pub struct SchemeText<'a> {
    pub title: &'a str,
    pub place: &'a str,
    pub scenario: &'a str,
    pub timeline: &'a str,
    pub roles: &'a str,
    pub participants: &'a str,
    /// One objective a line.
    pub objectives: &'a str,
}

impl SchemeInput {
    /// Checks a scheme: it ends after it starts and lasts at most three days; objectives one a line.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        plan_id: i64,
        annual_item_id: Option<i64>,
        content: DrillContent,
        form: DrillForm,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        text: SchemeText<'_>,
        (mut people, mut teams): (Vec<i64>, Vec<i64>),
    ) -> Result<SchemeInput, ServiceError> {
        if ends_at <= starts_at {
            return Err(ServiceError::invalid(
                "ends_at",
                "结束时间应晚于开始时间",
                "The drill ends after it starts",
            ));
        }
        if ends_at - starts_at > chrono::Duration::days(3) {
            return Err(ServiceError::invalid(
                "ends_at",
                "一次演练最长三天",
                "A drill lasts at most three days",
            ));
        }
        let objectives: Vec<String> = long_text("objectives", text.objectives, 2000, false)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if objectives.len() > 30 || objectives.iter().any(|o| o.chars().count() > 200) {
            return Err(ServiceError::invalid(
                "objectives",
                "演练目标最多 30 条，每条不超过 200 字",
                "At most 30 objectives of 200 characters each",
            ));
        }
        people.sort_unstable();
        people.dedup();
        if people.len() > 500 {
            return Err(ServiceError::invalid(
                "people",
                "参演人员最多 500 人",
                "At most 500 people take part",
            ));
        }
        teams.sort_unstable();
        teams.dedup();
        if teams.len() > 50 {
            return Err(ServiceError::invalid(
                "team_ids",
                "参演队伍最多 50 支",
                "At most 50 teams take part",
            ));
        }
        Ok(SchemeInput {
            plan_id,
            annual_item_id,
            title: required_text("title", text.title, 100)?,
            content,
            form,
            starts_at,
            ends_at,
            place: optional_text("place", text.place, 100)?,
            scenario: long_text("scenario", text.scenario, 4000, true)?,
            timeline: long_text("timeline", text.timeline, 4000, false)?,
            roles: long_text("roles", text.roles, 2000, false)?,
            participants: long_text("participants", text.participants, 1000, false)?,
            objectives,
            people,
            teams,
        })
    }
}

/// An objective judged.
#[derive(Debug, Clone)]
pub struct Judged {
    pub objective_id: i64,
    pub result: ObjectiveResult,
    pub note: String,
}

/// An evaluation (评估).
#[derive(Debug, Clone)]
pub struct EvaluationInput {
    pub grade: DrillGrade,
    pub went_well: String,
    pub problems: String,
    pub judged: Vec<Judged>,
}

impl EvaluationInput {
    /// Checks an evaluation.
    pub fn parse(
        grade: DrillGrade,
        went_well: &str,
        problems: &str,
        judged: Vec<(i64, ObjectiveResult, String)>,
    ) -> Result<EvaluationInput, ServiceError> {
        Ok(EvaluationInput {
            grade,
            went_well: long_text("went_well", went_well, 4000, false)?,
            problems: long_text("problems", problems, 4000, false)?,
            judged: judged
                .into_iter()
                .map(|(objective_id, result, note)| {
                    Ok(Judged {
                        objective_id,
                        result,
                        note: optional_text("note", &note, 200)?,
                    })
                })
                .collect::<Result<_, ServiceError>>()?,
        })
    }
}

/// A corrective action to open.
#[derive(Debug, Clone)]
pub struct ActionInput {
    pub problem: String,
    pub owner_person_id: i64,
    pub due_on: NaiveDate,
    pub revise_plan: bool,
}

impl ActionInput {
    /// Checks an action: its deadline is not in the past.
    pub fn parse(
        problem: &str,
        owner_person_id: i64,
        due_on: NaiveDate,
        revise_plan: bool,
        today: NaiveDate,
    ) -> Result<ActionInput, ServiceError> {
        if due_on < today {
            return Err(ServiceError::invalid(
                "due_on",
                "整改期限不能早于今天",
                "The deadline cannot be in the past",
            ));
        }
        Ok(ActionInput {
            problem: required_text("problem", problem, 300)?,
            owner_person_id,
            due_on,
            revise_plan,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn long_text_keeps_lines_and_refuses_hidden_characters() {
        assert_eq!(long_text("s", " a\r\nb ", 10, true).unwrap(), "a\nb");
        assert!(long_text("s", "", 10, true).is_err());
        assert!(long_text("s", "a\u{200b}b", 10, true).is_err());
        assert!(long_text("s", "abcdefghijk", 10, true).is_err());
    }

    #[test]
    fn a_filed_plan_needs_its_number_and_a_plan_is_not_approved_in_the_future() {
        let today = d(2026, 11, 30);
        let raw = || PlanRaw {
            title: "防汛专项应急预案",
            ..Default::default()
        };
        assert!(
            PlanInput::parse(1, PlanLevel::Special, d(2026, 12, 1), false, raw(), today).is_err()
        );
        assert!(
            PlanInput::parse(1, PlanLevel::Special, d(2025, 5, 1), true, raw(), today).is_err()
        );
        let p =
            PlanInput::parse(1, PlanLevel::Special, d(2025, 5, 31), false, raw(), today).unwrap();
        assert_eq!(p.next_revision(), d(2028, 5, 31));
        let bad = PlanRaw {
            freq_months: Some(5),
            ..raw()
        };
        assert!(PlanInput::parse(1, PlanLevel::Special, d(2025, 5, 1), false, bad, today).is_err());
    }

    #[test]
    fn an_action_is_not_due_in_the_past() {
        let today = d(2026, 11, 30);
        assert!(ActionInput::parse("补充照明", 1, d(2026, 11, 29), false, today).is_err());
        assert!(ActionInput::parse(" ", 1, d(2026, 12, 29), false, today).is_err());
        assert!(ActionInput::parse("补充照明", 1, d(2026, 12, 29), true, today).is_ok());
    }
}
