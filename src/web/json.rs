//! JSON request bodies for the API. Parsed strictly (each input type refuses fields it does not know), with a
//! whole number written as a float (`3.0`) read as the integer it is, as JSON Schema counts it. An optional
//! body is absent when the request has none or sends `null`: any other body must be valid.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::request_lang;
use super::error::ApiError;
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};

/// The SHA-256 of a request's JSON body: what an idempotent call was, beside its method and path.
#[derive(Debug, Clone)]
pub struct BodyDigest(pub String);

fn remember_digest(req: &HttpRequest, bytes: &[u8]) {
    use sha2::{Digest, Sha256};
    let hex = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    req.extensions_mut().insert(BodyDigest(hex));
}

/// Largest JSON body accepted.
pub const LIMIT: usize = 1 << 20;

fn malformed(zh: String, en: String) -> ServiceError {
    ServiceError::Malformed(Text::new(zh, en))
}

/// Floats with no fraction become integers, everywhere in the document (every such float inside the range of
/// `i64` is exactly that integer, 2^53 and beyond included).
fn whole_numbers(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 {
                    *v = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Reads `bytes` as a `T`.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ServiceError> {
    let mut value: Value = serde_json::from_slice(bytes).map_err(|e| {
        malformed(
            format!("请求体不是有效的 JSON：{e}"),
            format!("The request body is not valid JSON: {e}"),
        )
    })?;
    whole_numbers(&mut value);
    T::deserialize(super::strict::Strict(value)).map_err(|e| {
        malformed(
            format!("请求体的内容不符合要求：{e}"),
            format!("The request body does not have the expected shape: {e}"),
        )
    })
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

/// The body's bytes, or the reason there are none to read.
async fn body(
    req: HttpRequest,
    bytes: impl Future<Output = Result<web::Bytes, actix_web::Error>>,
) -> Result<web::Bytes, ApiError> {
    let lang = request_lang(&req);
    let fail = |error| ApiError { error, lang };
    match bytes.await {
        Ok(b) => Ok(b),
        Err(e) if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(fail(ServiceError::TooLarge {
                limit_bytes: crate::sheets::MAX_UPLOAD,
            }))
        }
        Err(e) => Err(fail(malformed(
            format!("请求体无法读取：{e}"),
            format!("The request body could not be read: {e}"),
        ))),
    }
}

fn checked<T: DeserializeOwned>(
    req: &HttpRequest,
    bytes: &[u8],
    lang: Lang,
) -> Result<T, ApiError> {
    if bytes.len() > LIMIT {
        return Err(ApiError {
            error: ServiceError::TooLarge { limit_bytes: LIMIT },
            lang,
        });
    }
    if !is_json(req) {
        return Err(ApiError {
            error: malformed(
                "请求须为 JSON（Content-Type: application/json）".into(),
                "The request must be JSON (Content-Type: application/json)".into(),
            ),
            lang,
        });
    }
    parse(bytes).map_err(|error| ApiError { error, lang })
}

/// A required JSON body.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let bytes = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let lang = request_lang(&req);
            let bytes = body(req.clone(), bytes).await?;
            remember_digest(&req, &bytes);
            checked(&req, &bytes, lang).map(Json)
        })
    }
}

/// A JSON body that may be left out (no body, or `null`); when present it must be valid.
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let bytes = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let lang = request_lang(&req);
            let bytes = body(req.clone(), bytes).await?;
            remember_digest(&req, &bytes);
            if bytes.is_empty() {
                return Ok(OptionalJson(None));
            }
            checked::<Option<T>>(&req, &bytes, lang).map(OptionalJson)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct In {
        unit_id: i64,
        tags: Vec<i64>,
    }

    #[test]
    fn whole_floats_are_integers_and_unknown_fields_are_refused() {
        let v: In = parse(br#"{"unit_id": 3.0, "tags": [1.0, 2]}"#).unwrap();
        assert_eq!(
            v,
            In {
                unit_id: 3,
                tags: vec![1, 2]
            }
        );
        let big: In = parse(br#"{"unit_id": 9007199254740992.0, "tags": [-1e15]}"#).unwrap();
        assert_eq!(
            (big.unit_id, big.tags[0]),
            (9_007_199_254_740_992, -1_000_000_000_000_000)
        );
        assert!(
            parse::<In>(br#"{"unit_id": 1e19, "tags": []}"#).is_err(),
            "beyond i64"
        );
        assert!(parse::<In>(br#"{"unit_id": 3.5, "tags": []}"#).is_err());
        assert!(parse::<In>(br#"{"unit_id": 3, "tags": [], "x": 1}"#).is_err());
        assert!(parse::<In>(b"{\"unit_id\": 3").is_err(), "truncated");
        assert!(parse::<In>(b"\x00").is_err());
    }
}
