//! Security decisions: what a password reset and a deactivation end, what a blind count hides from the
//! people counting, whose phone numbers are masked, and who may read the metrics.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, PASSWORD};
use crate::inventory::{receive, reserve};

#[test]
fn a_password_reset_ends_the_tokens_and_a_reactivation_revives_none() {
    let app = spawn_app();
    let admin = app.admin_token();
    let (id, token) = app.create_account(&admin, "keeper1", None, &[("viewer", None)]);
    let patch = |body: Value| app.patch(&format!("/api/v1/accounts/{id}"), &admin, body);
    assert_eq!(
        patch(json!({"password": "a brand new password"})).status,
        200
    );
    assert_eq!(
        app.get("/api/v1/me", &token).status,
        401,
        "reset: the old token is dead"
    );
    let fresh = app.token("keeper1", "a brand new password");
    assert_eq!(patch(json!({"active": false})).status, 200);
    assert_eq!(patch(json!({"active": true})).status, 200);
    assert_eq!(
        app.get("/api/v1/me", &fresh).status,
        401,
        "a token issued before the deactivation does not come back"
    );
    let after = app.token("keeper1", "a brand new password");
    assert_eq!(app.get("/api/v1/me", &after).status, 200);
    // A person changing their own password keeps their tokens (their sessions elsewhere end).
    let own = app.post(
        "/api/v1/me/password",
        &after,
        json!({"current_password": "a brand new password", "new_password": "another good password"}),
    );
    assert_eq!(own.status, 204, "{}", own.text);
    assert_eq!(app.get("/api/v1/me", &after).status, 200);
}

#[test]
fn while_a_blind_count_is_open_the_counters_see_no_book_anywhere() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "137");
    // A batch about to expire, whose custodian hears of it by email.
    let people = app.get("/api/v1/people", &r.admin).json();
    let custodian = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "蒋国平")
        .unwrap()["id"]
        .clone();
    app.patch(
        &format!("/api/v1/people/{custodian}"),
        &r.admin,
        json!({"email": "jianggp@jsj.example.cn"}),
    );
    let expiring = app.post(
        &format!("/api/v1/items/{}/batches", r.jackets),
        &r.keeper,
        json!({"batch_no": "LJ-EXP", "ownership": "government", "expiry_date": "2026-12-23", "custodian_id": custodian}),
    );
    receive(&app, &r, expiring.json()["id"].as_i64().unwrap(), "41");
    let open = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
        &r.head,
        json!({"blind": true}),
    );
    assert_eq!(open.status, 201, "{}", open.text);
    let w = r.warehouse;
    let sandbags = |token: &str| {
        let all = app
            .get(&format!("/api/v1/warehouses/{w}/stock"), token)
            .json();
        all.as_array()
            .unwrap()
            .iter()
            .find(|s| s["batch_id"] == r.sandbag_batch)
            .unwrap()
            .clone()
    };
    let counter = sandbags(&r.keeper);
    assert_eq!(counter["qty"], Value::Null, "{counter}");
    assert_eq!(counter["qty_milli"], Value::Null);
    assert_eq!(
        sandbags(&r.head)["qty"],
        "137",
        "the approver sees the book"
    );
    let fefo = app.get(
        &format!("/api/v1/warehouses/{w}/fefo?item_id={}&qty=1", r.sandbags),
        &r.keeper,
    );
    assert_eq!(fefo.status, 409, "{}", fefo.text);
    let export = app.get(
        &format!("/api/v1/warehouses/{w}/export?what=ledger"),
        &r.keeper,
    );
    assert_eq!(export.status, 409);
    let dashboard = app.get("/api/v1/warehouses", &r.keeper).json();
    let mine = dashboard
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["warehouse_id"] == w)
        .unwrap();
    assert_eq!(mine["book_hidden"], true);
    assert_eq!(mine["value_fen"], Value::Null);
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let page = keeper.get(&format!("/reserves/warehouses/{w}"));
    assert!(!page.text.contains("137"), "the stock page shows no book");
    let form = keeper.get(&format!("/reserves/warehouses/{w}/movements/new?kind=use"));
    assert!(!form.text.contains("137"), "nor does the issue form");
    let sheet = keeper.get(&format!("/reserves/stocktakes/{}", open.json()["id"]));
    assert!(!sheet.text.contains("137"), "nor the count sheet");
    assert!(app.scan() >= 1);
    let notice = &app
        .get("/api/v1/notices?kind=batch_expiry", &r.admin)
        .json()["items"][0];
    let body = notice["body_text"].as_str().unwrap();
    assert!(
        body.contains("盘点中") && !body.contains("41 "),
        "the reminder leaves the quantity out: {body}"
    );
}

#[test]
fn viewers_see_phone_numbers_masked_and_working_roles_whole() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "区建设局", "department", None);
    let person = app.post(
        "/api/v1/people",
        &admin,
        json!({"name": "蒋国平", "unit_id": unit, "phone": "13812341234"}),
    );
    let id = person.json()["id"].as_i64().unwrap();
    let (_, viewer) = app.create_account(&admin, "viewer1", None, &[("viewer", None)]);
    let (_, duty) = app.create_account(&admin, "duty1", None, &[("duty_officer", None)]);
    let phone =
        |token: &str| app.get(&format!("/api/v1/people/{id}"), token).json()["phone"].clone();
    assert_eq!(phone(&viewer), "138****1234");
    assert_eq!(phone(&duty), "13812341234");
    let list = app.get("/api/v1/people", &viewer).json();
    assert_eq!(list["items"][0]["phone"], "138****1234");
    let mut b = app.browser();
    b.sign_in("viewer1", PASSWORD);
    let page = b.get("/people");
    assert!(page.text.contains("138****1234") && !page.text.contains("13812341234"));
}

#[test]
fn metrics_can_be_guarded_by_a_bearer_token() {
    let open = spawn_app();
    assert_eq!(open.api("GET", "/metrics", None, None).status, 200);
    let app = spawn_app_with(&[("STANDBY_METRICS_TOKEN", "metrics-reader-0123456789")]);
    assert_eq!(app.api("GET", "/metrics", None, None).status, 401);
    assert_eq!(
        app.api("GET", "/metrics", Some("wrong-token-0123456789"), None)
            .status,
        401
    );
    let r = app.api("GET", "/metrics", Some("metrics-reader-0123456789"), None);
    assert_eq!(r.status, 200);
    assert!(r.text.contains("standby_http_requests_total"));
}

#[test]
fn a_revoked_token_stops_at_once_here_and_within_the_remembering_time_elsewhere() {
    use diesel::RunQueryDsl;
    let app = spawn_app_with(&[("STANDBY_CALLER_SECONDS", "2")]);
    let admin = app.admin_token();
    let (_, token) = app.create_account(&admin, "viewer9", None, &[("viewer", None)]);
    assert_eq!(
        app.get("/api/v1/me", &token).status,
        200,
        "seen and remembered"
    );
    // Another instance revokes it (straight in the shared database: this process is not told).
    diesel::sql_query(
        "UPDATE api_tokens SET revoked_at = created_at \
         WHERE account_id = (SELECT id FROM accounts WHERE username = 'viewer9')",
    )
    .execute(&mut *app.state.pool.get().unwrap())
    .unwrap();
    assert_eq!(
        app.get("/api/v1/me", &token).status,
        200,
        "answered from memory within the remembering time"
    );
    std::thread::sleep(std::time::Duration::from_millis(2300));
    assert_eq!(
        app.get("/api/v1/me", &token).status,
        401,
        "stopped within the bound"
    );

    // A revocation, deactivation or change of roles in this process counts from the next request.
    let (viewer_id, viewer) =
        app.create_account(&admin, "viewer10", None, &[("office_staff", None)]);
    assert_eq!(app.get("/api/v1/me", &viewer).status, 200);
    let tokens = app.get("/api/v1/auth/tokens", &viewer).json();
    let second = app.api(
        "POST",
        "/api/v1/auth/tokens",
        None,
        Some(json!({"username": "viewer10", "password": PASSWORD})),
    );
    let second = second.json()["token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/me", &second).status, 200);
    let id = tokens.as_array().unwrap()[0]["id"].as_i64().unwrap();
    assert_eq!(
        app.api(
            "DELETE",
            &format!("/api/v1/auth/tokens/{id}"),
            Some(&second),
            None
        )
        .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/me", &viewer).status,
        401,
        "revoked: at once"
    );
    let roles = app.patch(
        &format!("/api/v1/accounts/{viewer_id}"),
        &admin,
        json!({"roles": [{"role": "viewer", "unit_id": null}]}),
    );
    assert_eq!(roles.status, 200, "{}", roles.text);
    assert_eq!(
        app.get("/api/v1/me", &second).json()["roles"][0]["role"],
        "viewer",
        "new roles at once"
    );
    let off = app.patch(
        &format!("/api/v1/accounts/{viewer_id}"),
        &admin,
        json!({"active": false}),
    );
    assert_eq!(off.status, 200);
    assert_eq!(
        app.get("/api/v1/me", &second).status,
        401,
        "deactivated: at once"
    );
}

#[test]
fn a_new_unit_counts_at_once_for_a_caller_remembered_before_it() {
    let app = spawn_app_with(&[("STANDBY_CALLER_SECONDS", "60")]);
    let admin = app.admin_token();
    let bureau = app.create_unit(&admin, "建设局", "department", None);
    let keeper = app.create_person(&admin, "蒋国平", bureau);
    let (_, token) = app.create_account(
        &admin,
        "keeper7",
        Some(keeper),
        &[("warehouse_keeper", Some(bureau))],
    );
    assert_eq!(
        app.get("/api/v1/me", &token).status,
        200,
        "seen and remembered"
    );
    // A station below the bureau, and its store: within the keeper's scope from the moment it exists.
    let station = app.create_unit(&admin, "建设局东太湖站", "department", Some(bureau));
    let w = app.post(
        "/api/v1/warehouses",
        &admin,
        json!({"unit_id": station, "name": "东太湖站储备点", "custodians": [keeper]}),
    );
    assert_eq!(w.status, 201, "{}", w.text);
    let stock = app.get(
        &format!("/api/v1/warehouses/{}/stock", w.json()["id"]),
        &token,
    );
    assert_eq!(stock.status, 200, "{}", stock.text);
}
