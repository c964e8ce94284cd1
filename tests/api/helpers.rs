//! `spawn_app()`: the real application on a random port against a fresh database, plus request helpers.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use standby::app::Areas;
use standby::clock::{Clock, FixedClock};
use standby::config::Config;
use standby::state::AppState;

pub const ADMIN_PASSWORD: &str = "admin-password-1";
/// Password every account created by the helpers gets.
pub const PASSWORD: &str = "correct horse battery";
/// The server secret every test instance shares (`STANDBY_SECRET`).
pub const SECRET: &str = "test-secret-that-is-long-enough-for-cookies";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Where this test's database lives, and how to remove it afterwards.
enum TestDb {
    /// Another instance's database: left for its owner to remove.
    Borrowed,
    Sqlite(std::path::PathBuf),
    #[allow(dead_code)]
    Postgres {
        admin_url: String,
        name: String,
    },
}

pub struct TestApp {
    pub base: String,
    pub database_url: String,
    pub clock: Arc<FixedClock>,
    pub state: AppState,
    pub areas: Areas,
    pub data_dir: std::path::PathBuf,
    agent: ureq::Agent,
    db: TestDb,
    server: actix_web::dev::ServerHandle,
    runtime: tokio::runtime::Handle,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = Utc::now().timestamp_subsec_nanos();
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// The start time of every test clock: Saturday 28 November 2026, 10:00 in Shanghai.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0)
        .single()
        .unwrap()
}

fn fresh_database() -> (TestDb, String) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => postgres_database(&url),
        _ => {
            let path = std::env::temp_dir().join(format!("{}.db", unique("standby_test")));
            (
                TestDb::Sqlite(path.clone()),
                format!("sqlite://{}", path.display()),
            )
        }
    }
}

#[cfg(feature = "postgres")]
fn postgres_database(admin_url: &str) -> (TestDb, String) {
    use diesel::{Connection, RunQueryDsl};
    let name = unique("standby_test");
    let mut conn = diesel::PgConnection::establish(admin_url)
        .expect("TEST_DATABASE_URL must reach PostgreSQL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .unwrap();
    let (head, _) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL needs a database name");
    let url = format!("{head}/{name}");
    (
        TestDb::Postgres {
            admin_url: admin_url.to_string(),
            name,
        },
        url,
    )
}

#[cfg(not(feature = "postgres"))]
fn postgres_database(_: &str) -> (TestDb, String) {
    panic!("TEST_DATABASE_URL points at PostgreSQL: run the tests with `--features postgres`");
}

/// Starts the app with the given extra settings.
pub fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let (db, url) = fresh_database();
    start(db, url, extra)
}

fn start(db: TestDb, url: String, extra: &[(&str, &str)]) -> TestApp {
    let data_dir = std::env::temp_dir().join(unique("standby_data"));
    let mut vars: Vec<(String, String)> = vec![
        ("STANDBY_DATABASE_URL".into(), url.clone()),
        ("STANDBY_ADMIN_PASSWORD".into(), ADMIN_PASSWORD.into()),
        ("STANDBY_SECRET".into(), SECRET.into()),
        ("STANDBY_DATA_DIR".into(), data_dir.display().to_string()),
        ("STANDBY_POOL_SIZE".into(), "6".into()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let config = Config::from_vars(vars).expect("test configuration is valid");
    let areas = Areas::new(&config).expect("the areas' settings are valid");
    let server_areas = areas.clone();
    let clock = Arc::new(FixedClock::new(start_time()));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());

    let (tx, rx) = std::sync::mpsc::channel();
    let app_clock = clock.clone();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let key = standby::app::cookie_key(&config).unwrap();
            let (state, _) = standby::app::prepare(config, app_clock, true)
                .await
                .expect("app starts");
            let server = standby::app::server(state.clone(), &server_areas, key, listener).unwrap();
            tx.send((state, server.handle(), tokio::runtime::Handle::current()))
                .unwrap();
            let _ = server.await;
        });
    });
    let (state, server, runtime) = rx.recv().expect("server started");
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    TestApp {
        base,
        database_url: url,
        clock,
        state,
        areas,
        data_dir,
        agent,
        db,
        server,
        runtime,
        thread: Some(thread),
    }
}

/// Starts the app with default settings.
pub fn spawn_app() -> TestApp {
    spawn_app_with(&[])
}

impl TestApp {
    /// Another instance of the service on the same database (as behind a load balancer).
    pub fn another_instance(&self, extra: &[(&str, &str)]) -> TestApp {
        start(TestDb::Borrowed, self.database_url.clone(), extra)
    }

    /// Scans every area for reminders; returns how many notices were new.
    pub fn scan(&self) -> usize {
        let (state, reminders) = (&self.state, &self.areas.reminders);
        self.runtime
            .block_on(standby::notify::jobs::scan(
                state,
                reminders,
                self.clock.now(),
            ))
            .expect("the scan runs")
            .new
    }

    /// Delivers due notices.
    pub fn deliver(&self) -> standby::notify::jobs::DeliveryReport {
        self.runtime
            .block_on(standby::notify::jobs::deliver(
                &self.state,
                self.clock.now(),
            ))
            .expect("delivery runs")
    }

    /// Enqueues the daily digests; returns how many.
    pub fn digest(&self) -> usize {
        let (state, reminders) = (&self.state, &self.areas.reminders);
        self.runtime
            .block_on(standby::notify::jobs::digest(
                state,
                reminders,
                self.clock.now(),
            ))
            .expect("the digest runs")
    }

    /// Runs the scheduled job called `name` once at the test clock's time (no slot guard, as a rerun
    /// would); returns its report.
    pub fn job(&self, name: &str) -> String {
        let job = self
            .areas
            .jobs
            .find(name)
            .expect("a job by that name")
            .clone();
        let (state, now) = (self.state.clone(), self.clock.now());
        self.runtime
            .block_on(async move { standby::jobs::run(&state, &job, now).await })
            .expect("the job runs")
    }

    /// The nightly ledger verification.
    pub fn verify(&self) -> standby::inventory::service::verify::VerifyReport {
        self.runtime
            .block_on(standby::inventory::jobs::verify_ledgers(
                &self.state,
                self.clock.now(),
            ))
            .expect("verification runs")
    }

    /// The test clock's time.
    pub fn clock_now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Starts a task on the app's runtime (a job to be killed mid-way).
    pub fn spawn<F>(&self, f: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.runtime.spawn(f)
    }

    /// Runs the same code on the app's runtime (for jobs and services that tests drive directly).
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.runtime.block_on(self.server.stop(false));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
        match &self.db {
            TestDb::Borrowed => {}
            TestDb::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            #[cfg(feature = "postgres")]
            TestDb::Postgres { admin_url, name } => {
                use diesel::{Connection, RunQueryDsl};
                if let Ok(mut conn) = diesel::PgConnection::establish(admin_url) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn);
                }
            }
            #[cfg(not(feature = "postgres"))]
            TestDb::Postgres { .. } => {}
        }
    }
}

/// A response: status, headers we care about, and the body as text.
pub struct Resp {
    pub status: u16,
    pub text: String,
    pub headers: HashMap<String, Vec<String>>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// The error code of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

fn read(resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    read_bytes(resp).0
}

/// A response and its body exactly as sent (a downloaded file).
fn read_bytes(resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (Resp, Vec<u8>) {
    let mut resp = resp.expect("request reached the server");
    let mut headers: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in resp.headers() {
        headers
            .entry(k.as_str().to_string())
            .or_default()
            .push(v.to_str().unwrap_or_default().to_string());
    }
    let status = resp.status().as_u16();
    let bytes = resp.body_mut().read_to_vec().unwrap_or_default();
    let text = String::from_utf8(bytes.clone()).unwrap_or_default();
    (
        Resp {
            status,
            text,
            headers,
        },
        bytes,
    )
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A JSON API call; `body` is sent as JSON when given.
    pub fn api(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let url = self.url(path);
        let auth = token.map(|t| format!("Bearer {t}"));
        macro_rules! with_auth {
            ($req:expr) => {{
                let r = $req;
                match &auth {
                    Some(a) => r.header("Authorization", a),
                    None => r,
                }
            }};
        }
        let resp = match (method, body) {
            ("GET", _) => with_auth!(self.agent.get(&url)).call(),
            ("DELETE", _) => with_auth!(self.agent.delete(&url)).call(),
            ("POST", Some(b)) => with_auth!(self.agent.post(&url)).send_json(b),
            ("POST", None) => with_auth!(self.agent.post(&url)).send_empty(),
            ("PATCH", Some(b)) => with_auth!(self.agent.patch(&url)).send_json(b),
            ("PATCH", None) => with_auth!(self.agent.patch(&url)).send_empty(),
            ("PUT", Some(b)) => with_auth!(self.agent.put(&url)).send_json(b),
            (m, _) => panic!("unsupported method {m}"),
        };
        read(resp)
    }

    /// A JSON POST carrying an `Idempotency-Key`.
    pub fn post_once(&self, path: &str, token: &str, key: &str, body: Value) -> Resp {
        read(
            self.agent
                .post(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .header("Idempotency-Key", key)
                .send_json(body),
        )
    }

    /// Sends a raw body (for malformed-input tests).
    pub fn api_raw(
        &self,
        method: &str,
        path: &str,
        token: &str,
        content_type: &str,
        body: &str,
    ) -> Resp {
        let url = self.url(path);
        let req = match method {
            "POST" => self.agent.post(&url),
            "PATCH" => self.agent.patch(&url),
            m => panic!("unsupported method {m}"),
        };
        read(
            req.header("Authorization", &format!("Bearer {token}"))
                .content_type(content_type)
                .send(body),
        )
    }

    pub fn get(&self, path: &str, token: &str) -> Resp {
        self.api("GET", path, Some(token), None)
    }

    /// A GET whose body is a file: the response, and the bytes exactly as sent.
    pub fn download(&self, path: &str, token: &str) -> (Resp, Vec<u8>) {
        read_bytes(
            self.agent
                .get(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .call(),
        )
    }

    pub fn put(&self, path: &str, token: &str, body: Value) -> Resp {
        self.api("PUT", path, Some(token), Some(body))
    }

    /// Sends a file as the raw request body, its name in `X-File-Name` (an upload through the API).
    pub fn put_file(
        &self,
        path: &str,
        token: &str,
        content_type: &str,
        file_name: &str,
        body: &[u8],
    ) -> Resp {
        read(
            self.agent
                .put(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .header("X-File-Name", file_name)
                .content_type(content_type)
                .send(body),
        )
    }

    /// Posts a file as the raw request body (an import through the API).
    pub fn post_file(&self, path: &str, token: &str, content_type: &str, body: &[u8]) -> Resp {
        read(
            self.agent
                .post(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .content_type(content_type)
                .send(body),
        )
    }

    pub fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.api("POST", path, Some(token), Some(body))
    }

    pub fn patch(&self, path: &str, token: &str, body: Value) -> Resp {
        self.api("PATCH", path, Some(token), Some(body))
    }

    /// Exchanges credentials for a bearer token (panics unless it works).
    pub fn token(&self, username: &str, password: &str) -> String {
        let r = self.api(
            "POST",
            "/api/v1/auth/tokens",
            None,
            Some(json!({"username": username, "password": password})),
        );
        assert_eq!(r.status, 201, "sign-in of {username} failed: {}", r.text);
        r.json()["token"].as_str().unwrap().to_string()
    }

    pub fn admin_token(&self) -> String {
        self.token("admin", ADMIN_PASSWORD)
    }

    pub fn create_unit(&self, token: &str, name: &str, kind: &str, parent: Option<i64>) -> i64 {
        let r = self.post(
            "/api/v1/units",
            token,
            json!({"name": name, "kind": kind, "parent_id": parent}),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["id"].as_i64().unwrap()
    }

    pub fn create_person(&self, token: &str, name: &str, unit: i64) -> i64 {
        let r = self.post(
            "/api/v1/people",
            token,
            json!({"name": name, "unit_id": unit}),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["id"].as_i64().unwrap()
    }

    /// Creates an account with the given roles (`[(role, unit)]`) and returns (id, its token).
    pub fn create_account(
        &self,
        token: &str,
        username: &str,
        person: Option<i64>,
        roles: &[(&str, Option<i64>)],
    ) -> (i64, String) {
        let roles: Vec<Value> = roles
            .iter()
            .map(|(r, u)| json!({"role": r, "unit_id": u}))
            .collect();
        let r = self.post(
            "/api/v1/accounts",
            token,
            json!({"username": username, "password": PASSWORD, "person_id": person, "roles": roles}),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        (
            r.json()["id"].as_i64().unwrap(),
            self.token(username, PASSWORD),
        )
    }

    /// Number of audit rows (district administrator's view).
    pub fn audit_count(&self, admin: &str) -> i64 {
        self.get("/api/v1/audit?per_page=1", admin).json()["total"]
            .as_i64()
            .unwrap()
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: HashMap::new(),
            csrf: None,
            accept_language: "zh-CN,zh;q=0.9".into(),
        }
    }
}

/// A person with a web browser: keeps cookies and the last page's CSRF token; never follows redirects.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    pub accept_language: String,
}

impl Browser<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, r: &Resp) {
        for c in r.headers.get("set-cookie").into_iter().flatten() {
            let pair = c.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || c.to_ascii_lowercase().contains("max-age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        if let Some(rest) = r.text.split("name=\"csrf_token\" value=\"").nth(1) {
            self.csrf = rest.split('"').next().map(str::to_string);
        }
    }

    pub fn get(&mut self, path: &str) -> Resp {
        let r = read(
            self.app
                .agent
                .get(&self.app.url(path))
                .header("Cookie", &self.cookie_header())
                .header("Accept-Language", &self.accept_language)
                .call(),
        );
        self.absorb(&r);
        r
    }

    /// A GET whose body is a file: the response, and the bytes exactly as sent.
    pub fn download(&mut self, path: &str) -> (Resp, Vec<u8>) {
        read_bytes(
            self.app
                .agent
                .get(&self.app.url(path))
                .header("Cookie", &self.cookie_header())
                .header("Accept-Language", &self.accept_language)
                .call(),
        )
    }

    /// Posts a form with the current CSRF token added.
    /// A `HEAD` request with the browser's cookies.
    pub fn head(&mut self, path: &str) -> Resp {
        read(
            self.app
                .agent
                .head(&self.app.url(path))
                .header("Cookie", &self.cookie_header())
                .call(),
        )
    }

    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf.clone().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(path, &all)
    }

    /// Posts exactly these fields (no token added).
    pub fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let r = read(
            self.app
                .agent
                .post(&self.app.url(path))
                .header("Cookie", &self.cookie_header())
                .header("Accept-Language", &self.accept_language)
                .send_form(fields.iter().copied()),
        );
        self.absorb(&r);
        r
    }

    /// Posts a multipart body (file uploads).
    pub fn post_multipart(&mut self, path: &str, boundary: &str, body: &[u8]) -> Resp {
        let r = read(
            self.app
                .agent
                .post(&self.app.url(path))
                .header("Cookie", &self.cookie_header())
                .content_type(&format!("multipart/form-data; boundary={boundary}"))
                .send(body),
        );
        self.absorb(&r);
        r
    }

    /// Opens the sign-in page and signs in; returns the answer to the form.
    pub fn sign_in(&mut self, username: &str, password: &str) -> Resp {
        self.get("/login");
        self.post(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("next", "/"),
            ],
        )
    }
}

/// A `multipart/form-data` body: text fields, the CSRF token, and optionally a file `(field, name, bytes)`.
pub fn multipart(
    boundary: &str,
    csrf: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields.iter().chain([("csrf_token", csrf)].iter()) {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((field, name, bytes)) = file {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    body
}
