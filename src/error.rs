//! The service-level error every area returns; `web::error` maps it to HTTP once.

use crate::i18n::{Lang, Text};

/// What went wrong in a use case, in terms a person understands.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No valid credentials were presented.
    #[error("sign-in required")]
    Unauthenticated,
    /// Username or password is wrong (deliberately not saying which).
    #[error("wrong username or password")]
    BadCredentials,
    /// Too many failed sign-ins; try again later.
    #[error("too many failed sign-ins")]
    TooManyAttempts {
        /// Seconds until another attempt is allowed.
        retry_after_secs: i64,
    },
    /// The acting account may not do this.
    #[error("forbidden")]
    Forbidden,
    /// A form came without the session's anti-forgery token (expired page, or a forged request).
    #[error("csrf token rejected")]
    CsrfRejected,
    /// The named thing does not exist (or is not visible to the actor).
    #[error("not found: {0:?}")]
    NotFound(Text),
    /// A submitted value breaks a rule; nothing was written.
    #[error("invalid {field}: {message:?}")]
    Invalid {
        /// The field that is wrong.
        field: &'static str,
        /// Why.
        message: Text,
    },
    /// Rows of an uploaded file break rules; nothing was written. Each entry: row (1-based, as in the
    /// spreadsheet), column header, message.
    #[error("{} invalid row(s)", .0.len())]
    InvalidRows(Vec<(usize, String, Text)>),
    /// The request itself cannot be read (not JSON, the wrong shape).
    #[error("malformed request: {0:?}")]
    Malformed(Text),
    /// The request body is larger than allowed.
    #[error("request body over {limit_bytes} bytes")]
    TooLarge {
        /// The limit.
        limit_bytes: usize,
    },
    /// The change conflicts with existing data (a duplicate, a state that forbids it).
    #[error("conflict: {0:?}")]
    Conflict(Text),
    /// The database is busy; the request can be retried.
    #[error("database busy")]
    Busy,
    /// Anything unexpected; logged, never shown in detail.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The result of a use case.
pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    /// An invalid-value error for `field`.
    pub fn invalid(field: &'static str, zh: &'static str, en: &'static str) -> Self {
        ServiceError::Invalid {
            field,
            message: Text::new(zh, en),
        }
    }

    /// A conflict with a bilingual message.
    pub fn conflict(
        zh: impl Into<std::borrow::Cow<'static, str>>,
        en: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Self {
        ServiceError::Conflict(Text::new(zh, en))
    }

    /// A not-found error naming the thing sought.
    pub fn not_found(zh: &'static str, en: &'static str) -> Self {
        ServiceError::NotFound(Text::new(zh, en))
    }

    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Unauthenticated => "unauthenticated",
            ServiceError::BadCredentials => "bad_credentials",
            ServiceError::TooManyAttempts { .. } => "too_many_attempts",
            ServiceError::Forbidden => "forbidden",
            ServiceError::CsrfRejected => "csrf_rejected",
            ServiceError::NotFound(_) => "not_found",
            ServiceError::Invalid { .. } => "invalid_value",
            ServiceError::InvalidRows(_) => "invalid_rows",
            ServiceError::Malformed(_) => "malformed_body",
            ServiceError::TooLarge { .. } => "payload_too_large",
            ServiceError::Conflict(_) => "conflict",
            ServiceError::Busy => "busy",
            ServiceError::Internal(_) => "internal",
        }
    }

    /// The message shown to a person, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let text = |zh: &str, en: &str| match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        };
        match self {
            ServiceError::Unauthenticated => text("请先登录", "Please sign in first"),
            ServiceError::BadCredentials => text("用户名或密码错误", "Wrong username or password"),
            ServiceError::TooManyAttempts { retry_after_secs } => {
                let minutes = (retry_after_secs + 59) / 60;
                match lang {
                    Lang::Zh => format!("登录失败次数过多，请 {minutes} 分钟后再试"),
                    Lang::En => {
                        format!("Too many failed sign-ins; try again in {minutes} minute(s)")
                    }
                }
            }
            ServiceError::Forbidden => {
                text("您没有执行此操作的权限", "You are not allowed to do this")
            }
            ServiceError::CsrfRejected => text(
                "表单已失效，请返回并刷新页面后重新提交",
                "The form has expired; go back, reload the page and submit again",
            ),
            ServiceError::NotFound(what) => match lang {
                Lang::Zh => format!("找不到{}", what.zh),
                Lang::En => format!("{} not found", what.en),
            },
            ServiceError::Invalid { message, .. } => message.get(lang).to_string(),
            ServiceError::InvalidRows(rows) => match lang {
                Lang::Zh => format!("文件中有 {} 处错误，未写入任何数据", rows.len()),
                Lang::En => format!("The file has {} error(s); nothing was written", rows.len()),
            },
            ServiceError::Malformed(message) => message.get(lang).to_string(),
            ServiceError::TooLarge { limit_bytes } => {
                let mb = *limit_bytes as f64 / (1 << 20) as f64;
                match lang {
                    Lang::Zh => format!("请求体过大，上限为 {mb} MB"),
                    Lang::En => format!("The request body is too large; the limit is {mb} MB"),
                }
            }
            ServiceError::Conflict(message) => message.get(lang).to_string(),
            ServiceError::Busy => text("系统繁忙，请稍后重试", "The system is busy; please retry"),
            ServiceError::Internal(_) => text("系统内部错误", "Internal error"),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error as D};
        match e {
            D::NotFound => ServiceError::not_found("记录", "Record"),
            D::DatabaseError(Kind::UniqueViolation, _) => {
                ServiceError::conflict("与已有记录重复", "This duplicates an existing record")
            }
            D::DatabaseError(Kind::ForeignKeyViolation, _) => ServiceError::conflict(
                "引用的记录不存在或仍被使用",
                "A referenced record is missing or still in use",
            ),
            ref busy if crate::db::is_busy(busy) => ServiceError::Busy,
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

impl From<crate::db::WriteError> for ServiceError {
    fn from(e: crate::db::WriteError) -> Self {
        ServiceError::unless_duplicate(e, "与已有记录重复", "This duplicates an existing record")
    }
}

impl ServiceError {
    /// A write's refusal: a duplicate becomes this conflict, anything else the database's error.
    pub fn unless_duplicate(
        e: crate::db::WriteError,
        zh: &'static str,
        en: &'static str,
    ) -> ServiceError {
        match e {
            crate::db::WriteError::AlreadyExists => ServiceError::conflict(zh, en),
            crate::db::WriteError::Db(e) => e.into(),
        }
    }
}

impl From<r2d2::Error> for ServiceError {
    fn from(e: r2d2::Error) -> Self {
        tracing::warn!(error = %e, "no database connection available");
        ServiceError::Busy
    }
}
