//! A team's people through the API: leave (asked for, decided, counted in readiness), certificates and their
//! scans (kept byte for byte, shown only to those who may see them).
//!
//! The test clock's today is Saturday 28 November 2026 in the office's zone.

use chrono::Duration;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::spawn_app;
use crate::teams::{ask_leave, certify, crew, team, Crew};

fn leave_ids(app: &crate::helpers::TestApp, token: &str) -> Vec<i64> {
    let r = app.get("/api/v1/leaves", token);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

fn decide(
    app: &crate::helpers::TestApp,
    token: &str,
    leave: i64,
    what: &str,
    note: &str,
) -> crate::helpers::Resp {
    app.post(
        &format!("/api/v1/leaves/{leave}/{what}"),
        token,
        json!({"note": note}),
    )
}

/// Every member of team A holds a water-rescue certificate that does not lapse: the team is ready.
fn certified(app: &crate::helpers::TestApp, c: &Crew) {
    for (n, p) in [c.captain.person, c.member.person, c.teammate.person]
        .iter()
        .enumerate()
    {
        certify(app, &c.admin, *p, "water_rescue", &format!("WR-{n}"), None);
    }
    let v = team(app, &c.admin, c.team_a);
    assert_eq!(v["readiness"]["state"], "ready", "{}", v["readiness"]);
}

#[test]
fn a_member_asks_for_leave_their_captain_decides_and_approved_leave_counts_in_readiness() {
    let app = spawn_app();
    let c = crew(&app);
    certified(&app, &c);
    let available = || {
        team(&app, &c.admin, c.team_a)["readiness"]["available"]
            .as_i64()
            .unwrap()
    };

    let r = ask_leave(
        &app,
        &c.member.token,
        c.member.person,
        "2026-11-28",
        "2026-11-30",
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let asked = r.json();
    assert_eq!(asked["state"], "requested");
    assert_eq!(asked["requested_by"], c.member.account);
    let leave = asked["id"].as_i64().unwrap();
    assert_eq!(
        available(),
        3,
        "a request does not count until it is approved"
    );

    let audit = app.audit_count(&c.admin);
    // (why, token, person, from, to, status, code, field)
    let refused: Vec<(&str, &str, i64, &str, &str, u16, &str, Option<&str>)> = vec![
        (
            "days already asked for",
            c.member.token.as_str(),
            c.member.person,
            "2026-11-30",
            "2026-12-02",
            409,
            "conflict",
            None,
        ),
        (
            "ending before it starts",
            c.member.token.as_str(),
            c.member.person,
            "2026-12-05",
            "2026-12-01",
            422,
            "invalid_value",
            Some("ends_on"),
        ),
        (
            "longer than a year",
            c.member.token.as_str(),
            c.member.person,
            "2026-12-01",
            "2028-01-01",
            422,
            "invalid_value",
            Some("ends_on"),
        ),
        (
            "for a teammate",
            c.member.token.as_str(),
            c.teammate.person,
            "2026-12-01",
            "2026-12-02",
            403,
            "forbidden",
            None,
        ),
        (
            "another unit's captain for our member",
            c.captain_b.token.as_str(),
            c.member.person,
            "2026-12-10",
            "2026-12-11",
            403,
            "forbidden",
            None,
        ),
    ];
    for (why, token, person, from, to, status, code, field) in refused {
        let r = ask_leave(&app, token, person, from, to);
        assert_eq!(r.status, status, "{why}: {}", r.text);
        assert_eq!(r.code(), code, "{why}");
        assert_eq!(r.json()["error"]["field"].as_str(), field, "{why}");
    }
    assert_eq!(app.audit_count(&c.admin), audit, "nothing was written");

    // What awaits whom: the member's captain and unit head, never the member themselves.
    assert_eq!(leave_ids(&app, &c.captain.token), [leave]);
    assert_eq!(leave_ids(&app, &c.head_a), [leave]);
    assert_eq!(leave_ids(&app, &c.admin), [leave]);
    assert_eq!(leave_ids(&app, &c.member.token), Vec::<i64>::new());
    assert_eq!(leave_ids(&app, &c.captain_b.token), Vec::<i64>::new());

    let own = decide(&app, &c.member.token, leave, "approve", "");
    assert_eq!(
        own.status, 409,
        "nobody approves their own leave: {}",
        own.text
    );
    let other = decide(&app, &c.captain_b.token, leave, "approve", "");
    assert_eq!(other.status, 403, "{}", other.text);
    let teammate = decide(&app, &c.teammate.token, leave, "approve", "");
    assert_eq!(teammate.status, 403, "{}", teammate.text);
    let bare = decide(&app, &c.captain.token, leave, "refuse", "  ");
    assert_eq!(bare.status, 422, "a refusal says why: {}", bare.text);
    assert_eq!(bare.json()["error"]["field"], "note");
    assert_eq!(app.audit_count(&c.admin), audit, "no decision was written");

    let ok = decide(
        &app,
        &c.captain.token,
        leave,
        "approve",
        "同意，注意保持通讯畅通",
    );
    assert_eq!(ok.status, 200, "{}", ok.text);
    let ok = ok.json();
    assert_eq!(ok["state"], "approved");
    assert_eq!(ok["decided_by"], c.captain.account);
    assert_eq!(ok["decision_note"], "同意，注意保持通讯畅通");
    let twice = decide(&app, &c.head_a, leave, "approve", "");
    assert_eq!(twice.status, 409, "{}", twice.text);
    assert_eq!(
        leave_ids(&app, &c.captain.token),
        Vec::<i64>::new(),
        "nothing awaits any more"
    );

    let v = team(&app, &c.admin, c.team_a);
    assert_eq!(v["readiness"]["available"], 2, "away today");
    assert_eq!(
        v["readiness"]["state"], "ready",
        "two still make the minimum"
    );
    assert_eq!(v["reasons"], json!([]));
    let record = app.get(
        &format!("/api/v1/people/{}/team-record", c.member.person),
        &c.member.token,
    );
    assert_eq!(record.status, 200, "{}", record.text);
    assert_eq!(record.json()["leaves"][0]["state"], "approved");
    let overlap = ask_leave(
        &app,
        &c.member.token,
        c.member.person,
        "2026-11-30",
        "2026-12-01",
    );
    assert_eq!(
        overlap.status, 409,
        "an approved leave covers those days: {}",
        overlap.text
    );

    // Called back: withdrawn, they count again and the days are free.
    let back = decide(&app, &c.member.token, leave, "cancel", "提前返岗");
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(available(), 3);
    let again = ask_leave(
        &app,
        &c.member.token,
        c.member.person,
        "2026-11-30",
        "2026-12-01",
    );
    assert_eq!(again.status, 201, "{}", again.text);
    let refused = decide(
        &app,
        &c.head_a,
        again.json()["id"].as_i64().unwrap(),
        "refuse",
        "汛期值守，暂不批准",
    );
    assert_eq!(refused.status, 200, "{}", refused.text);
    assert_eq!(refused.json()["state"], "refused");
    assert_eq!(refused.json()["decision_note"], "汛期值守，暂不批准");
    assert_eq!(available(), 3, "a refused leave does not count");
    let mine = app.get(
        &format!("/api/v1/leaves?person_id={}", c.member.person),
        &c.member.token,
    );
    assert_eq!(mine.status, 200, "{}", mine.text);
    let mut states: Vec<String> = mine
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["state"].as_str().unwrap().to_string())
        .collect();
    states.sort();
    assert_eq!(states, ["cancelled", "refused"]);
    let theirs = app.get(
        &format!("/api/v1/leaves?person_id={}", c.member.person),
        &c.teammate.token,
    );
    assert_eq!(
        theirs.status, 403,
        "a teammate's leave is not mine to read: {}",
        theirs.text
    );
}

#[test]
fn a_captains_own_leave_goes_to_someone_above_them_and_leaves_the_team_without_a_leader() {
    let app = spawn_app();
    let c = crew(&app);
    certified(&app, &c);
    let r = ask_leave(
        &app,
        &c.captain.token,
        c.captain.person,
        "2026-11-28",
        "2026-11-29",
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let leave = r.json()["id"].as_i64().unwrap();
    assert_eq!(leave_ids(&app, &c.captain.token), Vec::<i64>::new());
    assert_eq!(leave_ids(&app, &c.head_a), [leave]);

    let own = decide(&app, &c.captain.token, leave, "approve", "");
    assert_eq!(own.status, 409, "{}", own.text);
    assert_eq!(own.json()["error"]["message"], "不能审批本人的请假");
    let member = decide(&app, &c.member.token, leave, "approve", "");
    assert_eq!(
        member.status, 403,
        "a member does not decide their captain's leave: {}",
        member.text
    );
    let ok = decide(&app, &c.head_a, leave, "approve", "");
    assert_eq!(ok.status, 200, "{}", ok.text);

    let v = team(&app, &c.admin, c.team_a);
    assert_eq!(v["readiness"]["state"], "not_ready", "{}", v["readiness"]);
    assert_eq!(v["readiness"]["qualified"], 2);
    assert_eq!(v["leaders"][0]["available"], false);
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "队长、副队长均不在岗"),
        "{}",
        v["reasons"]
    );
    // Half past midnight on Monday in the office's zone (still Sunday in UTC): the leave ended on Sunday.
    app.clock
        .advance(Duration::hours(38) + Duration::minutes(30));
    assert_eq!(
        team(&app, &c.admin, c.team_a)["readiness"]["state"],
        "ready"
    );
}

/// A small PDF with bytes that are not text.
fn pdf() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
    b.extend((0..=255u8).cycle().take(3000));
    b.extend(b"\n%%EOF\n");
    b
}

fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    b.extend((0..=255u8).rev().cycle().take(500));
    b
}

fn sha256(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The member's first-aid certificate, recorded by their captain.
fn first_aid(app: &crate::helpers::TestApp, c: &Crew) -> i64 {
    let r = app.post(
        "/api/v1/certificates",
        &c.captain.token,
        json!({"person_id": c.member.person, "certificate_type": "first_aid", "number": "JJ-2026-0101",
               "issuer": "苏州市红十字会", "issued_on": "2026-11-27", "expires_on": "2028-11-27"}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_i64().unwrap()
}

#[test]
fn a_certificate_scan_comes_back_byte_for_byte_and_only_to_those_who_may_see_it() {
    let app = spawn_app();
    let c = crew(&app);
    let own = app.post(
        "/api/v1/certificates",
        &c.member.token,
        json!({"person_id": c.member.person, "certificate_type": "diving", "number": "QS-1", "issued_on": "2026-01-01"}),
    );
    assert_eq!(
        own.status, 403,
        "a member does not record their own certificates: {}",
        own.text
    );
    let cert = first_aid(&app, &c);
    // (why, body, status, field)
    let bad: Vec<(&str, Value, u16, Option<&str>)> = vec![
        (
            "the same type and number again",
            json!({"person_id": c.teammate.person, "certificate_type": "first_aid", "number": "JJ-2026-0101", "issued_on": "2026-01-01"}),
            409,
            None,
        ),
        (
            "an unknown type",
            json!({"person_id": c.member.person, "certificate_type": "pilot", "number": "X-1", "issued_on": "2026-01-01"}),
            422,
            Some("certificate_type"),
        ),
        (
            "expiring before it was issued",
            json!({"person_id": c.member.person, "certificate_type": "diving", "number": "QS-2", "issued_on": "2026-01-01", "expires_on": "2025-12-31"}),
            422,
            Some("expires_on"),
        ),
        (
            "a blank number",
            json!({"person_id": c.member.person, "certificate_type": "diving", "number": " ", "issued_on": "2026-01-01"}),
            422,
            Some("number"),
        ),
    ];
    for (why, body, status, field) in bad {
        let r = app.post("/api/v1/certificates", c.captain.token.as_str(), body);
        assert_eq!(r.status, status, "{why}: {}", r.text);
        assert_eq!(r.json()["error"]["field"].as_str(), field, "{why}");
    }
    let path = format!("/api/v1/certificates/{cert}/scan");
    let none = app.get(&path, &c.member.token);
    assert_eq!(none.status, 404, "no scan yet: {}", none.text);

    let file = pdf();
    let r = app.put_file(
        &path,
        &c.captain.token,
        "application/pdf",
        "first-aid.pdf",
        &file,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let info = r.json();
    assert_eq!(info["content_type"], "application/pdf");
    assert_eq!(info["file_name"], "first-aid.pdf");
    assert_eq!(info["size_bytes"], file.len());
    assert_eq!(info["sha256"], sha256(&file));

    // (who, token, may see it)
    let viewer = app
        .create_account(&c.admin, "viewer1", None, &[("viewer", None)])
        .1;
    let callers: Vec<(&str, &str, bool)> = vec![
        ("the holder", c.member.token.as_str(), true),
        ("their captain", c.captain.token.as_str(), true),
        ("their unit's head", c.head_a.as_str(), true),
        ("the district administrator", c.admin.as_str(), true),
        ("a teammate", c.teammate.token.as_str(), false),
        ("another unit's captain", c.captain_b.token.as_str(), false),
        ("a viewer", viewer.as_str(), false),
    ];
    for (who, token, may) in &callers {
        let (r, bytes) = app.download(&path, token);
        if *may {
            assert_eq!(r.status, 200, "{who}: {}", r.text);
            assert!(bytes == file, "{who} gets the very bytes uploaded");
            assert_eq!(r.header("content-type"), Some("application/pdf"));
            assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{who}");
            assert!(
                r.header("content-disposition")
                    .unwrap()
                    .starts_with("attachment"),
                "a download, never shown inline: {:?}",
                r.header("content-disposition")
            );
        } else {
            assert_eq!(r.status, 403, "{who}: {}", r.text);
            assert_eq!(r.code(), "forbidden");
        }
        let record = app.get(
            &format!("/api/v1/people/{}/team-record", c.member.person),
            token,
        );
        assert_eq!(
            record.status,
            if *may { 200 } else { 403 },
            "{who} and the record: {}",
            record.text
        );
    }
    for (who, token) in [
        ("the holder", &c.member.token),
        ("another unit's captain", &c.captain_b.token),
    ] {
        let r = app.put_file(&path, token, "image/png", "photo.png", &png());
        assert_eq!(r.status, 403, "{who} may not replace the scan: {}", r.text);
    }
    assert!(
        app.download(&path, &c.member.token).1 == file,
        "the scan is unchanged"
    );

    // A photo replaces the PDF.
    let photo = png();
    let r = app.put_file(&path, &c.head_a, "application/octet-stream", "", &photo);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["file_name"], "scan");
    let (back, bytes) = app.download(&path, &c.member.token);
    assert_eq!(back.header("content-type"), Some("image/png"));
    assert!(bytes == photo);

    let record = app
        .get(
            &format!("/api/v1/people/{}/team-record", c.member.person),
            &c.member.token,
        )
        .json();
    let got = &record["certificates"][0];
    assert_eq!(got["id"], cert);
    assert_eq!(got["attachment_id"], r.json()["id"]);
    assert_eq!(got["valid"], true);
    assert_eq!(
        got["days_left"], 730,
        "27 November 2028 is 730 days after 28 November 2026"
    );
    assert_eq!(
        (
            record["manageable"].as_bool(),
            record["may_request_leave"].as_bool()
        ),
        (Some(false), Some(true))
    );
    let theirs = app
        .get(
            &format!("/api/v1/people/{}/team-record", c.member.person),
            &c.captain.token,
        )
        .json();
    assert_eq!(theirs["manageable"], true);
}

#[test]
fn a_scan_that_is_not_a_pdf_or_an_image_or_is_too_large_is_refused_and_nothing_is_written() {
    let app = spawn_app();
    let c = crew(&app);
    let cert = first_aid(&app, &c);
    let path = format!("/api/v1/certificates/{cert}/scan");
    let file = pdf();
    let r = app.put_file(
        &path,
        &c.captain.token,
        "application/pdf",
        "scan.pdf",
        &file,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let audit = app.audit_count(&c.admin);

    let mut six_mb = b"%PDF-1.4\n".to_vec();
    six_mb.resize(6 * 1024 * 1024, b'0');
    let mut just_over = b"%PDF-1.4\n".to_vec();
    just_over.resize(5 * 1024 * 1024 + 1, b'0');
    // (why, content type, name, body, status, code)
    let cases: Vec<(&str, &str, &str, Vec<u8>, u16, &str)> = vec![
        (
            "HTML named .pdf",
            "application/pdf",
            "scan.pdf",
            b"<html><body><script>alert(document.cookie)</script></body></html>".to_vec(),
            422,
            "invalid_value",
        ),
        (
            "an SVG with a script",
            "image/svg+xml",
            "scan.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            422,
            "invalid_value",
        ),
        (
            "a GIF",
            "image/gif",
            "scan.gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            422,
            "invalid_value",
        ),
        (
            "a PDF header further in",
            "application/pdf",
            "scan.pdf",
            b"\n%PDF-1.7\n".to_vec(),
            422,
            "invalid_value",
        ),
        (
            "an empty file",
            "application/pdf",
            "scan.pdf",
            Vec::new(),
            422,
            "invalid_value",
        ),
        (
            "6 MB",
            "application/pdf",
            "big.pdf",
            six_mb,
            413,
            "payload_too_large",
        ),
        (
            "one byte over 5 MB",
            "application/pdf",
            "big.pdf",
            just_over,
            413,
            "payload_too_large",
        ),
    ];
    for (why, content_type, name, body, status, code) in cases {
        let r = app.put_file(&path, &c.captain.token, content_type, name, &body);
        assert_eq!(r.status, status, "{why}: {}", r.text);
        assert_eq!(r.code(), code, "{why}");
        if status == 422 {
            assert_eq!(r.json()["error"]["field"], "scan", "{why}");
        }
        let (kept, bytes) = app.download(&path, &c.member.token);
        assert!(bytes == file, "{why}: the earlier scan is kept");
        assert_eq!(kept.header("content-type"), Some("application/pdf"));
    }
    assert_eq!(app.audit_count(&c.admin), audit, "nothing was written");

    let mut five_mb = b"%PDF-1.4\n".to_vec();
    five_mb.resize(5 * 1024 * 1024, b'0');
    let r = app.put_file(
        &path,
        &c.captain.token,
        "application/pdf",
        "scan.pdf",
        &five_mb,
    );
    assert_eq!(r.status, 200, "exactly 5 MB is accepted: {}", r.text);
    assert!(app.download(&path, &c.member.token).1 == five_mb);
    let missing = app.put_file(
        "/api/v1/certificates/9999/scan",
        c.admin.as_str(),
        "application/pdf",
        "scan.pdf",
        &file,
    );
    assert_eq!(missing.status, 404, "{}", missing.text);
}
