//! One mapping from service errors to HTTP: JSON for the API, an HTML page (or a redirect to sign-in) for pages.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use serde::Serialize;

use crate::error::ServiceError;
use crate::i18n::Lang;

/// The status code for a service error.
pub fn status_of(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::Unauthenticated | ServiceError::BadCredentials => StatusCode::UNAUTHORIZED,
        ServiceError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Forbidden | ServiceError::CsrfRejected => StatusCode::FORBIDDEN,
        ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
        ServiceError::Invalid { .. } | ServiceError::InvalidRows(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ServiceError::Malformed(_) => StatusCode::BAD_REQUEST,
        ServiceError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        ServiceError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn log(e: &ServiceError) {
    if let ServiceError::Internal(detail) = e {
        tracing::error!(%detail, "request failed");
    }
}

/// The JSON error body: `{"error":{"code","message","field"?}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The inside of an error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_value`.
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
    /// The request field at fault, for `invalid_value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every bad cell of an uploaded file, for `invalid_rows`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowErrorOut>,
}

/// One bad cell of an uploaded file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RowErrorOut {
    /// Row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// A JSON API error, in the caller's language.
#[derive(Debug)]
pub struct ApiError {
    pub error: ServiceError,
    pub lang: Lang,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        ApiError {
            error,
            lang: Lang::Zh,
        }
    }
}

/// Builds the JSON error response for a code and message (also used for extractor failures).
pub fn json_error(
    status: StatusCode,
    code: &str,
    message: String,
    field: Option<&str>,
) -> HttpResponse {
    let mut builder = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
    }
    builder.json(ErrorBody {
        error: ErrorDetail {
            code: code.into(),
            message,
            field: field.map(str::to_string),
            rows: Vec::new(),
        },
    })
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(&self.error)
    }

    fn error_response(&self) -> HttpResponse {
        log(&self.error);
        let field = match &self.error {
            ServiceError::Invalid { field, .. } => Some(*field),
            _ => None,
        };
        let mut resp = match &self.error {
            ServiceError::InvalidRows(rows) => {
                HttpResponse::build(self.status_code()).json(ErrorBody {
                    error: ErrorDetail {
                        code: self.error.code().into(),
                        message: self.error.message(self.lang),
                        field: None,
                        rows: rows
                            .iter()
                            .map(|(row, column, m)| RowErrorOut {
                                row: *row,
                                column: column.clone(),
                                message: m.get(self.lang).to_string(),
                            })
                            .collect(),
                    },
                })
            }
            _ => json_error(
                self.status_code(),
                self.error.code(),
                self.error.message(self.lang),
                field,
            ),
        };
        if let ServiceError::TooManyAttempts { retry_after_secs } = self.error {
            if let Ok(v) = header::HeaderValue::from_str(&retry_after_secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if matches!(self.error, ServiceError::Busy) {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
        }
        resp
    }
}

/// An error on an HTML page: a sign-in redirect for 401, otherwise a small page with the message.
#[derive(Debug)]
pub struct PageError {
    pub error: ServiceError,
    pub lang: Lang,
    /// Where to return after signing in.
    pub next: Option<String>,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        PageError {
            error,
            lang: Lang::Zh,
            next: None,
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self.error {
            ServiceError::Unauthenticated => StatusCode::SEE_OTHER,
            _ => status_of(&self.error),
        }
    }

    fn error_response(&self) -> HttpResponse {
        log(&self.error);
        if let ServiceError::Unauthenticated = self.error {
            let location = match &self.next {
                Some(next) => format!("/login?next={}", crate::web::context::url_encode(next)),
                None => "/login".into(),
            };
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        // The page with the header is made by `web::pages::real_error_pages`, which has the request.
        let message = self.error.message(self.lang);
        let mut resp = HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(message.clone());
        if let ServiceError::TooManyAttempts { retry_after_secs } = self.error {
            if let Ok(v) = header::HeaderValue::from_str(&retry_after_secs.max(1).to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp.extensions_mut().insert(super::pages::Problem(message));
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_status() {
        assert_eq!(
            status_of(&ServiceError::Unauthenticated),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(status_of(&ServiceError::Forbidden), StatusCode::FORBIDDEN);
        assert_eq!(
            status_of(&ServiceError::invalid("x", "x", "x")),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of(&ServiceError::conflict("x", "x")),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status_of(&ServiceError::not_found("x", "x")),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status_of(&ServiceError::TooManyAttempts {
                retry_after_secs: 1
            }),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}
