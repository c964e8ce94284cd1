//! The states of an annual drill plan and of a drill, and the moves between them.

use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// Where an annual drill plan stands.
    AnnualState, "state", {
        Draft = "draft", "草稿", "Draft";
        Submitted = "submitted", "待审批", "Submitted";
        Approved = "approved", "已批准", "Approved";
        Published = "published", "已发布", "Published";
    }
);

text_enum!(
    /// Where a drill stands.
    DrillState, "state", {
        Draft = "draft", "方案编制", "Scheme in preparation";
        Submitted = "submitted", "方案待审批", "Scheme awaiting approval";
        Approved = "approved", "方案已批准", "Scheme approved";
        Held = "held", "已实施", "Held";
        Evaluated = "evaluated", "已评估", "Evaluated";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
);

fn conflict(zh: &'static str, en: &'static str) -> ServiceError {
    ServiceError::conflict(zh, en)
}

/// A unit submits its annual plan: a draft with at least one drill in it.
pub fn submit_annual(state: AnnualState, items: usize) -> Result<AnnualState, ServiceError> {
    if state != AnnualState::Draft {
        return Err(conflict(
            "只有草稿可以提交审批",
            "Only a draft can be submitted",
        ));
    }
    if items == 0 {
        return Err(ServiceError::invalid(
            "items",
            "年度计划至少要安排一次演练",
            "An annual plan needs at least one drill",
        ));
    }
    Ok(AnnualState::Submitted)
}

/// Office staff approve a submitted plan, or return it to draft with a reason.
pub fn decide_annual(
    state: AnnualState,
    approve: bool,
    note: &str,
) -> Result<AnnualState, ServiceError> {
    if state != AnnualState::Submitted {
        return Err(conflict(
            "只有待审批的年度计划可以审批",
            "Only a submitted plan can be decided",
        ));
    }
    if approve {
        Ok(AnnualState::Approved)
    } else if note.trim().is_empty() {
        Err(ServiceError::invalid(
            "note",
            "退回时请写明原因",
            "Say why the plan is returned",
        ))
    } else {
        Ok(AnnualState::Draft)
    }
}

/// An approved plan is published.
pub fn publish_annual(state: AnnualState) -> Result<AnnualState, ServiceError> {
    match state {
        AnnualState::Approved => Ok(AnnualState::Published),
        _ => Err(conflict(
            "只有已批准的年度计划可以发布",
            "Only an approved plan can be published",
        )),
    }
}

/// Whether changing the drills of a plan in `state` is recorded as a change after approval; refused while it
/// awaits a decision.
pub fn annual_change_recorded(state: AnnualState) -> Result<bool, ServiceError> {
    match state {
        AnnualState::Draft => Ok(false),
        AnnualState::Submitted => Err(conflict(
            "年度计划正在审批，审批后再修改",
            "The plan awaits a decision; change it afterwards",
        )),
        AnnualState::Approved | AnnualState::Published => Ok(true),
    }
}

/// A scheme is submitted for approval: a draft with at least one objective.
pub fn submit_drill(state: DrillState, objectives: usize) -> Result<DrillState, ServiceError> {
    if state != DrillState::Draft {
        return Err(conflict(
            "只有编制中的方案可以提交审批",
            "Only a scheme in preparation can be submitted",
        ));
    }
    if objectives == 0 {
        return Err(ServiceError::invalid(
            "objectives",
            "方案至少要有一个演练目标",
            "A scheme needs at least one objective",
        ));
    }
    Ok(DrillState::Submitted)
}

/// A scheme is approved (by someone other than who wrote it) or returned with a reason.
pub fn decide_drill(
    state: DrillState,
    author: i64,
    decider: i64,
    approve: bool,
    note: &str,
) -> Result<DrillState, ServiceError> {
    if state != DrillState::Submitted {
        return Err(conflict(
            "只有待审批的方案可以审批",
            "Only a submitted scheme can be decided",
        ));
    }
    if author == decider {
        return Err(conflict(
            "方案须由编制人以外的人审批",
            "A scheme is approved by someone other than its author",
        ));
    }
    if approve {
        Ok(DrillState::Approved)
    } else if note.trim().is_empty() {
        Err(ServiceError::invalid(
            "note",
            "退回时请写明原因",
            "Say why the scheme is returned",
        ))
    } else {
        Ok(DrillState::Draft)
    }
}

/// Attendance and the timeline are recorded on or after the drill's day, once its scheme is approved; the
/// drill is then held.
pub fn record_day(state: DrillState, started: bool) -> Result<DrillState, ServiceError> {
    match state {
        DrillState::Approved | DrillState::Held if started => Ok(DrillState::Held),
        DrillState::Approved | DrillState::Held => Err(conflict(
            "演练当天开始后才能点名和记录",
            "Attendance and the timeline are taken once the drill has begun",
        )),
        _ => Err(conflict(
            "方案批准后才能实施演练",
            "A drill is held once its scheme is approved",
        )),
    }
}

/// A held drill is evaluated once, every objective judged.
pub fn evaluate(
    state: DrillState,
    objectives: usize,
    judged: usize,
) -> Result<DrillState, ServiceError> {
    if state != DrillState::Held {
        return Err(conflict(
            "演练实施后才能评估，且只评估一次",
            "A drill is evaluated once, after it is held",
        ));
    }
    if judged != objectives {
        return Err(ServiceError::invalid(
            "objectives",
            "请对每个演练目标作出评价",
            "Judge every objective",
        ));
    }
    Ok(DrillState::Evaluated)
}

/// A drill not yet held may be cancelled.
pub fn cancel_drill(state: DrillState) -> Result<DrillState, ServiceError> {
    match state {
        DrillState::Draft | DrillState::Submitted | DrillState::Approved => {
            Ok(DrillState::Cancelled)
        }
        _ => Err(conflict(
            "已实施或已取消的演练不能取消",
            "A drill held or cancelled cannot be cancelled",
        )),
    }
}

/// Materials are reserved before the drill is held.
pub fn may_reserve(state: DrillState) -> Result<(), ServiceError> {
    match state {
        DrillState::Draft | DrillState::Submitted | DrillState::Approved => Ok(()),
        _ => Err(conflict(
            "演练已实施或已取消，不能再预留物资",
            "The drill is held or cancelled: nothing more can be reserved",
        )),
    }
}

/// Materials are issued once the scheme is approved.
pub fn may_issue(state: DrillState) -> Result<(), ServiceError> {
    match state {
        DrillState::Approved | DrillState::Held => Ok(()),
        _ => Err(conflict(
            "方案批准后才能出库演练物资",
            "Materials are issued once the scheme is approved",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annual_plan_goes_from_draft_to_published_through_the_office() {
        assert!(submit_annual(AnnualState::Draft, 0).is_err());
        let s = submit_annual(AnnualState::Draft, 2).unwrap();
        assert!(decide_annual(s, false, "").is_err());
        assert_eq!(
            decide_annual(s, false, "补充桌面演练").unwrap(),
            AnnualState::Draft
        );
        let s = decide_annual(s, true, "").unwrap();
        assert!(submit_annual(s, 2).is_err());
        assert_eq!(publish_annual(s).unwrap(), AnnualState::Published);
        assert!(publish_annual(AnnualState::Draft).is_err());
    }

    #[test]
    fn changes_after_approval_are_recorded_and_none_while_it_waits() {
        assert!(!annual_change_recorded(AnnualState::Draft).unwrap());
        assert!(annual_change_recorded(AnnualState::Submitted).is_err());
        assert!(annual_change_recorded(AnnualState::Approved).unwrap());
        assert!(annual_change_recorded(AnnualState::Published).unwrap());
    }

    #[test]
    fn a_scheme_is_approved_by_someone_else() {
        assert!(submit_drill(DrillState::Draft, 0).is_err());
        let s = submit_drill(DrillState::Draft, 1).unwrap();
        assert!(decide_drill(s, 5, 5, true, "").is_err());
        assert_eq!(
            decide_drill(s, 5, 6, true, "").unwrap(),
            DrillState::Approved
        );
        assert_eq!(
            decide_drill(s, 5, 6, false, "时间不合适").unwrap(),
            DrillState::Draft
        );
    }

    #[test]
    fn a_drill_is_held_on_its_day_and_evaluated_once() {
        assert!(record_day(DrillState::Submitted, true).is_err());
        assert!(record_day(DrillState::Approved, false).is_err());
        let s = record_day(DrillState::Approved, true).unwrap();
        assert_eq!(s, DrillState::Held);
        assert!(evaluate(s, 3, 2).is_err());
        let s = evaluate(s, 3, 3).unwrap();
        assert!(evaluate(s, 3, 3).is_err());
        assert!(cancel_drill(s).is_err());
        assert!(may_reserve(s).is_err());
    }
}
