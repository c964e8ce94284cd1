//! SMTP connections kept open and reused. Plain and STARTTLS connections are opened on sockets with
//! `TCP_NODELAY`: lettre writes a message's DATA terminator as its own small segment, and without it Nagle's
//! algorithm held that segment until the server's delayed ACK (~40 ms), capping delivery at about 25 messages
//! per second per connection. Implicit TLS (`smtps://`) connections are opened by lettre. The SMTP dialogue,
//! TLS and authentication are lettre's; this module keeps the pool and runs each transaction itself, so that
//! every recipient gets its own answer (one refused address does not fail the others), and a pooled
//! connection the server has dropped (it restarted) is replaced at once instead of failing the message.

use std::time::{Duration, Instant};

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::Address;

use super::{Outcome, SendError};

/// How a connection is secured (`smtps://`, or `?tls=` in an `smtp://` URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    Plain,
    StartTlsIfOffered,
    StartTls,
    ImplicitTls,
}

/// TLS settings for `host`: the system's trusted authorities, plus `ca` (PEM) when given.
pub fn tls_parameters(
    host: &str,
    ca: Option<&[u8]>,
) -> Result<TlsParameters, lettre::transport::smtp::Error> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(pem) = ca {
        builder = builder.add_root_certificate(Certificate::from_pem(pem)?);
    }
    builder.build_rustls()
}

/// An idle connection is checked with NOOP before reuse when it has rested longer than this.
const CHECK_AFTER: Duration = Duration::from_secs(5);
/// An idle connection older than this is closed rather than reused (servers drop idle clients).
const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// A pool of SMTP connections to one server.
pub struct SmtpPool {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    ca: Option<Vec<u8>>,
    timeout: Duration,
    max_idle: usize,
    idle: std::sync::Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

fn transient(what: &str, e: impl std::fmt::Display) -> SendError {
    SendError::Transient(format!("{what}: {e}"))
}

fn classify(e: &lettre::transport::smtp::Error) -> SendError {
    if e.is_permanent() {
        SendError::Permanent(e.to_string())
    } else {
        SendError::Transient(e.to_string())
    }
}

/// The connection failed (closed, reset, garbled), as opposed to the server answering no.
fn broken(e: &lettre::transport::smtp::Error) -> bool {
    !e.is_permanent() && !e.is_transient()
}

/// How a transaction on one connection went.
enum Transaction {
    /// Every recipient has an answer.
    Done(Vec<Outcome>),
    /// The connection failed before any recipient was given: nothing was delivered, so trying again on a
    /// fresh connection cannot duplicate anything.
    DeadBeforeStart(lettre::transport::smtp::Error),
}

impl SmtpPool {
    /// Reads `smtp://[user:pass@]host[:port][/helo-name][?tls=required|opportunistic]` or
    /// `smtps://[user:pass@]host[:port]` (the URL was checked with lettre's parser when the settings were read).
    pub fn from_url(url: &str, max_idle: usize, ca: Option<Vec<u8>>) -> anyhow::Result<SmtpPool> {
        let u = url::Url::parse(url)?;
        let tls = u
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        let (security, default_port) = match (u.scheme(), tls.as_deref()) {
            ("smtps", _) => (Security::ImplicitTls, 465),
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTls, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTlsIfOffered, 587),
            ("smtp", Some(other)) => anyhow::bail!("unknown tls mode `{other}`"),
            (other, _) => anyhow::bail!("`{other}` is not smtp or smtps"),
        };
        let host = u
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("no host"))?
            .to_string();
        let decode = |s: &str| -> anyhow::Result<String> {
            Ok(percent_encoding::percent_decode_str(s)
                .decode_utf8()?
                .into_owned())
        };
        let credentials = match u.password() {
            Some(p) => Some(Credentials::new(decode(u.username())?, decode(p)?)),
            None => None,
        };
        let name = u.path().trim_matches('/');
        Ok(SmtpPool {
            port: u.port().unwrap_or(default_port),
            security,
            credentials,
            hello: if name.is_empty() {
                ClientId::default()
            } else {
                ClientId::Domain(name.to_string())
            },
            ca,
            timeout: Duration::from_secs(30),
            max_idle,
            idle: std::sync::Mutex::new(Vec::new()),
            host,
        })
    }

    /// Opens a connection the way lettre's transport does (greeting and EHLO, TLS, AUTH); plain and STARTTLS
    /// connections on a socket with `TCP_NODELAY`.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let what = format!("connecting to {}:{}", self.host, self.port);
        let fail = |e: lettre::transport::smtp::Error| match classify(&e) {
            SendError::Transient(m) => SendError::Transient(format!("{what}: {m}")),
            permanent => permanent,
        };
        let handshake = async {
            let tls = || tls_parameters(&self.host, self.ca.as_deref()).map_err(fail);
            let mut conn = if self.security == Security::ImplicitTls {
                let address = (self.host.as_str(), self.port);
                AsyncSmtpConnection::connect_tokio1(address, None, &self.hello, Some(tls()?), None)
                    .await
                    .map_err(fail)?
            } else {
                let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
                    .await
                    .map_err(|e| transient(&what, e))?;
                tcp.set_nodelay(true).map_err(|e| transient(&what, e))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
                    .await
                    .map_err(fail)?
            };
            let upgrade = match self.security {
                Security::StartTls => true,
                Security::StartTlsIfOffered => conn.can_starttls(),
                Security::Plain | Security::ImplicitTls => false,
            };
            if upgrade {
                conn.starttls(tls()?, &self.hello).await.map_err(fail)?;
            }
            if let Some(c) = &self.credentials {
                conn.auth(&[Mechanism::Plain, Mechanism::Login], c)
                    .await
                    .map_err(fail)?;
            }
            Ok(conn)
        };
        tokio::time::timeout(self.timeout, handshake)
            .await
            .map_err(|e| transient(&what, e))?
    }

    /// A rested connection that still answers, or none.
    async fn reuse(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let (mut conn, since) = {
                let mut idle = self.idle.lock().ok()?;
                idle.pop()?
            };
            let rested = since.elapsed();
            if rested > IDLE_LIMIT {
                continue;
            }
            if rested < CHECK_AFTER || conn.test_connected().await {
                return Some(conn);
            }
        }
    }

    fn keep(&self, conn: AsyncSmtpConnection) {
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < self.max_idle {
                idle.push((conn, Instant::now()));
            }
        }
    }

    /// One transaction: MAIL, a RCPT per recipient (each answered on its own), and DATA for those accepted.
    async fn transaction(
        &self,
        conn: &mut AsyncSmtpConnection,
        from: &Address,
        to: &[Address],
        raw: &[u8],
    ) -> Result<Transaction, SendError> {
        let mut options = Vec::new();
        if to.iter().chain([from]).any(|a| !a.to_string().is_ascii()) {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err(SendError::Permanent(
                    "an address is not ASCII and the server does not take SMTPUTF8".into(),
                ));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        if !raw.is_ascii() {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        if let Err(e) = conn.command(Mail::new(Some(from.clone()), options)).await {
            return if broken(&e) {
                Ok(Transaction::DeadBeforeStart(e))
            } else {
                Err(classify(&e))
            };
        }
        let mut outcomes = Vec::with_capacity(to.len());
        for address in to {
            outcomes.push(
                match conn.command(Rcpt::new(address.clone(), vec![])).await {
                    Ok(_) => Outcome::Accepted,
                    Err(e) if broken(&e) => return Err(transient("giving the recipients", e)),
                    Err(e) => classify(&e).into(),
                },
            );
        }
        if !outcomes.contains(&Outcome::Accepted) {
            conn.command(Rset)
                .await
                .map_err(|e| transient("resetting", e))?;
            return Ok(Transaction::Done(outcomes));
        }
        // From here on, a failure applies to every recipient the server had accepted.
        let data = match conn.command(Data).await {
            Ok(_) => conn.message(raw).await,
            Err(e) => Err(e),
        };
        if let Err(e) = data {
            let failed: Outcome = classify(&e).into();
            for o in outcomes.iter_mut().filter(|o| **o == Outcome::Accepted) {
                *o = failed.clone();
            }
            if broken(&e) {
                return Err(transient("sending the message", e));
            }
        }
        Ok(Transaction::Done(outcomes))
    }

    /// Sends one message on a pooled connection. A pooled connection found dead before anything was sent is
    /// replaced once by a fresh one; a connection that failed in any other way is closed, not reused.
    pub async fn send(
        &self,
        from: &Address,
        to: &[Address],
        raw: &[u8],
    ) -> Result<Vec<Outcome>, SendError> {
        let (mut conn, mut reused) = match self.reuse().await {
            Some(c) => (c, true),
            None => (self.connect().await?, false),
        };
        loop {
            let result =
                tokio::time::timeout(self.timeout, self.transaction(&mut conn, from, to, raw))
                    .await
                    .unwrap_or_else(|e| Err(transient("sending", e)));
            match result {
                Ok(Transaction::Done(outcomes)) => {
                    self.keep(conn);
                    return Ok(outcomes);
                }
                Ok(Transaction::DeadBeforeStart(e)) if reused => {
                    tracing::info!(error = %e, "a pooled SMTP connection was dead; reconnecting");
                    conn.abort().await;
                    conn = self.connect().await?;
                    reused = false;
                }
                Ok(Transaction::DeadBeforeStart(e)) => {
                    conn.abort().await;
                    return Err(transient("starting the transaction", e));
                }
                Err(e) => {
                    conn.abort().await;
                    return Err(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_host_port_security_and_credentials() {
        let p =
            SmtpPool::from_url("smtp://a%40b.cn:p%3Ass@mail.x.cn?tls=required", 4, None).unwrap();
        assert_eq!((p.host.as_str(), p.port), ("mail.x.cn", 587));
        assert_eq!(p.security, Security::StartTls);
        assert!(p.credentials.is_some());
        let plain = SmtpPool::from_url("smtp://127.0.0.1:2525", 4, None).unwrap();
        assert_eq!((plain.port, plain.security), (2525, Security::Plain));
        assert!(plain.credentials.is_none());
        let implicit = SmtpPool::from_url("smtps://mail.x.cn", 4, None).unwrap();
        assert_eq!(
            (implicit.port, implicit.security),
            (465, Security::ImplicitTls)
        );
        assert!(SmtpPool::from_url("smtp://mail.x.cn?tls=sometimes", 4, None).is_err());
    }
}
