//! The API scope's own plumbing: every refusal answers with the JSON error body (including those actix
//! makes itself: an oversized body, an unreadable path or query), a known path asked with the wrong
//! method answers 405 with `Allow`, not 404, and a call without a credential to an operation that needs
//! one answers 401 before its body is read.

use super::openapi::ApiSpec;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};

use super::auth::request_lang;
use super::error::json_error;
use crate::i18n::Lang;

fn say(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The JSON refusal for a status actix answered on its own.
fn refusal(status: StatusCode, lang: Lang) -> HttpResponse {
    let (code, zh, en) = match status.as_u16() {
        400 => (
            "malformed_request",
            "请求无法识别",
            "The request cannot be read",
        ),
        401 => ("unauthenticated", "请先登录", "Please sign in first"),
        403 => (
            "forbidden",
            "您没有执行此操作的权限",
            "You are not allowed to do this",
        ),
        404 => ("not_found", "找不到该资源", "No such resource"),
        405 => (
            "method_not_allowed",
            "该接口不支持此请求方法",
            "This endpoint does not take this method",
        ),
        413 => (
            "payload_too_large",
            "请求体过大（JSON 上限 1 MB，导入文件上限 10 MB）",
            "The request body is too large (1 MB for JSON, 10 MB for an imported file)",
        ),
        415 => (
            "unsupported_media_type",
            "不支持的内容类型",
            "Unsupported content type",
        ),
        s if s >= 500 => ("internal", "系统内部错误", "Internal error"),
        _ => ("refused", "请求被拒绝", "The request was refused"),
    };
    json_error(status, code, say(lang, zh, en), None)
}

/// Middleware for the API scope: a refusal that is not already the JSON error body becomes one.
pub async fn refusals_as_json(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // Read before routing: the request must not be cloned while the router still holds it.
    let lang = request_lang(req.request());
    if !req.headers().contains_key(header::AUTHORIZATION) && needs_token(&req) {
        // Before the body is read: a caller without a credential learns that first, whatever it sent.
        let refusal = super::error::ApiError {
            error: crate::error::ServiceError::Unauthenticated,
            lang,
        };
        let res = actix_web::ResponseError::error_response(&refusal);
        return Ok(req.into_response(res).map_into_right_body());
    }
    let res = match next.call(req).await {
        Ok(res) => res,
        Err(e) => {
            let status = e.as_response_error().status_code();
            return Err(
                actix_web::error::InternalError::from_response(e, refusal(status, lang)).into(),
            );
        }
    };
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if res.status().as_u16() < 400 || is_json {
        return Ok(res.map_into_left_body());
    }
    let status = res.status();
    let (http, _) = res.into_parts();
    Ok(ServiceResponse::new(http, refusal(status, lang)).map_into_right_body())
}

/// Whether the documented operation for this request asks for a bearer token.
fn needs_token(req: &ServiceRequest) -> bool {
    let Some(spec) = req.app_data::<web::Data<ApiSpec>>() else {
        return false;
    };
    let method = req.method().as_str();
    spec.operations()
        .iter()
        .any(|op| op.auth && op.method == method && matches(&op.path, req.path()))
}

/// Whether a documented path template (`/api/v1/units/{id}`) matches a request path.
fn matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

/// The methods the API documents for a path, in the order GET, POST, PUT, PATCH, DELETE.
pub fn allowed(spec: &ApiSpec, path: &str) -> Vec<&'static str> {
    // The most literal templates that fit decide (`/teams/search` rather than `/teams/{id}`), as the routes do.
    let params = |t: &str| t.matches('{').count();
    let fitting: Vec<_> = spec
        .operations()
        .iter()
        .filter(|op| matches(&op.path, path))
        .collect();
    let fewest = fitting.iter().map(|op| params(&op.path)).min().unwrap_or(0);
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .filter(|method| {
            fitting
                .iter()
                .any(|op| op.method == *method && params(&op.path) == fewest)
        })
        .collect()
}

/// What no route of the API matched: 405 with `Allow` for a documented path, else 404 (also when the method is
/// documented for the path's template but the path does not fit its route: `GET /teams/abc`).
pub async fn no_such_endpoint(req: HttpRequest, spec: web::Data<ApiSpec>) -> HttpResponse {
    let lang = request_lang(&req);
    let methods = allowed(&spec, req.path());
    let head = req.method() == actix_web::http::Method::HEAD;
    if methods.is_empty()
        || methods.contains(&req.method().as_str())
        || (head && methods.contains(&"GET"))
    {
        return refusal(StatusCode::NOT_FOUND, lang);
    }
    let mut resp = refusal(StatusCode::METHOD_NOT_ALLOWED, lang);
    if let Ok(v) = header::HeaderValue::from_str(&methods.join(", ")) {
        resp.headers_mut().insert(header::ALLOW, v);
    }
    resp
}

/// Query strings that cannot be read answer 400 with the JSON body.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, req| {
        let msg = match request_lang(req) {
            Lang::En => format!("Invalid query parameters: {err}"),
            Lang::Zh => format!("查询参数有误：{err}"),
        };
        let resp = json_error(StatusCode::BAD_REQUEST, "invalid_query", msg, None);
        actix_web::error::InternalError::from_response(err, resp).into()
    })
}

/// A path that does not fit its route (`/units/abc`) answers 404 with the JSON body.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        let resp = refusal(StatusCode::NOT_FOUND, request_lang(req));
        actix_web::error::InternalError::from_response(err, resp).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_templates_match_their_paths_only() {
        assert!(matches("/api/v1/units/{id}", "/api/v1/units/3"));
        assert!(!matches("/api/v1/units/{id}", "/api/v1/units"));
        assert!(!matches("/api/v1/units/{id}", "/api/v1/units/3/extra"));
        assert!(matches("/api/v1/units", "/api/v1/units"));
        assert!(!matches("/api/v1/units/{id}", "/api/v1/units/"));
    }
}
