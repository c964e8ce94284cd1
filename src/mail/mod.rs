//! How a message leaves the service: SMTP on a pool of connections standby keeps itself (plain, STARTTLS or
//! implicit TLS), `.eml` files (the embedded default), or memory (tests and trials). Delivery is reported per
//! recipient, so one refused address does not hold back the others.

pub mod smtp;
pub mod webhook;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use lettre::message::header::{self, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use self::smtp::SmtpPool;
use crate::config::{MailSettings, MailTransport};

/// Why a message as a whole did not go out (no recipient got it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth another try later (server down, busy, timed out).
    #[error("{0}")]
    Transient(String),
    /// Will never work as it is (the message itself was refused).
    #[error("{0}")]
    Permanent(String),
}

/// What became of one recipient of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted the message for this address.
    Accepted,
    /// Refused for good (5xx, or an address that cannot be written).
    Refused(String),
    /// Not now (4xx); worth another try.
    Deferred(String),
}

impl From<SendError> for Outcome {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transient(m) => Outcome::Deferred(m),
            SendError::Permanent(m) => Outcome::Refused(m),
        }
    }
}

/// An addressee as the message's `To:` header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub address: String,
    /// Display name (may be empty).
    pub name: String,
}

/// A message to send: what it says and to whom it is addressed.
#[derive(Debug, Clone)]
pub struct Letter<'a> {
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The same for every attempt, so a repeat after a crash is recognisable.
    pub message_id: &'a str,
    /// Everyone the message is addressed to (its `To:` header).
    pub to: &'a [Addressee],
    /// A short name for the file transport's `.eml` file, e.g. `notice-12`.
    pub file_name: &'a str,
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
    Smtp(SmtpPool),
    File(PathBuf),
    Memory(Mutex<Vec<SentMail>>),
}

/// The mail transport, built once at start-up and shared (its SMTP connections are reused).
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
    /// Messages sent at once by one delivery run (the SMTP pool size).
    pub concurrency: usize,
    /// Posts to units' group-chat robots.
    pub robots: webhook::Poster,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match *self.transport {
            Transport::Smtp(_) => "smtp",
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
                Transport::Smtp(
                    SmtpPool::from_url(url, settings.pool_size as usize, ca)
                        .map_err(|e| anyhow::anyhow!("STANDBY_SMTP_URL: {e}"))?,
                )
            }
            MailTransport::File(dir) => Transport::File(dir.clone()),
            MailTransport::Memory => Transport::Memory(Mutex::new(Vec::new())),
        };
        Ok(Mailer {
            transport: Arc::new(transport),
            from,
            concurrency: settings.pool_size as usize,
            robots: webhook::Poster::default(),
        })
    }

    /// The sender's address (its domain names Message-IDs).
    pub fn from_address(&self) -> String {
        self.from.email.to_string()
    }

    /// The email: multipart/alternative (plain text and HTML), its fixed Message-ID, UTF-8 headers encoded as
    /// RFC 2047 words by lettre. Addressees whose address cannot be written are left out of the header.
    pub fn message(&self, letter: &Letter<'_>) -> Result<Message, SendError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(letter.subject)
            .message_id(Some(letter.message_id.to_string()))
            .header(AutoSubmitted);
        let mut any = false;
        for a in letter.to {
            if let Ok(address) = a.address.parse() {
                let name = (!a.name.is_empty()).then(|| a.name.clone());
                builder = builder.to(Mailbox::new(name, address));
                any = true;
            }
        }
        if !any {
            return Err(SendError::Permanent(
                "the notice has no usable recipient".into(),
            ));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                letter.text.to_string(),
                letter.html.to_string(),
            ))
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
    }

    /// Sends `letter` to `deliver_to` (some or all of its addressees, say those a first attempt did not
    /// reach) and tells what became of each, in the same order. `Err` when nobody could be tried at all.
    pub async fn send(
        &self,
        letter: &Letter<'_>,
        deliver_to: &[&str],
    ) -> Result<Vec<Outcome>, SendError> {
        let message = self.message(letter)?;
        let raw = message.formatted();
        // Addresses lettre cannot write are refused one by one; the rest go in one transaction.
        let parsed: Vec<Option<lettre::Address>> =
            deliver_to.iter().map(|a| a.parse().ok()).collect();
        let usable: Vec<lettre::Address> = parsed.iter().flatten().cloned().collect();
        let mut sent = if usable.is_empty() {
            Vec::new()
        } else {
            match &*self.transport {
                Transport::Smtp(pool) => pool.send(&self.from.email, &usable, &raw).await?,
                Transport::File(dir) => {
                    write_eml(dir, letter.file_name, &raw).await.map_err(|e| {
                        SendError::Transient(format!("writing {}: {e}", dir.display()))
                    })?;
                    vec![Outcome::Accepted; usable.len()]
                }
                Transport::Memory(kept) => {
                    if let Ok(mut kept) = kept.lock() {
                        kept.push(SentMail {
                            to: usable.iter().map(ToString::to_string).collect(),
                            raw,
                        });
                    }
                    vec![Outcome::Accepted; usable.len()]
                }
            }
        }
        .into_iter();
        Ok(parsed
            .iter()
            .zip(deliver_to)
            .map(|(p, address)| match p {
                Some(_) => sent.next().unwrap_or(Outcome::Deferred("no answer".into())),
                None => Outcome::Refused(format!("unusable address {address}")),
            })
            .collect())
    }

    /// What the memory transport has kept (empty for the others).
    pub fn sent(&self) -> Vec<SentMail> {
        match &*self.transport {
            Transport::Memory(kept) => kept.lock().map(|k| k.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// One file per message, `<name>.eml`, written whole or not at all (a resend replaces it).
async fn write_eml(dir: &std::path::Path, name: &str, raw: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{name}.eml.tmp"));
    tokio::fs::write(&tmp, raw).await?;
    tokio::fs::rename(&tmp, dir.join(format!("{name}.eml"))).await
}
