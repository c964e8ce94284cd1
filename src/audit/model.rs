//! What an audit record says: who changed which record of which unit, how, and the values before and after.

use serde::Serialize;
use serde_json::Value;

/// One change to record, written in the same transaction as the change itself.
#[derive(Debug, Clone)]
pub struct Change {
    /// The kind of record (`unit`, `person`, `account`, `api_token`, …).
    pub entity: &'static str,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// The unit the record belongs to (`None`: district-wide).
    pub unit_id: Option<i64>,
    /// What happened (`create`, `update`, `deactivate`, `activate`, `sign_in`, …).
    pub action: &'static str,
    /// The record before, if it existed.
    pub before: Option<Value>,
    /// The record after, if it still exists.
    pub after: Option<Value>,
}

impl Change {
    /// A change between two serialisable states; `action` is inferred from `active` flipping when possible.
    pub fn of<T: Serialize>(
        entity: &'static str,
        id: i64,
        unit_id: Option<i64>,
        before: Option<&T>,
        after: Option<&T>,
    ) -> Self {
        let before = before.and_then(|b| serde_json::to_value(b).ok());
        let after = after.and_then(|a| serde_json::to_value(a).ok());
        let action = infer_action(before.as_ref(), after.as_ref());
        Change {
            entity,
            entity_id: Some(id),
            unit_id,
            action,
            before,
            after,
        }
    }

    /// Overrides the inferred action.
    pub fn action(mut self, action: &'static str) -> Self {
        self.action = action;
        self
    }
}

fn infer_action(before: Option<&Value>, after: Option<&Value>) -> &'static str {
    match (before, after) {
        (None, _) => "create",
        (Some(_), None) => "delete",
        (Some(b), Some(a)) => match (b.get("active"), a.get("active")) {
            (Some(Value::Bool(true)), Some(Value::Bool(false))) => "deactivate",
            (Some(Value::Bool(false)), Some(Value::Bool(true))) => "activate",
            _ => "update",
        },
    }
}

/// Only the fields that differ between `before` and `after`, for a compact display.
pub fn changed_fields(
    before: Option<&Value>,
    after: Option<&Value>,
) -> Vec<(String, String, String)> {
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let (Some(Value::Object(b)), Some(Value::Object(a))) = (before, after) else {
        let only = after.or(before);
        return match only {
            Some(Value::Object(o)) => o
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "created_at" | "updated_at"))
                .map(|(k, v)| {
                    let v = show(Some(v));
                    if after.is_some() {
                        (k.clone(), String::new(), v)
                    } else {
                        (k.clone(), v, String::new())
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
    };
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| k.as_str() != "updated_at" && b.get(*k) != a.get(*k))
        .map(|k| (k.clone(), show(b.get(k)), show(a.get(k))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flipping_active_is_recorded_as_deactivation_or_activation() {
        let on = json!({"name": "A", "active": true});
        let off = json!({"name": "A", "active": false});
        assert_eq!(infer_action(Some(&on), Some(&off)), "deactivate");
        assert_eq!(infer_action(Some(&off), Some(&on)), "activate");
        assert_eq!(infer_action(None, Some(&on)), "create");
        assert_eq!(
            infer_action(Some(&on), Some(&json!({"name": "B", "active": true}))),
            "update"
        );
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let b = json!({"name": "A", "phone": "1", "updated_at": "x"});
        let a = json!({"name": "B", "phone": "1", "updated_at": "y"});
        assert_eq!(
            changed_fields(Some(&b), Some(&a)),
            vec![("name".into(), "A".into(), "B".into())]
        );
    }
}
