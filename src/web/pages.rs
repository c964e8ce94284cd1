//! The pages' own plumbing: every error a person meets is a real page (the header, their language, a way
//! back), whether a use case refused, a link was malformed or nothing lives at the address; and `HEAD` is
//! answered wherever `GET` is.

use actix_session::SessionExt;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::auth::{request_lang, session_credentials};
use super::context::Ctx;
use super::error::PageError;
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::org::store::actor_for_session;
use crate::state::AppState;

/// What went wrong, kept on an error response for the page that shows it.
#[derive(Debug, Clone)]
pub struct Problem(pub String);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    status: u16,
    message: String,
    back: String,
}

/// Paths that are not pages: the API, probes and metrics keep their own answers.
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || matches!(path, "/metrics" | "/healthz" | "/readyz"))
}

/// The words for a status nobody explained.
fn default_message(status: StatusCode, lang: Lang) -> String {
    let t = match status.as_u16() {
        400 => Text::new("链接或表单的内容有误", "The link or form could not be read"),
        403 => Text::new("您没有执行此操作的权限", "You are not allowed to do this"),
        404 => Text::new("找不到这个页面", "There is no such page"),
        405 => Text::new("该页面不支持此操作", "This page does not take that request"),
        413 => Text::new("提交的内容过大", "What was sent is too large"),
        s if s >= 500 => Text::new(
            "系统内部错误，请稍后再试",
            "Something went wrong; please try again",
        ),
        _ => Text::new("请求未能完成", "The request could not be completed"),
    };
    t.get(lang).to_string()
}

/// One level up from `path`, as a way back that needs no script (`/reserves/warehouses/abc` → `/reserves`).
fn way_back(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => trimmed[..i].to_string(),
    }
}

async fn render_error(
    req: &HttpRequest,
    status: StatusCode,
    message: Option<String>,
) -> HttpResponse {
    let session = req.get_session();
    let actor = match (
        session_credentials(&session),
        req.app_data::<web::Data<AppState>>(),
    ) {
        (Some((uid, version)), Some(state)) => state
            .db(move |c| actor_for_session(c, uid, version))
            .await
            .ok()
            .flatten(),
        _ => None,
    };
    let ctx = Ctx::new(req, &session, actor.as_ref());
    let message = message.unwrap_or_else(|| default_message(status, ctx.lang));
    let page = ErrorPage {
        back: way_back(req.path()),
        ctx,
        status: status.as_u16(),
        message,
    };
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(_) => HttpResponse::build(status).body(page.message),
    }
}

/// Middleware for the whole app: an error on a page (a refusal, a malformed link, an unknown address,
/// actix's own plain-text answers) becomes a page with the header. A form shown again with its mistake
/// (HTML already) is left as it is.
pub async fn real_error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if !is_page(req.path()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let res = match next.call(req).await {
        Ok(res) => res,
        Err(e) => {
            // The request went with the error; answer from the error alone.
            let status = e.as_response_error().status_code();
            let resp = HttpResponse::build(status).body(default_message(status, Lang::Zh));
            return Err(actix_web::error::InternalError::from_response(e, resp).into());
        }
    };
    let status = res.status();
    if status.as_u16() < 400 {
        return Ok(res.map_into_left_body());
    }
    let problem = res.response().extensions().get::<Problem>().cloned();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if problem.is_none() && is_html {
        return Ok(res.map_into_left_body());
    }
    let (req, old) = res.into_parts();
    let mut page = render_error(&req, status, problem.map(|p| p.0)).await;
    if let Some(v) = old.headers().get(header::RETRY_AFTER) {
        page.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
    Ok(ServiceResponse::new(req, page).map_into_right_body())
}

/// Middleware for the whole app: `HEAD` is answered as `GET` without the body, so link checkers and
/// monitors see the status a browser would.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if req.method() != Method::HEAD {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    req.head_mut().method = Method::GET;
    let res = next.call(req).await?;
    Ok(res.map_body(|_, _| BoxBody::new(())).map_into_right_body())
}

/// Query strings a page cannot read answer 400 with a page saying so (the parser's own words, which are
/// English, only on an English page).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, req| {
        let error = ServiceError::Malformed(Text::new(
            "链接中的查询参数有误，请返回后重新打开",
            format!("The link's query could not be read: {err}"),
        ));
        PageError {
            error,
            lang: request_lang(req),
            next: None,
        }
        .into()
    })
}

/// A path that does not fit its page (`/reserves/warehouses/abc`) is a page that does not exist.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, req| {
        PageError {
            error: ServiceError::not_found("这个页面", "This page"),
            lang: request_lang(req),
            next: None,
        }
        .into()
    })
}

/// What no page matched.
pub async fn no_such_page(req: HttpRequest) -> HttpResponse {
    render_error(&req, StatusCode::NOT_FOUND, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_is_one_level_up() {
        assert_eq!(way_back("/reserves/warehouses/abc"), "/reserves/warehouses");
        assert_eq!(way_back("/nothing"), "/");
        assert_eq!(way_back("/"), "/");
        assert!(!is_page("/api/v1/units") && is_page("/reserves"));
    }
}
