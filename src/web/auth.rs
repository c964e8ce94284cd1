//! Who is calling: the language before we know who it is, and the session's account.

use actix_session::Session;
use actix_web::http::header;
use actix_web::HttpRequest;

use crate::error::ServiceError;
use crate::i18n::Lang;

const UID: &str = "uid";
const VERSION: &str = "ver";

/// The caller's language before we know who they are: from `Accept-Language`.
pub fn request_lang(req: &HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// The account and session version a session cookie names, if any.
pub fn session_credentials(session: &Session) -> Option<(i64, i64)> {
    match (session.get::<i64>(UID), session.get::<i64>(VERSION)) {
        (Ok(Some(uid)), Ok(Some(version))) => Some((uid, version)),
        _ => None,
    }
}

/// Starts a fresh session for the account (a new cookie, so a planted one cannot be reused).
pub fn start_session(session: &Session, account_id: i64, version: i64) -> Result<(), ServiceError> {
    session.renew();
    session
        .insert(UID, account_id)
        .and_then(|_| session.insert(VERSION, version))
        .map_err(|e| ServiceError::Internal(format!("session: {e}")))
}
