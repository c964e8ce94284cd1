//! Delivery when the mail server misbehaves: one address refused or put off while the others are served, a
//! server restarted under a pooled connection, a sender killed in the middle of a batch; and optional bodies
//! that must be valid when present.

use chrono::Duration;
use serde_json::{json, Value};

use crate::notify::{
    addresses, expiring_batch, notices, setup, smtp_app, CONTACT, KEEPER1, KEEPER2,
};
use crate::smtp::SmtpServer;

fn recipient<'a>(notice: &'a Value, address: &str) -> &'a Value {
    notice["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} is not a recipient of {notice}"))
}

#[test]
fn one_refused_address_does_not_silence_a_notice_and_a_retry_uses_the_corrected_address() {
    let smtp = SmtpServer::start();
    smtp.refuse(CONTACT);
    let app = smtp_app(&smtp);
    let s = setup(&app);
    expiring_batch(&app, &s, "2026-12-23");
    assert_eq!(app.scan(), 2);
    let report = app.deliver();
    assert_eq!(
        (report.sent, report.failed, report.refused),
        (2, 0, 1),
        "{report}"
    );
    let got: Vec<Vec<String>> = smtp.received().iter().map(|m| m.to.clone()).collect();
    assert!(got.contains(&vec![KEEPER1.to_string()]), "{got:?}");
    assert!(got.contains(&vec![KEEPER2.to_string()]), "{got:?}");
    let zh = notices(&app, &s.r.admin, "kind=batch_expiry")
        .into_iter()
        .find(|n| n["language"] == "zh")
        .unwrap();
    assert_eq!(zh["state"], "sent");
    assert_eq!(recipient(&zh, KEEPER1)["state"], "sent");
    let refused = recipient(&zh, CONTACT);
    assert_eq!(refused["state"], "refused");
    assert!(
        refused["error"].as_str().unwrap().contains("550"),
        "{refused}"
    );

    // The unit puts its address right; a resend goes there, and only there.
    let fixed = "office@jsj.example.cn";
    let settings = app.api(
        "PUT",
        &format!("/api/v1/units/{}/notice-settings", s.r.unit),
        Some(&s.r.admin),
        Some(json!({"contact_emails": [fixed]})),
    );
    assert_eq!(settings.status, 200, "{}", settings.text);
    let id = zh["id"].as_i64().unwrap();
    let retry = app.api(
        "POST",
        &format!("/api/v1/notices/{id}/retry"),
        Some(&s.r.admin),
        None,
    );
    assert_eq!(retry.status, 200, "{}", retry.text);
    let again = retry.json();
    assert_eq!(again["state"], "pending");
    assert_eq!(recipient(&again, fixed)["state"], "pending");
    assert_eq!(
        recipient(&again, KEEPER1)["state"],
        "sent",
        "already delivered"
    );
    assert_eq!(app.deliver().sent, 1);
    let last = smtp.received().last().unwrap().to.clone();
    assert_eq!(last, [fixed], "only the corrected address");
    let to_keeper1 = smtp
        .received()
        .iter()
        .filter(|m| m.to.contains(&KEEPER1.to_string()))
        .count();
    assert_eq!(to_keeper1, 1, "nobody hears it twice");
}

#[test]
fn an_address_put_off_is_tried_again_alone() {
    let smtp = SmtpServer::start();
    smtp.defer(CONTACT, true);
    let app = smtp_app(&smtp);
    let s = setup(&app);
    expiring_batch(&app, &s, "2026-12-23");
    app.scan();
    let first = app.deliver();
    assert_eq!((first.sent, first.retrying), (1, 1), "{first}");
    let zh = notices(&app, &s.r.admin, "kind=batch_expiry")
        .into_iter()
        .find(|n| n["language"] == "zh")
        .unwrap();
    assert_eq!(zh["state"], "pending");
    assert!(zh["last_error"].as_str().unwrap().contains("451"), "{zh}");
    smtp.defer(CONTACT, false);
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.deliver().sent, 1);
    let received = smtp.received();
    assert_eq!(
        received.last().unwrap().to,
        [CONTACT],
        "the one put off, alone"
    );
    assert_eq!(received.len(), 3);
}

#[test]
fn a_server_restart_costs_a_reconnect_not_a_retry() {
    let mut smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let test_email = |to: &str| {
        let r = app.post(
            &format!("/api/v1/units/{}/test-email", s.r.unit),
            &s.r.admin,
            json!({ "to": to }),
        );
        assert_eq!(r.status, 202, "{}", r.text);
    };
    test_email("first@jsj.example.cn");
    assert_eq!(app.deliver().sent, 1);
    // The server restarts; the pooled connection is now dead but looks fresh.
    smtp.halt();
    smtp.up();
    test_email("second@jsj.example.cn");
    let report = app.deliver();
    assert_eq!((report.sent, report.retrying), (1, 0), "{report}");
    assert_eq!(smtp.received().len(), 2);
}

#[test]
fn a_sender_killed_mid_batch_repeats_only_what_it_had_not_recorded() {
    let smtp = SmtpServer::start();
    smtp.slow(std::time::Duration::from_millis(400));
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let concurrency = app.state.mailer.concurrency;
    let n = concurrency * 3;
    for i in 0..n {
        let r = app.post(
            &format!("/api/v1/units/{}/test-email", s.r.unit),
            &s.r.admin,
            json!({"to": format!("duty{i}@jsj.example.cn")}),
        );
        assert_eq!(r.status, 202);
    }
    let sent = || -> Vec<String> {
        notices(&app, &s.r.admin, "kind=test")
            .iter()
            .filter(|n| n["state"] == "sent")
            .flat_map(addresses)
            .collect()
    };
    let (state, now) = (app.state.clone(), app.clock_now());
    let run = app.spawn(async move { standby::notify::jobs::deliver(&state, now).await });
    // Kill the sender once the first outcomes are recorded, while the next messages are in flight.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while sent().len() < concurrency && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    run.abort();
    // Whatever the killed run still manages to record counts as recorded.
    std::thread::sleep(std::time::Duration::from_millis(600));
    let recorded = sent();
    assert!(
        (concurrency..n).contains(&recorded.len()),
        "the sender was killed mid-batch: {} of {n} recorded",
        recorded.len()
    );
    smtp.slow(std::time::Duration::ZERO);
    app.clock.advance(Duration::minutes(6)); // the crashed sender's lease runs out
    app.deliver();
    let mut times: std::collections::BTreeMap<String, usize> = Default::default();
    for m in smtp.received() {
        for to in m.to {
            *times.entry(to).or_default() += 1;
        }
    }
    assert_eq!(times.len(), n, "every notice arrived: {times:?}");
    for address in &recorded {
        assert_eq!(
            times[address], 1,
            "{address} was recorded as sent, then sent again"
        );
    }
}

#[test]
fn a_test_email_body_is_optional_but_must_be_valid_when_present() {
    let app = crate::helpers::spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "区应急管理局", "office", None);
    app.patch(
        &format!("/api/v1/units/{unit}"),
        &admin,
        json!({"contact_emails": ["office@yjj.example.cn"]}),
    );
    let path = format!("/api/v1/units/{unit}/test-email");
    let (notices_before, audit_before) = (
        app.get("/api/v1/notices", &admin).json()["total"].clone(),
        app.audit_count(&admin),
    );
    for (body, status) in [
        ("\u{0}", 400),
        ("{\"to\": \"a@b.cn\"", 400),
        ("{\"to\": 5}", 400),
        ("{\"too\": \"a@b.cn\"}", 400),
        ("{\"to\": \"not an address\"}", 422),
    ] {
        let r = app.api_raw("POST", &path, &admin, "application/json", body);
        assert_eq!(r.status, status, "{body:?}: {}", r.text);
        assert!(r.json()["error"]["message"].is_string());
    }
    assert_eq!(
        app.get("/api/v1/notices", &admin).json()["total"],
        notices_before
    );
    assert_eq!(app.audit_count(&admin), audit_before, "nothing written");
    let none = app.api("POST", &path, Some(&admin), None);
    assert_eq!(none.status, 202, "no body: the unit's own addresses");
    assert_eq!(
        none.json()["recipients"][0]["address"],
        "office@yjj.example.cn"
    );
}
