//! Queries of the drills area. Never commits.

pub mod actions;
pub mod annual;
pub mod drills;
pub mod feeds;
pub mod registry;

use crate::db::codes::text_columns;
use crate::drills::model::{
    ActionState, AnnualState, DrillContent, DrillForm, DrillGrade, DrillSector, DrillState,
    ObjectiveResult, PlanLevel,
};

text_columns!(
    DrillSector,
    PlanLevel,
    DrillContent,
    DrillForm,
    DrillGrade,
    ObjectiveResult,
    AnnualState,
    DrillState,
    ActionState,
);
