//! Small helpers every area's pages share: reading select boxes and filters, and the words for
//! (de)activation.

use crate::error::ServiceError;
use crate::i18n::Text;

/// An optional id from a select box (`""` = none).
pub fn optional_id(field: &'static str, v: &str) -> Result<Option<i64>, ServiceError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>().map(Some).map_err(|_| {
        ServiceError::invalid(field, "请选择列表中的一项", "Choose an entry from the list")
    })
}

/// An optional date from a form field (`""` = none), written year-month-day.
pub fn optional_date(
    field: &'static str,
    v: &str,
) -> Result<Option<chrono::NaiveDate>, ServiceError> {
    match v.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| {
            ServiceError::invalid(
                field,
                "日期格式应为 年-月-日，例如 2026-11-30",
                "A date is year-month-day, e.g. 2026-11-30",
            )
        }),
    }
}

/// A form that changes something hard to undo (opening or cancelling a count) carries a ticked `confirm`
/// box (value `yes`); without it nothing happens and `why` says so.
pub fn confirmed(confirm: Option<&str>, why: Text) -> Result<(), ServiceError> {
    match confirm {
        Some("yes") => Ok(()),
        _ => Err(ServiceError::Invalid {
            field: "confirm",
            message: why,
        }),
    }
}

/// Reads an `active` filter from a page query: `true` (the default), `false` or `all`.
pub fn active_param(v: &Option<String>) -> String {
    match v.as_deref() {
        Some("false") => "false".into(),
        Some("all") => "all".into(),
        _ => "true".into(),
    }
}

/// The filter an `active` parameter means: only active, only inactive, or all (`None`).
pub fn active_filter(v: Option<&str>) -> Option<bool> {
    match v {
        Some("all") => None,
        Some("false") => Some(false),
        _ => Some(true),
    }
}

/// The flash message after (de)activating a record.
pub fn activation_text(active: bool) -> Text {
    if active {
        Text::new("已启用", "Activated")
    } else {
        Text::new("已停用", "Deactivated")
    }
}
