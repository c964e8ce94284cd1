//! A small SMTP server the tests start themselves (RFC 5321 over TCP: greeting, EHLO/HELO, MAIL, RCPT,
//! DATA with dot-unstuffing, RSET, NOOP, QUIT). It keeps what it accepts, can refuse recipients, and can
//! be stopped and started again on the same port to play a server that goes down and comes back.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    /// The message parsed (headers decoded, MIME parts split).
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("a parsable message")
    }
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    /// Recipients refused with 550 (a permanent failure).
    refuse: Vec<String>,
    /// Recipients put off with 451 (try again later).
    defer: Vec<String>,
    /// How long the server takes to answer the end of a message (after it has kept it).
    slow: std::time::Duration,
}

/// A running (or stopped) test SMTP server.
pub struct SmtpServer {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SmtpServer {
    /// Starts on a free port.
    pub fn start() -> SmtpServer {
        Self::start_on("127.0.0.1:0".parse().unwrap(), Arc::default())
    }

    /// A free port with nothing listening on it yet (a server that is down).
    pub fn down() -> SmtpServer {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        SmtpServer {
            addr,
            shared: Arc::default(),
            stop: None,
            thread: None,
        }
    }

    fn start_on(addr: SocketAddr, shared: Arc<Mutex<Shared>>) -> SmtpServer {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::bind(addr).await.unwrap();
                ready_tx.send(listener.local_addr().unwrap()).unwrap();
                let accept = async {
                    loop {
                        let Ok((socket, _)) = listener.accept().await else {
                            continue;
                        };
                        tokio::spawn(session(socket, state.clone()));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stop_rx => {}
                }
            });
            // Dropping the runtime closes the listener and every open session.
        });
        let addr = ready_rx.recv().unwrap();
        SmtpServer {
            addr,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// `smtp://host:port` (plain SMTP, as on a local relay).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Starts listening (again) on the same port, keeping what was received.
    pub fn up(&mut self) {
        self.halt();
        let mut again = Self::start_on(self.addr, self.shared.clone());
        self.stop = again.stop.take();
        self.thread = again.thread.take();
    }

    /// Stops listening and drops every connection.
    pub fn halt(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Refuses mail for this address with a permanent error.
    pub fn refuse(&self, address: &str) {
        self.shared.lock().unwrap().refuse.push(address.into());
    }

    /// Puts mail for this address off with a temporary error (451), or stops doing so.
    pub fn defer(&self, address: &str, on: bool) {
        let defer = &mut self.shared.lock().unwrap().defer;
        defer.retain(|a| a != address);
        if on {
            defer.push(address.into());
        }
    }

    /// Makes the server keep each message and then wait this long before saying it accepted it.
    pub fn slow(&self, by: std::time::Duration) {
        self.shared.lock().unwrap().slow = by;
    }

    /// Everything accepted so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }

    /// Waits up to `secs` seconds until at least `n` messages arrived.
    pub fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let got = self.received();
            if got.len() >= n || std::time::Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.halt();
    }
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg.find('>').unwrap_or(arg.len());
    arg[start..end].to_string()
}

async fn session(socket: TcpStream, shared: Arc<Mutex<Shared>>) {
    // Replies are small writes: without this, Nagle and delayed ACKs add ~40 ms to every command.
    let _ = socket.set_nodelay(true);
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    if write
        .write_all(b"220 standby-test ESMTP\r\n")
        .await
        .is_err()
    {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::<String>::new());
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let answer: String = if upper.starts_with("EHLO") {
            "250-standby-test\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n".into()
        } else if upper.starts_with("HELO") {
            "250 standby-test\r\n".into()
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&line[10..]);
            to.clear();
            "250 2.1.0 OK\r\n".into()
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = address(&line[8..]);
            let (refused, deferred) = {
                let s = shared.lock().unwrap();
                (s.refuse.contains(&rcpt), s.defer.contains(&rcpt))
            };
            if refused {
                "550 5.1.1 No such mailbox\r\n".into()
            } else if deferred {
                "451 4.3.0 Try again later\r\n".into()
            } else {
                to.push(rcpt);
                "250 2.1.5 OK\r\n".into()
            }
        } else if upper == "DATA" {
            if write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await
                .is_err()
            {
                return;
            }
            let mut data = Vec::new();
            loop {
                let mut l = String::new();
                match lines.read_line(&mut l).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if l == ".\r\n" || l == ".\n" {
                    break;
                }
                let l = l.strip_prefix('.').unwrap_or(&l);
                data.extend_from_slice(l.as_bytes());
            }
            let slow = {
                let mut s = shared.lock().unwrap();
                s.received.push(Received {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                });
                s.slow
            };
            tokio::time::sleep(slow).await;
            "250 2.0.0 Queued\r\n".into()
        } else if upper == "RSET" {
            to.clear();
            "250 2.0.0 OK\r\n".into()
        } else if upper == "NOOP" {
            "250 2.0.0 OK\r\n".into()
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
            return;
        } else {
            "502 5.5.2 Command not recognised\r\n".into()
        };
        if write.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}
