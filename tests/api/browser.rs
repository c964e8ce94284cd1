//! The keeper's main flow in a real browser: headless Chromium driven over WebDriver (plain HTTP with
//! `ureq`, no client crate). Sign in, receive a delivery with a new batch, issue with a typo then the fix,
//! countersign as the second keeper, count on a 390×844 phone window, approve as the unit head. Screenshots
//! go to `target/browser/`. Skipped, saying why, where `chromedriver` or `chromium` is missing
//! (`scripts/ensure-services.sh` installs both for CI).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, PASSWORD};
use crate::inventory::{receive, reserve};

fn find(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| PathBuf::from(d).join(cmd))
        .find(|p| p.is_file())
}

/// A WebDriver session on a chromedriver this test started.
struct Driver {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    shots: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(&format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Driver {
    fn start(chromedriver: &PathBuf, chromium: &PathBuf) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        for _ in 0..100 {
            if agent.get(&format!("{base}/status")).call().is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=zh-CN"],
            "prefs": {"intl.accept_languages": "zh-CN,zh"}
        }}}});
        let mut resp = agent
            .post(&format!("{base}/session"))
            .send_json(&caps)
            .expect("a browser session");
        let v: Value = resp.body_mut().read_json().unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser");
        std::fs::create_dir_all(&shots).unwrap();
        Driver {
            driver,
            base,
            session,
            agent,
            shots,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            (_, Some(b)) => self.agent.post(&url).send_json(&b),
            (_, None) => self.agent.post(&url).send_json(json!({})),
        }
        .expect("the driver answers");
        let v: Value = resp.body_mut().read_json().unwrap();
        assert!(
            v["value"]["error"].is_null(),
            "{method} {path}: {}",
            v["value"]
        );
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/clear"), None);
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/click"), None);
    }

    /// Which page load the window shows, and whether it has finished loading.
    fn load(&self) -> (String, bool) {
        let v = self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": "return [String(performance.timeOrigin), document.readyState];", "args": []})),
        );
        (
            v[0].as_str().unwrap_or_default().to_string(),
            v[1] == "complete",
        )
    }

    /// Clicks something that submits a form or follows a link, and waits for the next page to load.
    fn submit(&self, css: &str) {
        let (before, _) = self.load();
        self.click(css);
        for _ in 0..100 {
            let (now, done) = self.load();
            if now != before && done {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("clicking {css} loaded no page");
    }

    fn source(&self) -> String {
        self.call("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    fn shot(&self, name: &str) {
        let png = self.call("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or_default())
            .unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), bytes).unwrap();
    }

    fn sign_in(&self, site: &str, username: &str, password: &str) {
        self.go(&format!("{site}/login"));
        self.type_in("#username", username);
        self.type_in("#password", password);
        self.submit("button[type=submit]");
        if self.url().contains("/login") {
            self.shot(&format!("failed-sign-in-{username}"));
            panic!("{username} could not sign in: {}", self.source());
        }
    }

    fn sign_out(&self) {
        self.submit(r#"form[action="/logout"] button"#);
    }
}

#[test]
fn a_keeper_receives_issues_countersigns_counts_on_a_phone_and_the_head_approves() {
    let (Some(chromedriver), Some(chromium)) = (
        find("chromedriver"),
        find("chromium").or_else(|| find("chromium-browser")),
    ) else {
        eprintln!("browser test skipped: chromedriver and chromium are not installed (scripts/ensure-services.sh installs them)");
        return;
    };
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let site = app.base.clone();
    let b = Driver::start(&chromedriver, &chromium);
    let w = r.warehouse;

    // Receive a delivery with a batch that is new to the catalogue.
    b.sign_in(&site, "keeper1", PASSWORD);
    b.shot("01-home");
    b.go(&format!(
        "{site}/reserves/warehouses/{w}/movements/new?kind=purchase"
    ));
    b.type_in("#supplier", "吴中区防汛物资供应站");
    b.type_in("#document_no", "SH-2026-0930");
    b.type_in("#reason", "汛前补充沙袋");
    b.click(&format!(r#"#new_item_id option[value="{}"]"#, r.sandbags));
    b.type_in("#new_batch_no", "SB2026-09");
    b.type_in("#new_qty", "20");
    b.shot("02-receive-form");
    b.submit("button[type=submit]");
    let receipt_url = b.url();
    assert!(
        receipt_url.contains("/reserves/movements/"),
        "{receipt_url}"
    );
    assert!(b.source().contains("吴中区防汛物资供应站"));
    b.shot("03-receipt");

    // An issue with a typo comes back as the same issue, everything kept; the fix records it.
    b.go(&format!(
        "{site}/reserves/warehouses/{w}/movements/new?kind=use"
    ));
    b.type_in("#reason", "堤防巡查领用");
    b.click(&format!(
        r#"select[name="batch_1"] option[value="{}"]"#,
        r.sandbag_batch
    ));
    b.type_in(r#"input[name="qty_1"]"#, "2台");
    b.submit("button[type=submit]");
    let refused = b.source();
    assert!(
        refused.contains(r#"<option value="use" selected="">"#)
            || refused.contains(r#"value="use" selected"#),
        "still an issue"
    );
    assert!(refused.contains("堤防巡查领用"), "the reason is kept");
    b.shot("04-issue-typo");
    b.type_in(r#"input[name="qty_1"]"#, "2");
    b.submit("button[type=submit]");
    let issue_url = b.url();
    assert!(issue_url.contains("/reserves/movements/"), "{issue_url}");
    b.sign_out();

    // The second keeper countersigns both.
    b.sign_in(&site, "keeper2", PASSWORD);
    for url in [&receipt_url, &issue_url] {
        b.go(url);
        b.submit(r#"form[action$="/countersign"] button"#);
        let page = b.source();
        assert!(page.contains("已过账"), "{url} posted: {page}");
    }
    b.shot("05-countersigned");
    b.sign_out();

    // Counting on a phone.
    b.size(390, 844);
    b.sign_in(&site, "keeper1", PASSWORD);
    b.go(&format!("{site}/reserves/warehouses/{w}"));
    b.click(r#"input[name="confirm"]"#);
    b.submit(r#"form[action$="/stocktakes"] button"#);
    let sheet_url = b.url();
    assert!(sheet_url.contains("/reserves/stocktakes/"), "{sheet_url}");
    let stock = app
        .get(&format!("/api/v1/warehouses/{w}/stock"), &r.admin)
        .json();
    let st_id: i64 = sheet_url
        .rsplit('/')
        .next()
        .unwrap()
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let sheet = app
        .get(&format!("/api/v1/stocktakes/{st_id}"), &r.admin)
        .json();
    for line in sheet["lines"].as_array().unwrap() {
        let book = stock
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["batch_id"] == line["batch_id"])
            .map(|s| s["qty"].as_str().unwrap().to_string())
            .unwrap_or_else(|| "0".into());
        b.type_in(
            &format!(
                r#"form[action="/reserves/stocktake-lines/{}/counts"] input[name="qty"]"#,
                line["id"]
            ),
            &book,
        );
        b.submit(&format!(
            r#"form[action="/reserves/stocktake-lines/{}/counts"] button"#,
            line["id"]
        ));
        assert!(
            b.url().ends_with(&format!("#line-{}", line["id"])),
            "back at the line"
        );
    }
    b.shot("06-count-on-phone");
    b.sign_out();

    // The unit head approves.
    b.size(1280, 900);
    b.sign_in(&site, "head1", PASSWORD);
    b.go(&sheet_url);
    b.submit(r#"form[action$="/approve"] button"#);
    assert!(b.source().contains("已审批"));
    b.shot("07-approved");
    let done = app
        .get(&format!("/api/v1/stocktakes/{st_id}"), &r.admin)
        .json();
    assert_eq!(done["state"], "approved");
}
