//! The settings of email: transport, sender, SMTP pool, retry limit, extra certificate authority.

use std::path::PathBuf;

use super::{err, ConfigError};

/// Where email goes.
#[derive(Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// One `.eml` file per message in this folder (the embedded default), `STANDBY_MAIL_DIR`.
    File(PathBuf),
    /// An SMTP server, `STANDBY_SMTP_URL` (`smtp://user:pass@host:587?tls=required`, `smtps://…`).
    Smtp(String),
    /// Kept in memory (tests and trials), `STANDBY_MAIL_TRANSPORT=memory`.
    Memory,
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailTransport::File(dir) => write!(f, "File({})", dir.display()),
            // The URL may carry a password: show the host only.
            MailTransport::Smtp(url) => {
                let host = url.rsplit('@').next().unwrap_or(url);
                write!(f, "Smtp({})", host.rsplit('/').next().unwrap_or(host))
            }
            MailTransport::Memory => write!(f, "Memory"),
        }
    }
}

/// Email settings.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The transport.
    pub transport: MailTransport,
    /// The sender, `STANDBY_MAIL_FROM` (`显示名 <address>`).
    pub from: String,
    /// SMTP connections kept open and messages sent at once, `STANDBY_SMTP_POOL_SIZE`.
    pub pool_size: u32,
    /// Attempts before a notice is left as failed, `STANDBY_NOTICE_MAX_ATTEMPTS`.
    pub max_attempts: i32,
    /// Extra certificate authority (PEM) to trust for the SMTP server, `STANDBY_SMTP_CA_FILE`: for intranet
    /// mail servers whose certificate comes from the organisation's own CA.
    pub ca_file: Option<PathBuf>,
    /// The hosts units' group-chat robots may be reached at, `STANDBY_WEBHOOK_HOSTS` (comma-separated, a port
    /// where it is not the scheme's own): 企业微信's and 钉钉's by default, so a webhook address cannot be
    /// turned against the office's own network.
    pub webhook_hosts: Vec<String>,
}

pub(super) fn mail_settings(
    vars: &super::Vars,
    data_dir: &std::path::Path,
) -> Result<MailSettings, ConfigError> {
    let get = |name: &str| vars.get(name);
    let smtp_url = get("STANDBY_SMTP_URL");
    let chosen = get("STANDBY_MAIL_TRANSPORT").map(|t| t.to_ascii_lowercase());
    let transport = match (chosen.as_deref(), smtp_url) {
        (Some("smtp") | None, Some(url)) => {
            // Built once here only to check it; the mailer builds its own pool at start-up.
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url).map_err(|e| {
                err(
                    "STANDBY_SMTP_URL",
                    format!(
                        "not a usable SMTP URL ({e}); expected smtp://user:pass@host:587?tls=required, \
                         smtps://user:pass@host:465 or smtp://host:25"
                    ),
                )
            })?;
            MailTransport::Smtp(url)
        }
        (Some("smtp"), None) => {
            return Err(err(
                "STANDBY_SMTP_URL",
                "must be set when STANDBY_MAIL_TRANSPORT=smtp",
            ))
        }
        (Some("file") | None, _) => MailTransport::File(
            get("STANDBY_MAIL_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("outbox")),
        ),
        (Some("memory"), _) => MailTransport::Memory,
        (Some(other), _) => {
            return Err(err(
                "STANDBY_MAIL_TRANSPORT",
                format!("`{other}` is not one of file, smtp, memory"),
            ))
        }
    };
    let from =
        get("STANDBY_MAIL_FROM").unwrap_or_else(|| "应急值守与物资 <standby@localhost>".into());
    from.parse::<lettre::message::Mailbox>().map_err(|e| {
        err(
            "STANDBY_MAIL_FROM",
            format!("`{from}` is not a sender such as 区应急管理局 <standby@example.gov.cn> ({e})"),
        )
    })?;
    let ca_file = get("STANDBY_SMTP_CA_FILE").map(PathBuf::from);
    if let Some(path) = &ca_file {
        match std::fs::read_to_string(path) {
            Ok(pem) if pem.contains("-----BEGIN CERTIFICATE-----") => {}
            Ok(_) => {
                return Err(err(
                    "STANDBY_SMTP_CA_FILE",
                    format!("{} holds no PEM certificate", path.display()),
                ))
            }
            Err(e) => {
                return Err(err(
                    "STANDBY_SMTP_CA_FILE",
                    format!("cannot read {}: {e}", path.display()),
                ))
            }
        }
    }
    let webhook_hosts: Vec<String> = get("STANDBY_WEBHOOK_HOSTS")
        .unwrap_or_else(|| "qyapi.weixin.qq.com,oapi.dingtalk.com".into())
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    if let Some(bad) = webhook_hosts.iter().find(|h| h.contains(['/', '@', ' '])) {
        return Err(err(
            "STANDBY_WEBHOOK_HOSTS",
            format!("`{bad}` is not a host such as qyapi.weixin.qq.com or 10.0.0.5:8080"),
        ));
    }
    Ok(MailSettings {
        ca_file,
        webhook_hosts,
        transport,
        from,
        pool_size: vars.number("STANDBY_SMTP_POOL_SIZE", 4, 1..=64)? as u32,
        max_attempts: vars.number("STANDBY_NOTICE_MAX_ATTEMPTS", 8, 1..=50)? as i32,
    })
}
