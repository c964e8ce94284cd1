//! Typed settings from `STANDBY_*` environment variables (and `.env` in development).
//! A bad value stops start-up with a message naming the variable and what is wrong.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::db::Backend;

mod mail;
mod vars;

use mail::mail_settings;
pub use mail::{MailSettings, MailTransport};
pub use vars::Vars;

/// Everything the service reads from its environment.
#[derive(Clone)]
pub struct Config {
    /// Which database, from `STANDBY_DATABASE_URL`.
    pub database: Backend,
    /// Where to listen, `STANDBY_BIND`.
    pub bind: SocketAddr,
    /// The office's time zone, `STANDBY_TIMEZONE`.
    pub timezone: chrono_tz::Tz,
    /// Public address used in links, `STANDBY_BASE_URL` (no trailing slash); when unset, the one a serving
    /// process recorded, else `http://<bind>`.
    pub base_url: String,
    /// Whether `STANDBY_BASE_URL` was given (rather than derived from the bind address).
    pub base_url_set: bool,
    /// How long a caller (token or session) is remembered, `STANDBY_CALLER_SECONDS` (0: not at all): a
    /// change made on another instance is seen within it.
    pub caller_seconds: u64,
    /// Cookie-signing secret, `STANDBY_SECRET`; generated into the data folder when absent.
    pub secret: Option<String>,
    /// Initial administrator password, `STANDBY_ADMIN_PASSWORD`.
    pub admin_password: Option<String>,
    /// Folder for generated files (secret key, SQLite database by default), `STANDBY_DATA_DIR`.
    pub data_dir: PathBuf,
    /// Database connections per process, `STANDBY_POOL_SIZE`.
    pub pool_size: u32,
    /// Whether cookies carry the `Secure` flag, `STANDBY_SECURE_COOKIES` (default: when the base URL is https).
    pub secure_cookies: bool,
    /// When set, `/metrics` answers only `Authorization: Bearer <this>`, `STANDBY_METRICS_TOKEN`.
    pub metrics_token: Option<String>,
    /// How email leaves the service.
    pub mail: MailSettings,
    /// Every `STANDBY_*` variable, for the sections each area and job reads for itself (reminder lead times,
    /// schedules) through the same checks.
    pub vars: Vars,
}

impl std::fmt::Debug for Config {
    /// Without the secret and the first administrator's password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database", &self.database)
            .field("bind", &self.bind)
            .field("timezone", &self.timezone)
            .field("base_url", &self.base_url)
            .field("data_dir", &self.data_dir)
            .field("pool_size", &self.pool_size)
            .field("secure_cookies", &self.secure_cookies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "…"))
            .field("mail", &self.mail)
            .field("vars", &self.vars)
            .finish_non_exhaustive()
    }
}

/// A setting that could not be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

fn err(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

impl Config {
    /// Reads the process environment (after loading `.env` if present).
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_vars(std::env::vars())
    }

    /// Reads settings from any key/value source.
    pub fn from_vars(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let vars = Vars::new(
            vars.into_iter()
                .filter(|(k, _)| k.starts_with("STANDBY_"))
                .collect::<HashMap<String, String>>(),
        );
        let get = |name: &str| vars.get(name);

        let data_dir = PathBuf::from(get("STANDBY_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("STANDBY_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("standby.db").display()));
        let database =
            Backend::from_url(&database_url).map_err(|p| err("STANDBY_DATABASE_URL", p))?;

        let bind_text = get("STANDBY_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = bind_text.parse::<SocketAddr>().map_err(|_| {
            err(
                "STANDBY_BIND",
                format!("`{bind_text}` is not an address and port such as 127.0.0.1:8080"),
            )
        })?;

        let tz_text = get("STANDBY_TIMEZONE").unwrap_or_else(|| "Asia/Shanghai".into());
        let timezone = tz_text.parse::<chrono_tz::Tz>().map_err(|_| {
            err(
                "STANDBY_TIMEZONE",
                format!("`{tz_text}` is not an IANA time zone such as Asia/Shanghai"),
            )
        })?;

        let base_url_set = get("STANDBY_BASE_URL").is_some();
        let base_url = get("STANDBY_BASE_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(err(
                "STANDBY_BASE_URL",
                "must start with http:// or https://",
            ));
        }

        let secret = get("STANDBY_SECRET");
        if let Some(s) = &secret {
            if s.chars().count() < 32 {
                return Err(err("STANDBY_SECRET", "must be at least 32 characters long"));
            }
        }

        let admin_password = get("STANDBY_ADMIN_PASSWORD");
        if let Some(p) = &admin_password {
            crate::org::model::Password::parse(p, "admin")
                .map_err(|e| err("STANDBY_ADMIN_PASSWORD", e.message(crate::i18n::Lang::En)))?;
        }

        let pool_size = vars.number("STANDBY_POOL_SIZE", 8, 1..=256)? as u32;
        let caller_seconds = vars.number("STANDBY_CALLER_SECONDS", 5, 0..=60)? as u64;

        let secure_cookies = match get("STANDBY_SECURE_COOKIES").as_deref() {
            None => base_url.starts_with("https://"),
            Some("true" | "1" | "yes") => true,
            Some("false" | "0" | "no") => false,
            Some(other) => {
                return Err(err(
                    "STANDBY_SECURE_COOKIES",
                    format!("`{other}` is not true or false"),
                ))
            }
        };

        let metrics_token = get("STANDBY_METRICS_TOKEN");
        if metrics_token
            .as_ref()
            .is_some_and(|t| t.chars().count() < 16)
        {
            return Err(err(
                "STANDBY_METRICS_TOKEN",
                "must be at least 16 characters long",
            ));
        }
        let mail = mail_settings(&vars, &data_dir)?;

        Ok(Config {
            database,
            bind,
            timezone,
            base_url,
            base_url_set,
            secret,
            admin_password,
            data_dir,
            pool_size,
            caller_seconds,
            secure_cookies,
            metrics_token,
            mail,
            vars,
        })
    }
}

/// Whether a base URL points at this machine only (127.0.0.0/8, ::1, localhost, or any address).
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_base_urls_are_recognised() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:8080",
            "http://0.0.0.0:80",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in ["https://standby.yjj.example.gov.cn", "http://10.2.3.4:8080"] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn with_nothing_set_the_service_runs_on_sqlite_in_the_data_folder() {
        let c = Config::from_vars(vars(&[])).unwrap();
        assert_eq!(c.database, Backend::Sqlite("data/standby.db".into()));
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert!(!c.secure_cookies);
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            ("STANDBY_DATABASE_URL", "mysql://x", "an unsupported scheme"),
            ("STANDBY_BIND", "localhost", "no port"),
            ("STANDBY_TIMEZONE", "Mars/Olympus", "not an IANA zone"),
            ("STANDBY_BASE_URL", "ftp://x", "not http(s)"),
            ("STANDBY_SECRET", "short", "too short to sign cookies"),
            ("STANDBY_ADMIN_PASSWORD", "123", "too weak a password"),
            ("STANDBY_POOL_SIZE", "0", "a pool needs a connection"),
            ("STANDBY_SECURE_COOKIES", "maybe", "not a boolean"),
            (
                "STANDBY_METRICS_TOKEN",
                "short",
                "too short to guard anything",
            ),
            (
                "STANDBY_SMTP_URL",
                "smtp//mail.example.com",
                "no scheme separator",
            ),
            ("STANDBY_SMTP_URL", "imap://mail.example.com", "not SMTP"),
            (
                "STANDBY_SMTP_URL",
                "smtp://mail.example.com?tls=sometimes",
                "unknown TLS mode",
            ),
            ("STANDBY_MAIL_TRANSPORT", "pigeon", "no such transport"),
            ("STANDBY_MAIL_FROM", "not an address", "no address"),
            ("STANDBY_SMTP_POOL_SIZE", "0", "a pool needs a connection"),
            (
                "STANDBY_SMTP_CA_FILE",
                "/nonexistent/ca.pem",
                "no such file",
            ),
            (
                "STANDBY_WEBHOOK_HOSTS",
                "qyapi.weixin.qq.com,http://evil",
                "a URL, not a host",
            ),
        ];
        for (var, value, why) in cases {
            let e = Config::from_vars(vars(&[(var, value)])).unwrap_err();
            assert_eq!(e.variable, var, "{why}");
        }
    }

    #[test]
    fn mail_defaults_to_eml_files_in_the_data_folder_and_smtp_when_a_url_is_given() {
        let c = Config::from_vars(vars(&[])).unwrap();
        assert_eq!(c.mail.transport, MailTransport::File("data/outbox".into()));
        let c = Config::from_vars(vars(&[(
            "STANDBY_SMTP_URL",
            "smtp://user:hunter2@mail.example.com:587?tls=required",
        )]))
        .unwrap();
        assert!(matches!(c.mail.transport, MailTransport::Smtp(_)));
        assert!(
            !format!("{c:?}").contains("hunter2"),
            "the SMTP password never reaches the logs"
        );
        let c = Config::from_vars(vars(&[
            ("STANDBY_SECRET", "a-secret-that-is-long-enough-for-cookies"),
            ("STANDBY_ADMIN_PASSWORD", "a sturdy first password"),
        ]))
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("long-enough") && !shown.contains("sturdy"),
            "{shown}"
        );
    }

    #[test]
    fn choosing_smtp_without_a_url_names_the_missing_url() {
        let e = Config::from_vars(vars(&[("STANDBY_MAIL_TRANSPORT", "smtp")])).unwrap_err();
        assert_eq!(e.variable, "STANDBY_SMTP_URL");
    }

    #[test]
    fn https_base_url_turns_on_secure_cookies() {
        let c = Config::from_vars(vars(&[(
            "STANDBY_BASE_URL",
            "https://standby.example.gov.cn/",
        )]))
        .unwrap();
        assert!(c.secure_cookies);
        assert_eq!(c.base_url, "https://standby.example.gov.cn");
    }
}
