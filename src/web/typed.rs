//! A refused form shown again on its page: which form it was, what the person typed, and why it was refused
//! (naming the field when the message alone would not), with the refusal's status. Every area's pages use
//! these, so a refusal never comes back as an empty form or a bare error page.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use super::error::PageError;
use super::{Call, Page, Refusal};
use crate::error::ServiceResult;
use crate::i18n::{Lang, Text};

/// The last value of form field `name` (empty when absent).
pub fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or_else(String::new, |(_, v)| v.clone())
}

/// A refusal as a form shows it: naming the field (as the page labels it: the first of `labels` that has
/// `{label}.{field}` in the interface strings) unless the message already does.
pub fn labelled(refusal: &Refusal, lang: Lang, labels: &[&str]) -> String {
    let label = refusal.field.and_then(|f| {
        labels
            .iter()
            .find_map(|prefix| lang.find(&format!("{prefix}.{f}")))
    });
    match label {
        Some(l) if !refusal.message.starts_with(l) => {
            format!("{l}{}{}", lang.t("colon"), refusal.message)
        }
        _ => refusal.message.clone(),
    }
}

/// Runs form `form`'s action (see [`Page::submit`]): done, on to where `done` says; refused, its page shown
/// again by `again` with what was typed (`fields`) and the refusal.
pub async fn submit_or_again<T, F, D, A, R>(
    page: &Page,
    form: impl Into<String>,
    fields: Vec<(String, String)>,
    f: F,
    done: D,
    again: A,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
    T: Send + 'static,
    D: FnOnce(&T) -> (Text, String) + Send + 'static,
    A: FnOnce(Refused) -> R,
    R: std::future::Future<Output = Result<HttpResponse, PageError>>,
{
    match page.submit(f, done).await? {
        Ok(done) => Ok(done),
        Err(refusal) => again(Refused::new(form, fields, refusal)).await,
    }
}

/// A form refused: which form, what was typed, and the refusal.
#[derive(Debug)]
pub struct Refused {
    form: String,
    fields: Vec<(String, String)>,
    refusal: Refusal,
}

impl Refused {
    /// Form `form` refused with `refusal` after `fields` were typed.
    pub fn new(
        form: impl Into<String>,
        fields: Vec<(String, String)>,
        refusal: Refusal,
    ) -> Refused {
        Refused {
            form: form.into(),
            fields,
            refusal,
        }
    }
}

/// What a page shows of a refused form (nothing when none was).
#[derive(Debug, Default)]
pub struct Typed {
    form: String,
    fields: Vec<(String, String)>,
    error: String,
}

impl Typed {
    /// What a page shows of a refused form, if there is one, and the page's status (the refusal's, else
    /// 200); `labels` as for [`labelled`].
    pub fn of(refused: Option<Refused>, lang: Lang, labels: &[&str]) -> (Typed, StatusCode) {
        match refused {
            Some(r) => {
                let status = r.refusal.status;
                let error = labelled(&r.refusal, lang, labels);
                (
                    Typed {
                        form: r.form,
                        fields: r.fields,
                        error,
                    },
                    status,
                )
            }
            None => (Typed::default(), StatusCode::OK),
        }
    }

    /// What was typed into `name` of form `form` (empty for any other form).
    pub fn value(&self, form: &str, name: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// What was typed into `name` of form `form` if that form was refused, else `shown` (what the form
    /// holds when it opens).
    pub fn or(&self, form: &str, name: &str, shown: impl std::fmt::Display) -> String {
        if self.is(form) {
            self.value(form, name).to_string()
        } else {
            shown.to_string()
        }
    }

    /// Whether `value` was among the values sent for `name` (a ticked box, a chosen option) in form `form`.
    pub fn has(&self, form: &str, name: &str, value: impl std::fmt::Display) -> bool {
        let value = value.to_string();
        self.is(form) && self.fields.iter().any(|(k, v)| k == name && *v == value)
    }

    /// The refusal of form `form`, if it was the one refused.
    pub fn error(&self, form: &str) -> Option<&str> {
        (self.form == form).then_some(self.error.as_str())
    }

    /// Whether form `form` was the one refused (a folded form opens again).
    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(field: Option<&'static str>, message: &str) -> Refused {
        Refused::new(
            "leave",
            vec![
                ("reason".into(), "first".into()),
                ("reason".into(), "家中有事".into()),
                ("day".into(), "1".into()),
                ("day".into(), "2".into()),
            ],
            Refusal {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: message.into(),
                field,
            },
        )
    }

    #[test]
    fn a_refused_form_keeps_what_was_typed_for_itself_only() {
        let (t, status) = Typed::of(Some(refused(None, "不行")), Lang::Zh, &[]);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            t.value("leave", "reason"),
            "家中有事",
            "the last value wins"
        );
        assert_eq!(t.value("other", "reason"), "");
        assert_eq!(t.or("leave", "reason", "x"), "家中有事");
        assert_eq!(t.or("other", "reason", 3), "3");
        assert!(
            t.has("leave", "day", 1) && t.has("leave", "day", "2") && !t.has("leave", "day", 3)
        );
        assert_eq!((t.error("leave"), t.error("other")), (Some("不行"), None));
        let (none, ok) = Typed::of(None, Lang::Zh, &[]);
        assert_eq!((none.is("leave"), ok), (false, StatusCode::OK));
    }

    #[test]
    fn the_message_names_its_field_once() {
        let (t, _) = Typed::of(
            Some(refused(Some("name"), "不能为空")),
            Lang::Zh,
            &["nothing", "field"],
        );
        let name = Lang::Zh.t("field.name");
        assert_eq!(
            t.error("leave"),
            Some(format!("{name}{}不能为空", Lang::Zh.t("colon")).as_str())
        );
        let (t, _) = Typed::of(
            Some(refused(Some("name"), &format!("{name}不能为空"))),
            Lang::Zh,
            &["field"],
        );
        assert_eq!(t.error("leave"), Some(format!("{name}不能为空").as_str()));
    }
}
