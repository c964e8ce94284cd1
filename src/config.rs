//! Typed settings from `STANDBY_*` environment variables (and `.env` in development).
//! A bad value stops start-up with a message naming the variable and what is wrong.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::db::Backend;

/// Everything the service reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// Which database, from `STANDBY_DATABASE_URL`.
    pub database: Backend,
    /// Where to listen, `STANDBY_BIND`.
    pub bind: SocketAddr,
    /// The office's time zone, `STANDBY_TIMEZONE`.
    pub timezone: chrono_tz::Tz,
    /// Public address used in links, `STANDBY_BASE_URL` (no trailing slash).
    pub base_url: String,
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
        let vars: HashMap<String, String> = vars
            .into_iter()
            .filter(|(k, v)| k.starts_with("STANDBY_") && !v.trim().is_empty())
            .collect();
        let get = |name: &str| vars.get(name).map(|v| v.trim().to_string());

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

        let pool_size = match get("STANDBY_POOL_SIZE") {
            None => 8,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=256).contains(&n) => n,
                _ => {
                    return Err(err(
                        "STANDBY_POOL_SIZE",
                        format!("`{v}` is not a whole number from 1 to 256"),
                    ))
                }
            },
        };

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

        Ok(Config {
            database,
            bind,
            timezone,
            base_url,
            secret,
            admin_password,
            data_dir,
            pool_size,
            secure_cookies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        for (var, value, why) in cases {
            let e = Config::from_vars(vars(&[(var, value)])).unwrap_err();
            assert_eq!(e.variable, var, "{why}");
        }
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
