//! A unit's group chat robot (企业微信 / 钉钉) through the real app: set up on the API and the page, notices of
//! the chosen kinds posted through the outbox to a local robot that answers as the real ones do, retried when
//! it is busy, refused when its key is wrong, signed for DingTalk, and refused addresses outside the allowed hosts.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine;
use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, TestApp};
use crate::notify::{expiring_batch, notices, setup, Setup, CONTACT, KEEPER1};

/// One request the robot received.
#[derive(Debug, Clone)]
struct Posted {
    /// Path and query.
    target: String,
    content_type: String,
    body: Value,
}

/// A local group robot: answers each POST with the next scripted reply (HTTP status, body), then with
/// `{"errcode":0,"errmsg":"ok"}`, and keeps what it received.
struct Robot {
    port: u16,
    got: Arc<Mutex<Vec<Posted>>>,
    script: Arc<Mutex<VecDeque<(u16, String)>>>,
}

impl Robot {
    fn start() -> Robot {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Mutex<VecDeque<(u16, String)>>> = Arc::new(Mutex::new(VecDeque::new()));
        let (g, sc) = (got.clone(), script.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let target = line.split(' ').nth(1).unwrap_or_default().to_string();
                let (mut length, mut content_type) = (0, String::new());
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    let h = h.trim_end();
                    if h.is_empty() {
                        break;
                    }
                    let (name, value) = h.split_once(':').unwrap();
                    match name.to_ascii_lowercase().as_str() {
                        "content-length" => length = value.trim().parse().unwrap(),
                        "content-type" => content_type = value.trim().to_string(),
                        _ => {}
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                g.lock().unwrap().push(Posted {
                    target,
                    content_type,
                    body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                });
                let (status, reply) = sc
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or((200, r#"{"errcode":0,"errmsg":"ok"}"#.into()));
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                    reply.len()
                );
            }
        });
        Robot { port, got, script }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn answer_next(&self, status: u16, body: &str) {
        self.script
            .lock()
            .unwrap()
            .push_back((status, body.to_string()));
    }

    fn received(&self) -> Vec<Posted> {
        self.got.lock().unwrap().clone()
    }
}

fn app_with(robot: &Robot) -> TestApp {
    spawn_app_with(&[
        ("STANDBY_MAIL_TRANSPORT", "memory"),
        (
            "STANDBY_WEBHOOK_HOSTS",
            &format!("qyapi.weixin.qq.com,{}", robot.host()),
        ),
    ])
}

fn set_chat(app: &TestApp, s: &Setup, body: Value) -> crate::helpers::Resp {
    app.put(
        &format!("/api/v1/units/{}/chat", s.r.unit),
        &s.r.admin,
        body,
    )
}

fn chat_state(n: &Value) -> String {
    n["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"].as_str().unwrap().starts_with("chat:"))
        .map(|r| r["state"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn the_group_chat_hears_the_kinds_it_chose_beside_the_email() {
    let robot = Robot::start();
    let app = app_with(&robot);
    let s = setup(&app);
    let choices = app
        .get(&format!("/api/v1/units/{}/chat", s.r.unit), &s.r.admin)
        .json();
    assert_eq!(choices["chat"], Value::Null);
    let kinds: Vec<&str> = choices["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["code"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"batch_expiry") && kinds.contains(&"duty_gaps"));
    assert!(
        !kinds.contains(&"duty_upcoming"),
        "personal reminders stay personal"
    );

    let set = set_chat(
        &app,
        &s,
        json!({"flavour": "wecom", "url": robot.url("/cgi-bin/webhook/send?key=k1"), "kinds": ["batch_expiry"]}),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.json()["signed"], false);

    expiring_batch(&app, &s, "2026-12-23");
    app.scan();
    let zh = notices(&app, &s.r.admin, "kind=batch_expiry")
        .into_iter()
        .find(|n| n["language"] == "zh")
        .unwrap();
    let mut addresses = crate::notify::addresses(&zh);
    addresses.sort();
    assert_eq!(
        addresses,
        [format!("chat:{}", s.r.unit), KEEPER1.into(), CONTACT.into()]
    );
    app.deliver();
    let got = robot.received();
    assert_eq!(got.len(), 1, "one post for the Chinese notice: {got:?}");
    assert_eq!(got[0].target, "/cgi-bin/webhook/send?key=k1");
    assert!(got[0].content_type.starts_with("application/json"));
    assert_eq!(got[0].body["msgtype"], "text");
    let text = got[0].body["text"]["content"].as_str().unwrap();
    assert!(text.starts_with("【物资临期】救生衣"), "{text}");
    assert!(text.contains("http://"), "the link to act on: {text}");
    let zh = app
        .get(&format!("/api/v1/notices/{}", zh["id"]), &s.r.admin)
        .json();
    assert_eq!(zh["state"], "sent");
    assert_eq!(chat_state(&zh), "sent");
    assert_eq!(
        app.state.mailer.sent().len(),
        2,
        "the email went too (zh, en)"
    );

    // A kind the chat did not choose is not posted there.
    app.clock.advance(Duration::days(40));
    robot.got.lock().unwrap().clear();
    let issue = crate::notify::emergency_issue(&app, &s);
    assert!(issue > 0);
    app.deliver();
    assert!(robot.received().is_empty(), "countersigning is personal");
}

#[test]
fn a_busy_robot_is_tried_again_and_a_wrong_key_is_refused_without_holding_back_email() {
    let robot = Robot::start();
    let app = app_with(&robot);
    let s = setup(&app);
    set_chat(
        &app,
        &s,
        json!({"flavour": "wecom", "url": robot.url("/send?key=k"), "kinds": ["batch_expiry"]}),
    );
    expiring_batch(&app, &s, "2026-12-23");
    app.scan();
    robot.answer_next(200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#);
    let first = app.deliver();
    assert_eq!(first.retrying, 1, "{first:?}");
    let zh = || {
        notices(&app, &s.r.admin, "kind=batch_expiry")
            .into_iter()
            .find(|n| n["language"] == "zh")
            .unwrap()
    };
    assert_eq!(chat_state(&zh()), "pending");
    assert!(zh()["last_error"].as_str().unwrap().contains("45009"));
    assert_eq!(app.state.mailer.sent().len(), 2, "email went at once");
    assert_eq!(app.deliver().sent, 0, "not before the backoff");
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.deliver().sent, 1);
    assert_eq!(chat_state(&zh()), "sent");
    assert_eq!(robot.received().len(), 2);
    assert_eq!(app.state.mailer.sent().len(), 2, "email is not sent twice");

    // A wrong key: refused for the chat, visible, tried no more.
    let t = app.post(
        &format!("/api/v1/units/{}/chat/test", s.r.unit),
        &s.r.admin,
        json!({}),
    );
    assert_eq!(t.status, 202, "{}", t.text);
    robot.answer_next(200, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#);
    let report = app.deliver();
    assert_eq!((report.failed, report.refused), (1, 1), "{report:?}");
    let n = app
        .get(&format!("/api/v1/notices/{}", t.json()["id"]), &s.r.admin)
        .json();
    assert_eq!(chat_state(&n), "refused");
    assert!(n["recipients"][0]["error"]
        .as_str()
        .unwrap()
        .contains("93000"));
    app.clock.advance(Duration::hours(1));
    assert_eq!(app.deliver().sent, 0);
    assert_eq!(robot.received().len(), 3);

    // The robot's server down: worth retrying.
    let t = app.post(
        &format!("/api/v1/units/{}/chat/test", s.r.unit),
        &s.r.admin,
        json!({}),
    );
    robot.answer_next(503, "");
    assert_eq!(app.deliver().retrying, 1);
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.deliver().sent, 1);
    let n = app
        .get(&format!("/api/v1/notices/{}", t.json()["id"]), &s.r.admin)
        .json();
    assert_eq!(chat_state(&n), "sent");
}

#[test]
fn dingtalk_robots_get_signed_posts_and_the_secret_is_never_shown() {
    let robot = Robot::start();
    let app = app_with(&robot);
    let s = setup(&app);
    let set = set_chat(
        &app,
        &s,
        json!({"flavour": "dingtalk", "url": robot.url("/robot/send?access_token=t"), "secret": "SECtest123", "kinds": []}),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.json()["signed"], true);
    assert!(!set.text.contains("SECtest123"));
    let shown = app.get(&format!("/api/v1/units/{}/chat", s.r.unit), &s.r.admin);
    assert!(!shown.text.contains("SECtest123"), "{}", shown.text);
    let audit = app.get("/api/v1/audit?per_page=50", &s.r.admin);
    assert!(!audit.text.contains("SECtest123") && !audit.text.contains("access_token=t"));

    // Changing the kinds without a secret keeps it.
    let again = set_chat(
        &app,
        &s,
        json!({"flavour": "dingtalk", "url": robot.url("/robot/send?access_token=t"), "kinds": ["duty_gaps"]}),
    );
    assert_eq!(again.json()["signed"], true);

    app.post(
        &format!("/api/v1/units/{}/chat/test", s.r.unit),
        &s.r.admin,
        json!({}),
    );
    assert_eq!(app.deliver().sent, 1);
    let got = robot.received();
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(got[0].target.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).unwrap().1.clone();
    assert_eq!(get("access_token"), "t");
    let stamp = get("timestamp");
    let mac = standby::mail::webhook::hmac_sha256(
        b"SECtest123",
        format!("{stamp}\nSECtest123").as_bytes(),
    );
    assert_eq!(
        get("sign"),
        base64::engine::general_purpose::STANDARD.encode(mac)
    );
    assert!(got[0].body["text"]["content"]
        .as_str()
        .unwrap()
        .contains("测试"));

    // Signing turned off.
    let off = set_chat(
        &app,
        &s,
        json!({"flavour": "dingtalk", "url": robot.url("/robot/send?access_token=t"), "secret": ""}),
    );
    assert_eq!(off.json()["signed"], false);
}

#[test]
fn bad_robots_are_refused_with_a_reason_and_change_nothing() {
    let robot = Robot::start();
    let app = app_with(&robot);
    let s = setup(&app);
    let cases = [
        (
            json!({"flavour": "wecom", "url": "http://127.0.0.1:5432/", "kinds": []}),
            "url",
        ),
        (
            json!({"flavour": "wecom", "url": "https://evil.example.com/?qyapi.weixin.qq.com"}),
            "url",
        ),
        (
            json!({"flavour": "wecom", "url": "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}),
            "url",
        ),
        (
            json!({"flavour": "feishu", "url": robot.url("/x")}),
            "flavour",
        ),
        (
            json!({"flavour": "wecom", "url": robot.url("/x"), "kinds": ["duty_upcoming"]}),
            "kinds",
        ),
        (
            json!({"flavour": "dingtalk", "url": robot.url("/x"), "secret": "SEC a b"}),
            "secret",
        ),
    ];
    for (body, field) in cases {
        let r = set_chat(&app, &s, body.clone());
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert!(r.text.contains(field), "{body}: {}", r.text);
    }
    let now = app
        .get(&format!("/api/v1/units/{}/chat", s.r.unit), &s.r.admin)
        .json();
    assert_eq!(now["chat"], Value::Null, "nothing stored");
    let test = app.post(
        &format!("/api/v1/units/{}/chat/test", s.r.unit),
        &s.r.admin,
        json!({}),
    );
    assert_eq!(test.status, 409, "no chat to test: {}", test.text);
    let path = format!("/api/v1/units/{}/chat", s.r.unit);
    assert_eq!(app.api("DELETE", &path, Some(&s.r.admin), None).status, 404);

    // Only those who manage the unit's notices.
    let keeper = app.put(
        &path,
        &s.r.keeper,
        json!({"flavour": "wecom", "url": robot.url("/x")}),
    );
    assert_eq!(keeper.status, 403, "{}", keeper.text);
    assert_eq!(
        app.get(&format!("/api/v1/units/{}/chat", s.r.unit), &s.r.keeper)
            .status,
        403
    );
}

#[test]
fn a_removed_chat_is_refused_for_what_waited_and_the_page_keeps_what_was_typed() {
    let robot = Robot::start();
    let app = app_with(&robot);
    let s = setup(&app);
    let mut admin = app.browser();
    admin.sign_in("admin", crate::helpers::ADMIN_PASSWORD);
    let page = admin.get(&format!("/units/{}/notices", s.r.unit));
    assert_eq!(page.status, 200);
    assert!(page.text.contains("工作群机器人") && page.text.contains("企业微信群机器人"));

    let typo = admin.post(
        &format!("/units/{}/notices/chat", s.r.unit),
        &[
            ("flavour", "wecom"),
            ("url", "htps://qyapi.weixin.qq.com/send?key=typo"),
            ("kind", "duty_gaps"),
        ],
    );
    assert_eq!(typo.status, 422);
    assert!(
        typo.text
            .contains("htps://qyapi.weixin.qq.com/send?key=typo"),
        "kept"
    );
    assert!(typo.text.contains("https://"), "says what is expected");

    let url = robot.url("/send?key=page");
    let saved = admin.post(
        &format!("/units/{}/notices/chat", s.r.unit),
        &[
            ("flavour", "wecom"),
            ("url", &url),
            ("kind", "batch_expiry"),
            ("secret", ""),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text);
    let page = admin.get(&format!("/units/{}/notices", s.r.unit));
    assert!(page.text.contains(&url) && page.text.contains("发送测试消息到群"));

    expiring_batch(&app, &s, "2026-12-23");
    app.scan();
    let removed = admin.post(&format!("/units/{}/notices/chat/remove", s.r.unit), &[]);
    assert_eq!(removed.status, 303);
    let report = app.deliver();
    assert!(robot.received().is_empty(), "nothing posted after removal");
    assert_eq!(report.refused, 1, "{report:?}");
    let zh = notices(&app, &s.r.admin, "kind=batch_expiry")
        .into_iter()
        .find(|n| n["language"] == "zh")
        .unwrap();
    assert_eq!(zh["state"], "sent", "the emails went");
    assert_eq!(chat_state(&zh), "refused");
    let test = admin.post(&format!("/units/{}/notices/chat/test", s.r.unit), &[]);
    assert_eq!(test.status, 303, "back to the page with the refusal");
}

#[test]
fn the_duty_group_hears_a_roster_published_and_the_gaps_ahead() {
    let robot = Robot::start();
    let app = app_with(&robot);
    let o = crate::duty::office(&app);
    let set = app.put(
        &format!("/api/v1/units/{}/chat", o.unit),
        &o.admin,
        json!({"flavour": "wecom", "url": robot.url("/send?key=duty"), "kinds": ["duty_published", "duty_gaps"]}),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    let id = crate::duty::roster(&app, &o);
    let plan = crate::duty::generate(&app, &o.leaders[0].token, id, "2026-11-28", "2026-12-20");
    let plan_id = plan["plan"]["id"].as_i64().unwrap();
    let published = crate::duty::step(&app, &o.leaders[0].token, plan_id, "publish", "");
    assert_eq!(published.status, 200, "{}", published.text);
    app.scan();
    app.deliver();
    let texts: Vec<String> = robot
        .received()
        .iter()
        .map(|p| p.body["text"]["content"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:#?}");
    assert!(
        texts.iter().any(|t| t.contains("值班表已发布")),
        "{texts:#?}"
    );
    assert!(
        texts.iter().all(|t| !t.contains("请勿直接回复")),
        "the email's footer is left out of the chat"
    );
    assert!(
        texts.iter().any(|t| t.contains("2026-12-21")),
        "the days not rostered: {texts:#?}"
    );
}
