//! The audit trail: who changed what, when, with before and after.

use serde_json::json;

use crate::helpers::spawn_app;

#[test]
fn every_change_is_recorded_with_who_when_and_before_after() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "建设局", "department", None);
    app.patch(
        &format!("/api/v1/units/{unit}"),
        &admin,
        json!({"phone": "0512-63001111"}),
    );
    app.patch(
        &format!("/api/v1/units/{unit}"),
        &admin,
        json!({"active": false}),
    );

    let trail = app
        .get(
            &format!("/api/v1/audit?entity=unit&entity_id={unit}"),
            &admin,
        )
        .json();
    let items = trail["items"].as_array().unwrap();
    let actions: Vec<&str> = items
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["deactivate", "update", "create"],
        "newest first"
    );
    let update = &items[1];
    assert_eq!(update["actor_name"], "admin");
    assert_eq!(update["unit_id"].as_i64(), Some(unit));
    assert_eq!(update["before"]["phone"], "");
    assert_eq!(update["after"]["phone"], "0512-63001111");
    assert_eq!(
        update["at"], "2026-11-28T02:00:00Z",
        "stamped with the (test) clock in UTC"
    );
    assert!(items[2]["before"].is_null());
}

#[test]
fn account_records_never_contain_the_password_hash() {
    let app = spawn_app();
    let admin = app.admin_token();
    let (id, _) = app.create_account(&admin, "sunli", None, &[("viewer", None)]);
    app.patch(
        &format!("/api/v1/accounts/{id}"),
        &admin,
        json!({"password": "another long secret"}),
    );
    let trail = app.get(
        &format!("/api/v1/audit?entity=account&entity_id={id}"),
        &admin,
    );
    assert!(trail.text.contains("password_reset"), "{}", trail.text);
    assert!(
        !trail.text.contains("argon2"),
        "hashes must not leak into the audit trail"
    );
}

#[test]
fn the_trail_filters_by_action_and_local_day() {
    let app = spawn_app();
    let admin = app.admin_token();
    app.create_unit(&admin, "甲", "other", None);
    app.clock.advance(chrono::Duration::days(2));
    app.create_unit(&admin, "乙", "other", None);
    let created = app
        .get("/api/v1/audit?action=create&entity=unit", &admin)
        .json();
    assert_eq!(created["total"], 2);
    // 2026-11-28 10:00 in Shanghai is the first; the second is on 11-30.
    let day = app
        .get(
            "/api/v1/audit?entity=unit&from=2026-11-30&to=2026-11-30",
            &admin,
        )
        .json();
    assert_eq!(day["total"], 1);
    assert_eq!(day["items"][0]["after"]["name"], "乙");
    let none = app
        .get(
            "/api/v1/audit?entity=unit&from=2026-11-29&to=2026-11-29",
            &admin,
        )
        .json();
    assert_eq!(none["total"], 0);
}

#[test]
fn sign_ins_are_recorded() {
    let app = spawn_app();
    let admin = app.admin_token();
    let r = app.get("/api/v1/audit?action=sign_in", &admin).json();
    assert_eq!(r["total"], 1);
    assert_eq!(r["items"][0]["actor_name"], "admin");
}

#[test]
fn the_trail_page_reads_as_people_speak_names_labels_and_office_time() {
    let app = crate::helpers::spawn_app();
    let r = crate::inventory::reserve(&app);
    let m = crate::inventory::movement(
        &app,
        &r.keeper,
        r.warehouse,
        "purchase",
        serde_json::json!([{"batch_id": r.sandbag_batch, "qty": "10"}]),
        serde_json::json!({}),
    );
    let id = m.json()["id"].as_i64().unwrap();
    app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&r.keeper2),
        None,
    );
    let mut b = app.browser();
    b.sign_in("admin", crate::helpers::ADMIN_PASSWORD);
    let page = b.get(&format!("/audit?entity=movement&entity_id={id}"));
    assert_eq!(page.status, 200);
    let t = &page.text;
    assert!(
        t.contains("马春梅"),
        "the countersigner by name, not keeper2: {t}"
    );
    assert!(t.contains("<b>复核人</b>"), "field names in words: {t}");
    assert!(!t.contains("<b>countersigned_by</b>"));
    assert!(
        t.contains("2026-11-28") || t.contains("2026-11-29"),
        "office time"
    );
    let raw_utc = t.as_bytes().windows(11).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit) && w[4] == b'-' && w[7] == b'-' && w[10] == b'T'
    });
    assert!(!raw_utc, "no raw UTC timestamps: {t}");
}
