//! Turning a stored notice into an email and handing it to the configured transport: pooled SMTP, `.eml`
//! files (the embedded default), or memory (tests).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::header::{self, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::Tls;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::smtp::SmtpPool;
use super::store::{Notice, StoredRecipient};
use crate::config::{MailSettings, MailTransport};

/// Why a message did not go out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth another try later (server down, busy, timed out, 4xx).
    #[error("{0}")]
    Transient(String),
    /// Will never work as it is (5xx refusal, an unusable address).
    #[error("{0}")]
    Permanent(String),
}

/// A message the memory transport kept.
#[derive(Debug, Clone)]
pub struct SentMail {
    /// Envelope recipients.
    pub to: Vec<String>,
    /// The whole message as it would go over the wire.
    pub raw: Vec<u8>,
}

enum Transport {
    /// Plain SMTP or STARTTLS, on our pool of `TCP_NODELAY` connections.
    Smtp(SmtpPool),
    /// Implicit TLS (`smtps://`), on lettre's own pooled transport.
    Smtps(AsyncSmtpTransport<Tokio1Executor>),
    File(PathBuf),
    Memory(Mutex<Vec<SentMail>>),
}

impl Drop for Transport {
    fn drop(&mut self) {
        // lettre's SMTP pool closes its connections on a spawned task, which needs a Tokio runtime. When the
        // last handle goes away outside one (a command-line run, a test), lend it a small runtime for that.
        if matches!(self, Transport::Smtps(_)) && tokio::runtime::Handle::try_current().is_err() {
            let smtp = std::mem::replace(self, Transport::Memory(Mutex::default()));
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                let _inside = rt.enter();
                drop(smtp);
            }
        }
    }
}

/// The mail transport, built once at start-up and shared (its SMTP connection pool is reused).
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
    /// Messages sent at once by one delivery run (the SMTP pool size).
    pub concurrency: usize,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match *self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Smtps(_) => "smtps",
            Transport::File(_) => "file",
            Transport::Memory(_) => "memory",
        };
        write!(f, "Mailer({kind}, from {})", self.from)
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834), so mail servers do not answer notices with vacation replies.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

impl Mailer {
    /// Builds the transport the settings name.
    pub fn new(settings: &MailSettings) -> anyhow::Result<Mailer> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("STANDBY_MAIL_FROM: {e}"))?;
        let transport = match &settings.transport {
            MailTransport::Smtp(url) => {
                let ca = match &settings.ca_file {
                    Some(path) => Some(
                        std::fs::read(path)
                            .map_err(|e| anyhow::anyhow!("STANDBY_SMTP_CA_FILE: {e}"))?,
                    ),
                    None => None,
                };
                let bad_url = |e: &dyn std::fmt::Display| anyhow::anyhow!("STANDBY_SMTP_URL: {e}");
                match SmtpPool::from_url(url, settings.pool_size as usize, ca.clone())
                    .map_err(|e| bad_url(&e))?
                {
                    Some(pool) => Transport::Smtp(pool),
                    None => {
                        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                            .map_err(|e| bad_url(&e))?
                            .timeout(Some(Duration::from_secs(30)))
                            .pool_config(
                                PoolConfig::new()
                                    .max_size(settings.pool_size)
                                    .idle_timeout(Duration::from_secs(60)),
                            );
                        if let Some(pem) = ca.as_deref() {
                            let host = url::Url::parse(url)
                                .map_err(|e| bad_url(&e))?
                                .host_str()
                                .unwrap_or_default()
                                .to_string();
                            let params = super::smtp::tls_parameters(&host, Some(pem))
                                .map_err(|e| anyhow::anyhow!("STANDBY_SMTP_CA_FILE: {e}"))?;
                            builder = builder.tls(Tls::Wrapper(params));
                        }
                        Transport::Smtps(builder.build())
                    }
                }
            }
            MailTransport::File(dir) => Transport::File(dir.clone()),
            MailTransport::Memory => Transport::Memory(Mutex::new(Vec::new())),
        };
        Ok(Mailer {
            transport: Arc::new(transport),
            from,
            concurrency: settings.pool_size as usize,
        })
    }

    /// The sender's address (its domain names Message-IDs).
    pub fn from_address(&self) -> String {
        self.from.email.to_string()
    }

    /// The email for a notice: multipart/alternative (plain text and HTML), its fixed Message-ID, UTF-8
    /// headers encoded as RFC 2047 words by lettre.
    pub fn message(
        &self,
        n: &Notice,
        recipients: &[StoredRecipient],
    ) -> Result<Message, SendError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(n.subject.clone())
            .message_id(Some(n.message_id.clone()))
            .header(AutoSubmitted);
        for r in recipients {
            let address = r.address.parse().map_err(|e| {
                SendError::Permanent(format!("unusable address {}: {e}", r.address))
            })?;
            let name = (!r.name.is_empty()).then(|| r.name.clone());
            builder = builder.to(Mailbox::new(name, address));
        }
        if recipients.is_empty() {
            return Err(SendError::Permanent("the notice has no recipients".into()));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                n.body_text.clone(),
                n.body_html.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
    }

    /// Sends a notice once.
    pub async fn send(&self, n: &Notice, recipients: &[StoredRecipient]) -> Result<(), SendError> {
        let message = self.message(n, recipients)?;
        match &*self.transport {
            Transport::Smtp(pool) => pool.send(message.envelope(), &message.formatted()).await,
            Transport::Smtps(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Transport::File(dir) => write_eml(dir, n.id, &message.formatted())
                .await
                .map_err(|e| SendError::Transient(format!("writing {}: {e}", dir.display()))),
            Transport::Memory(kept) => {
                let to = message
                    .envelope()
                    .to()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                if let Ok(mut kept) = kept.lock() {
                    kept.push(SentMail {
                        to,
                        raw: message.formatted(),
                    });
                }
                Ok(())
            }
        }
    }

    /// What the memory transport has kept (empty for the others).
    pub fn sent(&self) -> Vec<SentMail> {
        match &*self.transport {
            Transport::Memory(kept) => kept.lock().map(|k| k.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// One file per notice, `notice-<id>.eml`, written whole or not at all (a resend replaces it).
async fn write_eml(dir: &std::path::Path, id: i64, raw: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".notice-{id}.eml.tmp"));
    tokio::fs::write(&tmp, raw).await?;
    tokio::fs::rename(&tmp, dir.join(format!("notice-{id}.eml"))).await
}
