//! What every page template needs: language, the signed-in account, the CSRF token, flash messages, menu rights.

use actix_session::Session;
use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};

use super::auth::request_lang;
use super::csrf;
use crate::i18n::{Lang, Text};
use crate::org::model::{Actor, OrgAction, Role};

const FLASH: &str = "flash";
const LANG: &str = "lang";

/// A one-time message shown after a redirect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    /// `ok` or `error`.
    pub kind: String,
    /// The message in the viewer's language.
    pub text: String,
}

/// Queues a message for the next page.
pub fn flash(session: &Session, ok: bool, text: Text) {
    let mut all: Vec<(bool, String, String)> =
        session.get(FLASH).ok().flatten().unwrap_or_default();
    all.push((ok, text.zh.into_owned(), text.en.into_owned()));
    let _ = session.insert(FLASH, all);
}

/// Remembers the language chosen before signing in.
pub fn set_session_lang(session: &Session, lang: Lang) {
    let _ = session.insert(LANG, lang.code());
}

/// The language for a page: the account's, else the one chosen in this session, else `Accept-Language`.
pub fn page_lang(req: &HttpRequest, session: &Session, actor: Option<&Actor>) -> Lang {
    if let Some(a) = actor {
        return a.lang;
    }
    session
        .get::<String>(LANG)
        .ok()
        .flatten()
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_else(|| request_lang(req))
}

/// Where the language switch returns to: the page itself, or — for a page shown in answer to a form (a
/// refused form is shown at the address it was posted to, which has no page of its own) — the page the form
/// was on, when it is one of ours.
fn here(req: &HttpRequest) -> String {
    if req.method() == actix_web::http::Method::GET {
        return req.uri().to_string();
    }
    let referer = req
        .headers()
        .get(actix_web::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<actix_web::http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.to_string()));
    safe_next(referer.as_deref())
}

/// Page context.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The page language.
    pub lang: Lang,
    /// The signed-in username, if any.
    pub user: Option<String>,
    /// The CSRF token for forms.
    pub csrf: String,
    /// Messages from the previous request.
    pub flashes: Vec<Flash>,
    /// The menu shows administration links.
    pub is_admin: bool,
    /// The current path (for the language switch to return to).
    pub path: String,
    /// The page is shown for printing (`?print=1`): no header, no buttons.
    pub print: bool,
}

impl Ctx {
    /// The hidden fields of a form: the CSRF token and a one-time token, so that submitting the form twice
    /// does the work once.
    pub fn hidden(&self) -> String {
        csrf::hidden_fields(&self.csrf)
    }

    /// Builds the context and consumes pending flash messages.
    pub fn new(req: &HttpRequest, session: &Session, actor: Option<&Actor>) -> Ctx {
        let lang = page_lang(req, session, actor);
        let flashes = session
            .remove_as::<Vec<(bool, String, String)>>(FLASH)
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|(ok, zh, en)| Flash {
                kind: if ok { "ok" } else { "error" }.into(),
                text: Text::new(zh, en).get(lang).to_string(),
            })
            .collect();
        Ctx {
            lang,
            user: actor.map(|a| a.name.clone()),
            csrf: csrf::token(session),
            flashes,
            is_admin: actor.is_some_and(|a| a.holds_any(OrgAction::ManageAccounts.roles())),
            path: here(req),
            print: req.query_string().split('&').any(|p| p == "print=1"),
        }
    }

    /// The interface string for `key`.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The label of a role code.
    pub fn role(&self, code: &str) -> &'static str {
        Role::parse(code).map_or("?", |r| r.label(self.lang))
    }
}

/// Links between pages of a list, keeping its filters.
#[derive(Debug, Clone)]
pub struct Pager {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The filters as `k=v&…&`, ready for `page=` to be appended.
    pub query: String,
}

impl Pager {
    /// A pager for `page`, keeping the non-empty `filters`.
    pub fn new<T>(page: &crate::pagination::Page<T>, filters: &[(&str, String)]) -> Pager {
        let query = filters
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}&", url_encode(v)))
            .collect();
        Pager {
            total: page.total,
            page: page.page,
            pages: page.pages(),
            query,
        }
    }
}

/// Percent-encodes a value for a query string.
pub fn url_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only local paths may be redirect targets (no `//evil.example`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => "/".into(),
    }
}

/// Formats a stored UTC time in the office's zone.
pub fn local_time(t: &chrono::NaiveDateTime, tz: chrono_tz::Tz) -> String {
    t.and_utc()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/units?page=2")), "/units?page=2");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(url_encode("/units?q=a b"), "/units%3Fq%3Da%20b");
    }

    #[test]
    fn a_page_shown_in_answer_to_a_form_switches_language_back_to_the_form_page() {
        let get = TestRequest::get().uri("/teams/2?x=1").to_http_request();
        assert_eq!(here(&get), "/teams/2?x=1");
        let refused = TestRequest::post()
            .uri("/teams/2/trainings")
            .insert_header((
                actix_web::http::header::REFERER,
                "http://standby.example/teams/2/trainings/new",
            ))
            .to_http_request();
        assert_eq!(here(&refused), "/teams/2/trainings/new");
        let elsewhere = TestRequest::post()
            .uri("/teams/2/trainings")
            .insert_header((actix_web::http::header::REFERER, "//evil.example/x"))
            .to_http_request();
        assert_eq!(here(&elsewhere), "/");
        assert_eq!(
            here(&TestRequest::post().uri("/teams").to_http_request()),
            "/"
        );
    }
}
