//! SMTP connections kept open and reused, with `TCP_NODELAY`. lettre writes a message's DATA terminator as its
//! own small segment; on a socket without `TCP_NODELAY`, Nagle's algorithm holds it until the server's delayed
//! ACK (~40 ms), which capped delivery at about 25 messages per second per connection. The SMTP dialogue,
//! STARTTLS and authentication are lettre's; this module only opens the socket and keeps the pool.
//! Implicit TLS (`smtps://`) stays on lettre's own pooled transport.

use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use super::mail::SendError;

/// Whether to upgrade with STARTTLS (`?tls=` in the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartTls {
    Off,
    Opportunistic,
    Required,
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
    starttls: StartTls,
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

impl SmtpPool {
    /// Reads `smtp://[user:pass@]host[:port][/helo-name][?tls=required|opportunistic]` (the URL was checked
    /// with lettre's parser when the settings were read). `None` for `smtps://`, which lettre's transport serves.
    pub fn from_url(
        url: &str,
        max_idle: usize,
        ca: Option<Vec<u8>>,
    ) -> anyhow::Result<Option<SmtpPool>> {
        let u = url::Url::parse(url)?;
        if u.scheme() != "smtp" {
            return Ok(None);
        }
        let host = u
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("no host"))?
            .to_string();
        let tls = u
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        let (starttls, default_port) = match tls.as_deref() {
            None => (StartTls::Off, 25),
            Some("required") => (StartTls::Required, 587),
            Some("opportunistic") => (StartTls::Opportunistic, 587),
            Some(other) => anyhow::bail!("unknown tls mode `{other}`"),
        };
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
        Ok(Some(SmtpPool {
            port: u.port().unwrap_or(default_port),
            starttls,
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
        }))
    }

    /// Opens a connection the way lettre's transport does (greeting and EHLO, STARTTLS, AUTH), on a socket
    /// with `TCP_NODELAY`.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let what = format!("connecting to {}:{}", self.host, self.port);
        let tcp = tokio::time::timeout(
            self.timeout,
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|e| transient(&what, e))?
        .map_err(|e| transient(&what, e))?;
        tcp.set_nodelay(true).map_err(|e| transient(&what, e))?;
        let handshake = async {
            let mut conn =
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?;
            let upgrade = match self.starttls {
                StartTls::Required => true,
                StartTls::Opportunistic => conn.can_starttls(),
                StartTls::Off => false,
            };
            if upgrade {
                conn.starttls(tls_parameters(&self.host, self.ca.as_deref())?, &self.hello)
                    .await?;
            }
            if let Some(c) = &self.credentials {
                conn.auth(&[Mechanism::Plain, Mechanism::Login], c).await?;
            }
            Ok::<_, lettre::transport::smtp::Error>(conn)
        };
        tokio::time::timeout(self.timeout, handshake)
            .await
            .map_err(|e| transient(&what, e))?
            .map_err(|e| classify(&e))
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

    /// Sends one message on a pooled connection; a connection that failed in any way is closed, not reused.
    pub async fn send(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), SendError> {
        let mut conn = match self.reuse().await {
            Some(c) => c,
            None => self.connect().await?,
        };
        match tokio::time::timeout(self.timeout, conn.send(envelope, raw)).await {
            Ok(Ok(_)) => {
                if let Ok(mut idle) = self.idle.lock() {
                    if idle.len() < self.max_idle {
                        idle.push((conn, Instant::now()));
                    }
                }
                Ok(())
            }
            Ok(Err(e)) => {
                conn.abort().await;
                Err(classify(&e))
            }
            Err(e) => {
                conn.abort().await;
                Err(transient("sending", e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_host_port_starttls_and_credentials() {
        let p = SmtpPool::from_url("smtp://a%40b.cn:p%3Ass@mail.x.cn?tls=required", 4, None)
            .unwrap()
            .unwrap();
        assert_eq!((p.host.as_str(), p.port), ("mail.x.cn", 587));
        assert_eq!(p.starttls, StartTls::Required);
        assert!(p.credentials.is_some());
        let plain = SmtpPool::from_url("smtp://127.0.0.1:2525", 4, None)
            .unwrap()
            .unwrap();
        assert_eq!((plain.port, plain.starttls), (2525, StartTls::Off));
        assert!(plain.credentials.is_none());
        assert!(SmtpPool::from_url("smtps://mail.x.cn", 4, None)
            .unwrap()
            .is_none());
        assert!(SmtpPool::from_url("smtp://mail.x.cn?tls=sometimes", 4, None).is_err());
    }
}
