//! The settings of email and reminders: transport, sender, SMTP pool, retry limit, job schedules, lead times.

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
}

/// Six-field cron schedules in the office time zone; `None` turns a job off (an empty variable).
#[derive(Debug, Clone)]
pub struct JobSchedules {
    /// Reminder scan, `STANDBY_JOB_SCAN` (every minute).
    pub scan: Option<crate::jobs::CronSpec>,
    /// Delivery, `STANDBY_JOB_DELIVER` (every 5 seconds).
    pub deliver: Option<crate::jobs::CronSpec>,
    /// Daily digest, `STANDBY_JOB_DIGEST` (08:00).
    pub digest: Option<crate::jobs::CronSpec>,
    /// Ledger verification, `STANDBY_JOB_VERIFY` (02:30).
    pub verify: Option<crate::jobs::CronSpec>,
    /// Housekeeping, `STANDBY_JOB_PRUNE` (hourly).
    pub prune: Option<crate::jobs::CronSpec>,
}

/// When reminders fall due.
#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// Days before a batch expires to remind, largest first, `STANDBY_EXPIRY_LEAD_DAYS` (`90,30,7`).
    pub expiry_lead_days: Vec<i64>,
    /// Hours a movement may wait for its countersignature before a reminder, `STANDBY_COUNTERSIGN_REMIND_HOURS`.
    pub countersign_after_hours: i64,
    /// Days before a stocktake falls due to remind, `STANDBY_STOCKTAKE_REMIND_DAYS`.
    pub stocktake_ahead_days: i64,
}

/// A whole number within `range`, or `default` when the variable is not set.
pub(super) fn number(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(v) => match v.parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(err(
                name,
                format!(
                    "`{v}` is not a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
        },
    }
}

pub(super) fn mail_settings(
    get: &impl Fn(&str) -> Option<String>,
    data_dir: &std::path::Path,
) -> Result<MailSettings, ConfigError> {
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
    Ok(MailSettings {
        ca_file,
        transport,
        from,
        pool_size: number(get, "STANDBY_SMTP_POOL_SIZE", 4, 1..=64)? as u32,
        max_attempts: number(get, "STANDBY_NOTICE_MAX_ATTEMPTS", 8, 1..=50)? as i32,
    })
}

/// `90,30,7`: distinct whole days from 0 to 3650, kept largest first.
pub(super) fn lead_days(value: Option<String>) -> Result<Vec<i64>, ConfigError> {
    let Some(v) = value else {
        return Ok(vec![90, 30, 7]);
    };
    let mut days = Vec::new();
    for part in v.split(',') {
        match part.trim().parse::<i64>() {
            Ok(n) if (0..=3650).contains(&n) => days.push(n),
            _ => {
                return Err(err(
                    "STANDBY_EXPIRY_LEAD_DAYS",
                    format!("`{v}` is not a list of days such as 90,30,7"),
                ))
            }
        }
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    Ok(days)
}
