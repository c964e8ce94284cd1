//! Anti-forgery tokens: a random token kept in the session and repeated in every form.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::auth::request_lang;
use super::error::PageError;
use crate::error::ServiceError;
use crate::org::credentials::random_token;

const KEY: &str = "csrf";
/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// The form field that carries a form's one-time token (a new one each time the form is shown).
pub const ONCE_FIELD: &str = "form_token";

/// A submitted form's one-time token, kept with the request for the page runner.
#[derive(Debug, Clone)]
pub struct FormToken(pub String);

/// The hidden fields every form carries: the session's CSRF token and a fresh one-time token.
pub fn hidden_fields(csrf: &str) -> String {
    let once = random_token(16).unwrap_or_default();
    format!(
        r#"<input type="hidden" name="{FIELD}" value="{csrf}"><input type="hidden" name="{ONCE_FIELD}" value="{once}">"#
    )
}

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(KEY) {
        return t;
    }
    let t = random_token(32).unwrap_or_default();
    let _ = session.insert(KEY, &t);
    t
}

/// Whether `submitted` matches the session's token (constant-time).
pub fn verify(session: &Session, submitted: &str) -> bool {
    match session.get::<String>(KEY) {
        Ok(Some(expected)) if !expected.is_empty() => {
            expected.as_bytes().ct_eq(submitted.as_bytes()).into()
        }
        _ => false,
    }
}

/// A form with nothing but its token (buttons such as "cancel", "sign").
#[derive(Debug, serde::Deserialize)]
pub struct Empty {}

/// A url-encoded form whose CSRF token has been checked; any other extractor order would let a
/// forged request reach the handler.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let lang = request_lang(req);
        let session = req.get_session();
        let body = web::Bytes::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let fail = |error| PageError {
                error,
                lang,
                next: None,
            };
            let bytes = body.await.map_err(|_| {
                fail(ServiceError::invalid(
                    "form",
                    "表单过大或无法读取",
                    "The form is too large or unreadable",
                ))
            })?;
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&bytes).map_err(|_| {
                    fail(ServiceError::invalid(
                        "form",
                        "表单内容无法识别",
                        "The form could not be read",
                    ))
                })?;
            let submitted = pairs
                .iter()
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            if !verify(&session, submitted) {
                return Err(fail(ServiceError::CsrfRejected));
            }
            let once = pairs
                .iter()
                .find(|(k, _)| k == ONCE_FIELD)
                .map(|(_, v)| v.trim())
                .filter(|v| (1..=64).contains(&v.len()));
            if let Some(token) = once {
                req.extensions_mut().insert(FormToken(token.to_string()));
            }
            serde_urlencoded::from_bytes(&bytes)
                .map(CsrfForm)
                .map_err(|e| {
                    fail(ServiceError::Invalid {
                        field: "form",
                        message: crate::i18n::Text::new(
                            format!("表单内容无法识别：{e}"),
                            format!("The form could not be read: {e}"),
                        ),
                    })
                })
        })
    }
}
