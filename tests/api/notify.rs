//! Reminders and email through the real app: the outbox, delivery over SMTP to a real (test) SMTP server,
//! faults (server down, crash after a claim, permanent refusal), several instances, the digest, settings.

use chrono::Duration;
use serde_json::{json, Value};
use standby::clock::Clock;

use crate::helpers::{spawn_app_with, TestApp};
use crate::inventory::{movement, receive, reserve, Reserve};
use crate::smtp::SmtpServer;

/// The reserve of the inventory tests, with addresses: keeper1 (Chinese), keeper2 (English), the unit's
/// contact address, and an administrator with an address.
pub(crate) struct Setup {
    pub(crate) r: Reserve,
    pub(crate) unit_contact: &'static str,
}

pub(crate) const KEEPER1: &str = "jianggp@jsj.example.cn";
pub(crate) const KEEPER2: &str = "macm@jsj.example.cn";
pub(crate) const CONTACT: &str = "yjb@jsj.example.cn";

pub(crate) fn person_id(app: &TestApp, admin: &str, name: &str) -> i64 {
    let people = app.get("/api/v1/people?per_page=200", admin).json();
    people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

pub(crate) fn account_id(app: &TestApp, admin: &str, username: &str) -> i64 {
    let accounts = app.get("/api/v1/accounts?per_page=200", admin).json();
    accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == username)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

pub(crate) fn setup(app: &TestApp) -> Setup {
    let r = reserve(app);
    for (name, email) in [("蒋国平", KEEPER1), ("马春梅", KEEPER2)] {
        let id = person_id(app, &r.admin, name);
        let p = app.patch(
            &format!("/api/v1/people/{id}"),
            &r.admin,
            json!({"email": email}),
        );
        assert_eq!(p.status, 200, "{}", p.text);
    }
    let k2 = account_id(app, &r.admin, "keeper2");
    let a = app.patch(
        &format!("/api/v1/accounts/{k2}"),
        &r.admin,
        json!({"language": "en"}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let u = app.patch(
        &format!("/api/v1/units/{}", r.unit),
        &r.admin,
        json!({"contact_emails": [CONTACT]}),
    );
    assert_eq!(u.status, 200, "{}", u.text);
    Setup {
        r,
        unit_contact: CONTACT,
    }
}

pub(crate) fn smtp_app(smtp: &SmtpServer) -> TestApp {
    spawn_app_with(&[("STANDBY_SMTP_URL", &smtp.url())])
}

pub(crate) fn notices(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/notices?per_page=200&{query}"), admin);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().unwrap().clone()
}

pub(crate) fn addresses(n: &Value) -> Vec<String> {
    let mut a: Vec<String> = n["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap().to_string())
        .collect();
    a.sort();
    a
}

pub(crate) fn emergency_issue(app: &TestApp, s: &Setup) -> i64 {
    receive(app, &s.r, s.r.sandbag_batch, "200");
    let m = movement(
        app,
        &s.r.keeper,
        s.r.warehouse,
        "use",
        json!([{"batch_id": s.r.sandbag_batch, "qty": "150"}]),
        json!({"emergency": true, "reason": "东太湖大堤管涌抢险"}),
    );
    assert_eq!(m.status, 201, "{}", m.text);
    m.json()["id"].as_i64().unwrap()
}

#[test]
fn an_emergency_issue_reaches_the_other_signers_over_smtp_in_their_languages() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let id = emergency_issue(&app, &s);

    // Enqueued with the issue itself: keeper2 (English) and the unit's contact (Chinese); not the author.
    let owed = notices(&app, &s.r.admin, "kind=countersign_owed");
    assert_eq!(owed.len(), 2, "{owed:?}");
    let zh = owed.iter().find(|n| n["language"] == "zh").unwrap();
    let en = owed.iter().find(|n| n["language"] == "en").unwrap();
    assert_eq!(addresses(zh), [s.unit_contact]);
    assert_eq!(addresses(en), [KEEPER2]);
    assert_eq!(zh["state"], "pending");

    assert!(app.deliver().sent == 2);
    let got = smtp.wait_for(2, 5);
    assert_eq!(got.len(), 2);
    let to_contact = got.iter().find(|m| m.to == [CONTACT]).unwrap();
    assert_eq!(
        to_contact.from, "standby@localhost",
        "the configured sender"
    );
    let mail = to_contact.parsed();
    let subject = mail.subject().unwrap();
    assert!(subject.starts_with("【待补签】紧急领用出库"), "{subject}");
    let raw = String::from_utf8_lossy(&to_contact.data);
    assert!(
        raw.contains("Subject: =?utf-8?b?"),
        "the subject travels encoded"
    );
    assert!(raw.contains("multipart/alternative"));
    assert!(
        raw.contains("Auto-Submitted: auto-generated"),
        "no vacation replies"
    );
    assert_eq!(
        mail.from().unwrap().first().unwrap().name(),
        Some("应急值守与物资"),
        "the sender's Chinese display name decodes"
    );
    assert_eq!(mail.text_body_count(), 1);
    assert_eq!(mail.html_body_count(), 1);
    let link = app.state.config.base_url.clone() + &format!("/reserves/movements/{id}");
    assert!(mail.body_text(0).unwrap().contains(&link));
    assert!(mail
        .body_html(0)
        .unwrap()
        .contains(&format!("href=\"{link}\"")));
    assert_eq!(
        format!("<{}>", mail.message_id().unwrap()),
        zh["message_id"].as_str().unwrap(),
        "the Message-ID is the one stored with the notice"
    );
    let english = got.iter().find(|m| m.to == [KEEPER2]).unwrap().parsed();
    assert!(
        english
            .subject()
            .unwrap()
            .starts_with("[Sign afterwards] Emergency Issue for use"),
        "{:?}",
        english.subject()
    );
    assert!(english
        .to()
        .unwrap()
        .first()
        .unwrap()
        .name()
        .is_some_and(|n| n == "马春梅"));

    let sent = notices(&app, &s.r.admin, "state=sent");
    assert_eq!(sent.len(), 2);
    assert!(app.deliver().sent == 0, "sent once");
    assert_eq!(smtp.received().len(), 2);
    // The scan finds the same owed signature again and enqueues nothing new.
    assert_eq!(app.scan(), 0);
}

#[test]
fn a_refused_issue_tells_nobody() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let m = movement(
        &app,
        &s.r.keeper,
        s.r.warehouse,
        "use",
        json!([{"batch_id": s.r.sandbag_batch, "qty": "1"}]),
        json!({"emergency": true}),
    );
    assert_eq!(m.status, 409, "no stock: {}", m.text);
    assert!(
        notices(&app, &s.r.admin, "").is_empty(),
        "nothing is enqueued for an issue that did not happen"
    );
}

pub(crate) fn expiring_batch(app: &TestApp, s: &Setup, expiry: &str) -> i64 {
    let r = app.post(
        &format!("/api/v1/items/{}/batches", s.r.jackets),
        &s.r.keeper,
        json!({"batch_no": "LJ-EXP", "ownership": "government", "expiry_date": expiry}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let batch = r.json()["id"].as_i64().unwrap();
    receive(app, &s.r, batch, "20");
    batch
}

#[test]
fn expiry_reminders_go_once_per_lead_to_the_custodians_and_the_unit() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    // 2026-11-28 today; expires in 25 days: the 30-day lead, not also the 90-day one.
    expiring_batch(&app, &s, "2026-12-23");
    assert_eq!(app.scan(), 2, "custodian (zh) and keeper2 (en)");
    assert_eq!(app.scan(), 0, "a second scan finds nothing new");
    let expiry = notices(&app, &s.r.admin, "kind=batch_expiry");
    let keys: Vec<&str> = expiry
        .iter()
        .map(|n| n["dedupe_key"].as_str().unwrap())
        .collect();
    assert!(keys.iter().all(|k| k.contains(":30:")), "{keys:?}");
    let zh = expiry.iter().find(|n| n["language"] == "zh").unwrap();
    assert_eq!(addresses(zh), [KEEPER1, CONTACT]);

    app.clock.advance(Duration::days(18)); // 7 days left
    assert!(app.scan() >= 2);
    let seven: Vec<Value> = notices(&app, &s.r.admin, "kind=batch_expiry")
        .into_iter()
        .filter(|n| n["dedupe_key"].as_str().unwrap().contains(":7:"))
        .collect();
    assert_eq!(seven.len(), 2);
    app.deliver();
    let subjects: Vec<String> = smtp
        .received()
        .iter()
        .map(|m| m.parsed().subject().unwrap().to_string())
        .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("【物资临期】救生衣（批次 LJ-EXP）2026-12-23 到期，剩 7 天")),
        "{subjects:?}"
    );
}

#[test]
fn a_unit_that_chose_the_digest_hears_in_the_morning_while_custodians_hear_at_once() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let put = app.api(
        "PUT",
        &format!("/api/v1/units/{}/notice-settings", s.r.unit),
        Some(&s.r.admin),
        Some(json!({"contact_emails": [CONTACT], "modes": [{"kind": "batch_expiry", "mode": "digest"}]})),
    );
    assert_eq!(put.status, 200, "{}", put.text);
    // keeper2 opts out of the digest.
    let out = app.api(
        "PUT",
        "/api/v1/me/notice-preferences",
        Some(&s.r.keeper2),
        Some(json!({"digest": false})),
    );
    assert_eq!(out.status, 200, "{}", out.text);
    expiring_batch(&app, &s, "2026-12-23");
    app.scan();
    let expiry = notices(&app, &s.r.admin, "kind=batch_expiry");
    let all: Vec<String> = expiry.iter().flat_map(addresses).collect();
    assert!(
        !all.contains(&CONTACT.to_string()),
        "the unit waits for the digest"
    );
    assert!(
        all.contains(&KEEPER1.to_string()),
        "the custodian hears at once"
    );
    assert!(
        all.contains(&KEEPER2.to_string()),
        "opting out of the digest does not stop notices addressed by role"
    );

    assert_eq!(app.digest(), 1);
    assert_eq!(app.digest(), 0, "one digest per unit and day");
    let digest = notices(&app, &s.r.admin, "kind=digest");
    assert_eq!(digest.len(), 1);
    assert_eq!(addresses(&digest[0]), [KEEPER1, CONTACT]);
    app.deliver();
    let d = smtp
        .received()
        .into_iter()
        .find(|m| {
            m.parsed()
                .subject()
                .unwrap()
                .starts_with("【每日汇总】建设局")
        })
        .expect("the digest arrived");
    let body = d.parsed().body_text(0).unwrap().to_string();
    assert!(body.contains("物资临期"), "{body}");
    assert!(body.contains("救生衣（批次 LJ-EXP）"), "{body}");
}

#[test]
fn while_the_smtp_server_is_down_notices_wait_and_go_out_once_it_returns() {
    let mut smtp = SmtpServer::down();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    emergency_issue(&app, &s);
    let report = app.deliver();
    assert_eq!(report.retrying, 2, "{report}");
    let waiting = notices(&app, &s.r.admin, "state=pending");
    assert_eq!(waiting.len(), 2);
    assert_eq!(waiting[0]["attempts"], 1);
    assert!(!waiting[0]["last_error"].as_str().unwrap().is_empty());
    assert!(
        app.deliver().retrying == 0,
        "not retried before its backoff"
    );

    smtp.up();
    app.clock.advance(Duration::minutes(2));
    assert!(app.deliver().sent == 2);
    assert!(app.deliver().sent == 0);
    assert_eq!(smtp.received().len(), 2, "each delivered once");
}

#[test]
fn a_crash_between_claim_and_send_is_healed_by_the_lease_and_sends_once() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    emergency_issue(&app, &s);
    // Another process claims the notices and dies before sending.
    let now = app.state.now();
    let claimed = app
        .block_on(app.state.db(move |c| {
            Ok(standby::notify::store::claim(
                c,
                "crashed-instance",
                standby::db::db_time(now),
                standby::db::db_time(now + Duration::minutes(5)),
                100,
            )?)
        }))
        .unwrap();
    assert_eq!(claimed.len(), 2);
    app.clock.advance(Duration::minutes(1));
    assert!(app.deliver().sent == 0, "still leased");
    app.clock.advance(Duration::minutes(5));
    assert!(app.deliver().sent == 2, "lease expired");
    assert!(app.deliver().sent == 0);
    assert_eq!(smtp.received().len(), 2);
    let sent = notices(&app, &s.r.admin, "state=sent");
    assert!(sent.iter().all(|n| n["attempts"] == 2));
}

#[test]
fn a_permanent_refusal_stays_visible_and_an_administrator_can_retry_or_cancel() {
    let smtp = SmtpServer::start();
    smtp.refuse(KEEPER2);
    let app = smtp_app(&smtp);
    let s = setup(&app);
    emergency_issue(&app, &s);
    let report = app.deliver();
    assert!(report.sent == 1 && report.failed == 1, "{report}");
    let failed = notices(&app, &s.r.admin, "state=failed");
    assert_eq!(failed.len(), 1);
    let id = failed[0]["id"].as_i64().unwrap();
    assert!(failed[0]["last_error"].as_str().unwrap().contains("550"));

    // Only administrators see and act on the outbox, each their own units' notices.
    assert_eq!(app.get("/api/v1/notices", &s.r.keeper).status, 403);
    let other_unit = app
        .get(
            &format!("/api/v1/warehouses/{}", s.r.other_warehouse),
            &s.r.admin,
        )
        .json()["unit_id"]
        .as_i64()
        .unwrap();
    let (_, street_admin) = app.create_account(
        &s.r.admin,
        "streetadmin",
        None,
        &[("administrator", Some(other_unit))],
    );
    assert_eq!(app.get("/api/v1/notices", &street_admin).json()["total"], 0);
    let n = app.get(&format!("/api/v1/notices/{id}"), &street_admin);
    assert_eq!(n.status, 404, "another unit's notice is not there for them");
    let retry = |token: &str| {
        app.api(
            "POST",
            &format!("/api/v1/notices/{id}/retry"),
            Some(token),
            None,
        )
    };
    assert_eq!(retry(&s.r.keeper).status, 403);
    let sent_one = notices(&app, &s.r.admin, "state=sent")[0]["id"]
        .as_i64()
        .unwrap();
    let r = app.api(
        "POST",
        &format!("/api/v1/notices/{sent_one}/retry"),
        Some(&s.r.admin),
        None,
    );
    assert_eq!((r.status, r.code()), (409, "conflict".to_string()));

    let again = retry(&s.r.admin);
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json()["state"], "pending");
    assert_eq!(again.json()["attempts"], 0);
    let cancel = app.api(
        "POST",
        &format!("/api/v1/notices/{id}/cancel"),
        Some(&s.r.admin),
        None,
    );
    assert_eq!(cancel.status, 200);
    assert_eq!(cancel.json()["state"], "cancelled");
    assert!(app.deliver().sent == 0, "cancelled stays unsent");
    let audit = app.get("/api/v1/audit?entity=notice", &s.r.admin).json();
    assert_eq!(audit["total"], 2, "retry and cancel are audited");
}

#[test]
fn three_instances_running_the_scheduler_send_each_notice_exactly_once() {
    let smtp = SmtpServer::start();
    let every_second = [
        ("STANDBY_SMTP_URL", smtp.url()),
        ("STANDBY_JOB_DELIVER", "* * * * * *".to_string()),
        ("STANDBY_JOB_SCAN", "* * * * * *".to_string()),
    ];
    let vars: Vec<(&str, &str)> = every_second.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = spawn_app_with(&vars);
    let s = setup(&a);
    let b = a.another_instance(&vars);
    let c = a.another_instance(&vars);
    const N: usize = 24;
    for i in 0..N {
        let r = a.post(
            &format!("/api/v1/units/{}/test-email", s.r.unit),
            &s.r.admin,
            json!({"to": format!("duty{i}@jsj.example.cn")}),
        );
        assert_eq!(r.status, 202, "{}", r.text);
    }
    // The slot guard: of three instances firing for the same tick, one runs the scan.
    let ran: usize = [&a, &b, &c]
        .iter()
        .map(|app| {
            let scan = app.areas.jobs.find("scan").unwrap();
            app.block_on(standby::jobs::tick(&app.state, scan, app.clock.now()))
                .unwrap()
                .is_some() as usize
        })
        .sum();
    assert_eq!(ran, 1);
    let schedulers: Vec<_> = [&a, &b, &c]
        .iter()
        .map(|app| {
            app.block_on(standby::jobs::start_scheduler(
                app.state.clone(),
                app.areas.jobs.clone(),
            ))
            .unwrap()
        })
        .collect();
    smtp.wait_for(N, 30);
    // Give a would-be duplicate time to arrive before counting.
    std::thread::sleep(std::time::Duration::from_secs(3));
    for mut sched in schedulers {
        a.block_on(sched.shutdown()).unwrap();
    }
    assert_eq!(
        smtp.received().len(),
        N,
        "every notice arrived exactly once"
    );
    let mut ids: Vec<String> = smtp
        .received()
        .iter()
        .map(|m| m.parsed().message_id().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), N);
    assert_eq!(notices(&a, &s.r.admin, "state=sent&kind=test").len(), N);
}

#[test]
fn unit_settings_refuse_bad_addresses_and_kinds_and_change_nothing() {
    let app = spawn_app_with(&[("STANDBY_MAIL_TRANSPORT", "memory")]);
    let s = setup(&app);
    let path = format!("/api/v1/units/{}/notice-settings", s.r.unit);
    let cases = [
        (
            json!({"contact_emails": ["not an address"]}),
            422,
            "contact_emails",
        ),
        (
            json!({"contact_emails": [], "modes": [{"kind": "sometimes", "mode": "digest"}]}),
            422,
            "kind",
        ),
        (
            json!({"contact_emails": [], "modes": [{"kind": "digest", "mode": "digest"}]}),
            422,
            "kind",
        ),
        (
            json!({"contact_emails": [], "modes": [{"kind": "below_norm", "mode": "weekly"}]}),
            422,
            "mode",
        ),
    ];
    for (body, status, field) in cases {
        let r = app.api("PUT", &path, Some(&s.r.admin), Some(body.clone()));
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.json()["error"]["field"], field, "{body}");
    }
    let now = app.get(&path, &s.r.admin).json();
    assert_eq!(now["contact_emails"], json!([CONTACT]), "unchanged");
    assert_eq!(
        app.get(&path, &s.r.keeper).status,
        403,
        "keepers do not manage notices"
    );
    let head = app.get(&path, &s.r.head);
    assert_eq!(head.status, 200, "the unit's head does");
    let below = head.json()["modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "below_norm")
        .unwrap()
        .clone();
    assert_eq!(
        below["mode"], "digest",
        "slow matters default to the digest"
    );
    let t = app.post(
        &format!("/api/v1/units/{}/test-email", s.r.unit),
        &s.r.admin,
        json!({"to": "nonsense"}),
    );
    assert_eq!(t.status, 422);
}

#[test]
fn the_nightly_verification_tells_the_administrators_of_a_mismatch_once_a_day() {
    let app = spawn_app_with(&[("STANDBY_MAIL_TRANSPORT", "memory")]);
    let s = setup(&app);
    let admin_person = app.create_person(&s.r.admin, "区应急局管理员", s.r.unit);
    app.patch(
        &format!("/api/v1/people/{admin_person}"),
        &s.r.admin,
        json!({"email": "admin@yjj.example.cn"}),
    );
    app.patch(
        &format!("/api/v1/accounts/{}", account_id(&app, &s.r.admin, "admin")),
        &s.r.admin,
        json!({"person_id": admin_person}),
    );
    receive(&app, &s.r, s.r.sandbag_batch, "10");
    assert!(app.verify().ok());
    assert!(notices(&app, &s.r.admin, "kind=ledger_mismatch").is_empty());
    // Someone edits a balance behind the ledger's back.
    let w = s.r.warehouse;
    app.block_on(app.state.db(move |c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "UPDATE balances SET qty = qty + 1000 WHERE warehouse_id = {w}"
        ))
        .execute(c)?;
        Ok(())
    }))
    .unwrap();
    app.verify();
    app.verify();
    let told = notices(&app, &s.r.admin, "kind=ledger_mismatch");
    assert_eq!(told.len(), 1, "once a day");
    assert_eq!(addresses(&told[0]), ["admin@yjj.example.cn"]);
    app.deliver();
    let sent = app.state.mailer.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, ["admin@yjj.example.cn"]);
}

#[test]
fn each_account_sees_its_own_notices_and_the_eml_outbox_holds_them_by_default() {
    let app = crate::helpers::spawn_app();
    let s = setup(&app);
    emergency_issue(&app, &s);
    let mine = app.get("/api/v1/me/notices", &s.r.keeper2).json();
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["kind"], "countersign_owed");
    assert_eq!(
        app.get("/api/v1/me/notices", &s.r.keeper).json()["total"],
        0
    );
    assert_eq!(
        app.get("/api/v1/me/notices", &s.r.head).code(),
        "conflict",
        "an account without a person has no notices of its own"
    );
    app.deliver();
    let dir = app.data_dir.join("outbox");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), 2, "one .eml per message in {}", dir.display());
    let id = mine["items"][0]["id"].as_i64().unwrap();
    let raw = std::fs::read(dir.join(format!("notice-{id}.eml"))).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert!(parsed.subject().unwrap().starts_with("[Sign afterwards]"));
}

#[test]
fn pages_show_the_outbox_the_unit_settings_and_my_notices() {
    let app = spawn_app_with(&[("STANDBY_MAIL_TRANSPORT", "memory")]);
    let s = setup(&app);
    emergency_issue(&app, &s);
    let mut admin = app.browser();
    admin.sign_in("admin", crate::helpers::ADMIN_PASSWORD);
    let outbox = admin.get("/notices?kind=countersign_owed");
    assert_eq!(outbox.status, 200);
    assert!(outbox.text.contains("【待补签】"), "{}", outbox.text);
    let settings = admin.get(&format!("/units/{}/notices", s.r.unit));
    assert_eq!(settings.status, 200);
    assert!(settings.text.contains(CONTACT));
    let saved = admin.post(
        &format!("/units/{}/notices", s.r.unit),
        &[
            (
                "contact_emails",
                "office@jsj.example.cn\nyjb@jsj.example.cn",
            ),
            ("mode.below_norm", "immediate"),
        ],
    );
    assert_eq!(saved.status, 303);
    let after = app
        .get(
            &format!("/api/v1/units/{}/notice-settings", s.r.unit),
            &s.r.admin,
        )
        .json();
    assert_eq!(
        after["contact_emails"],
        json!(["office@jsj.example.cn", "yjb@jsj.example.cn"])
    );
    let bad = admin.post(
        &format!("/units/{}/notices", s.r.unit),
        &[("contact_emails", "office@")],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.text.contains("office@"),
        "the form keeps what was typed"
    );
    let test = admin.post(&format!("/units/{}/notices/test", s.r.unit), &[("to", "")]);
    assert_eq!(test.status, 303);
    assert_eq!(notices(&app, &s.r.admin, "kind=test").len(), 1);

    let mut keeper = app.browser();
    keeper.sign_in("keeper2", crate::helpers::PASSWORD);
    let mine = keeper.get("/me/notices");
    assert_eq!(mine.status, 200);
    assert!(mine.text.contains("[Sign afterwards]"), "{}", mine.text);
    assert_eq!(keeper.get("/notices").status, 403);
    let off = keeper.post("/me/notices/digest", &[]);
    assert_eq!(off.status, 303);
    let me = app.get("/api/v1/people?per_page=200", &s.r.admin).json();
    let p = me["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "马春梅")
        .unwrap()
        .clone();
    assert_eq!(p["digest_opt_out"], true);
}

#[test]
fn a_digest_missed_while_the_process_was_down_is_made_up_at_start_once() {
    let app = spawn_app_with(&[("STANDBY_MAIL_TRANSPORT", "memory")]);
    let s = setup(&app);
    expiring_batch(&app, &s, "2026-12-23");
    // 10:00 in the office: the 08:00 digest tick passed with no instance running it.
    let ran = app.block_on(standby::jobs::catch_up(
        &app.state,
        &app.areas.jobs,
        app.clock.now(),
    ));
    assert!(ran.contains(&"digest"), "{ran:?}");
    assert_eq!(
        notices(&app, &s.r.admin, "kind=digest").len(),
        2,
        "one digest per language of its readers"
    );
    let again = app.block_on(standby::jobs::catch_up(
        &app.state,
        &app.areas.jobs,
        app.clock.now(),
    ));
    assert!(!again.contains(&"digest"), "the slot is taken: {again:?}");
    // A restart late in the evening does not send the morning's digest any more.
    app.clock.advance(Duration::hours(10));
    let late = app.block_on(standby::jobs::catch_up(
        &app.state,
        &app.areas.jobs,
        app.clock.now(),
    ));
    assert!(!late.contains(&"digest"), "{late:?}");
}

#[test]
fn a_reminder_to_sign_that_has_not_gone_out_is_withdrawn_once_signed() {
    let mut smtp = SmtpServer::down();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let id = emergency_issue(&app, &s);
    app.deliver();
    assert_eq!(
        notices(&app, &s.r.admin, "state=pending").len(),
        2,
        "mail is down"
    );
    let signed = app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&s.r.keeper2),
        None,
    );
    assert_eq!(signed.status, 200, "{}", signed.text);
    let withdrawn = notices(&app, &s.r.admin, "state=cancelled");
    assert_eq!(withdrawn.len(), 2);
    assert!(withdrawn[0]["last_error"]
        .as_str()
        .unwrap()
        .starts_with("withdrawn"));
    smtp.up();
    app.clock.advance(Duration::minutes(5));
    assert!(app.deliver().sent == 0);
    assert!(smtp.received().is_empty(), "no stale request to sign");
}
