//! What a person should do now: each area contributes the tasks of the home page (vouchers to sign, counts
//! due; later shifts, swaps to approve, corrective actions, circulars to acknowledge) through the same
//! registration as its reminders, so the home page iterates areas instead of knowing them.

use std::sync::Arc;

use super::run::Call;
use crate::error::ServiceResult;

/// One line of the home page's list: what to do, how many, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// What to do, in the caller's language.
    pub label: String,
    /// How many of them.
    pub count: i64,
    /// The page where they are done.
    pub link: String,
    /// Shown first and marked: overdue, owed, expired.
    pub urgent: bool,
}

/// An area's contribution to the home page.
pub trait TaskSource: Send + Sync {
    /// The area's name (logs).
    fn area(&self) -> &'static str;
    /// The caller's tasks in this area now (none when there is nothing to do). Read-only.
    fn tasks(&self, call: &mut Call<'_>) -> ServiceResult<Vec<Task>>;
}

/// Every area's tasks.
#[derive(Clone, Default)]
pub struct Tasks(Vec<Arc<dyn TaskSource>>);

impl std::fmt::Debug for Tasks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let areas: Vec<_> = self.0.iter().map(|s| s.area()).collect();
        write!(f, "Tasks({areas:?})")
    }
}

impl Tasks {
    /// The areas given, in the order their tasks are listed.
    pub fn new(sources: Vec<Arc<dyn TaskSource>>) -> Tasks {
        Tasks(sources)
    }

    /// Every area's tasks for the caller, urgent ones first. An area that fails is logged and left out, so
    /// one broken area does not take the home page down.
    pub fn collect(&self, call: &mut Call<'_>) -> Vec<Task> {
        let mut all = Vec::new();
        for source in &self.0 {
            match source.tasks(call) {
                Ok(tasks) => all.extend(tasks.into_iter().filter(|t| t.count > 0)),
                Err(e) => {
                    tracing::warn!(area = source.area(), error = %e, "tasks could not be read")
                }
            }
        }
        all.sort_by_key(|t| !t.urgent);
        all
    }
}
