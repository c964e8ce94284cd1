//! Signing in through the API, tokens, throttling.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{spawn_app, ADMIN_PASSWORD, PASSWORD};

#[test]
fn credentials_give_a_token_that_identifies_the_account() {
    let app = spawn_app();
    let r = app.api(
        "POST",
        "/api/v1/auth/tokens",
        None,
        Some(json!({"username": "admin", "password": ADMIN_PASSWORD, "name": "sync script"})),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let body = r.json();
    let token = body["token"].as_str().unwrap();
    assert!(token.starts_with("sb_"));
    assert_eq!(body["name"], "sync script");

    let me = app.get("/api/v1/me", token);
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["username"], "admin");
    assert_eq!(
        me.json()["roles"],
        json!([{"role": "administrator", "unit_id": null}])
    );

    let listed = app.get("/api/v1/auth/tokens", token).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(
        !listed.to_string().contains(token),
        "a listed token must not reveal its secret"
    );
}

#[test]
fn requests_without_valid_credentials_get_401_with_the_json_error() {
    let app = spawn_app();
    for (why, token) in [
        ("no header", None),
        ("unknown token", Some("sb_not-a-real-token")),
        ("empty", Some("")),
    ] {
        let r = app.api("GET", "/api/v1/units", token, None);
        assert_eq!(r.status, 401, "{why}");
        assert_eq!(r.code(), "unauthenticated", "{why}");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{why}");
    }
    let wrong = app.api(
        "POST",
        "/api/v1/auth/tokens",
        None,
        Some(json!({"username": "admin", "password": "wrong password"})),
    );
    assert_eq!(
        (wrong.status, wrong.code().as_str()),
        (401, "bad_credentials")
    );
    let unknown = app.api(
        "POST",
        "/api/v1/auth/tokens",
        None,
        Some(json!({"username": "nobody", "password": "whatever1"})),
    );
    assert_eq!(
        unknown.json()["error"]["message"],
        wrong.json()["error"]["message"],
        "must not reveal which part was wrong"
    );
}

#[test]
fn a_revoked_token_stops_working_at_once() {
    let app = spawn_app();
    let admin = app.admin_token();
    let other = app.admin_token();
    let id = app.get("/api/v1/auth/tokens", &other).json()[0]["id"]
        .as_i64()
        .unwrap();
    let r = app.api(
        "DELETE",
        &format!("/api/v1/auth/tokens/{id}"),
        Some(&other),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["revoked_at"].is_string());
    assert_eq!(app.get("/api/v1/me", &other).status, 401);
    assert_eq!(
        app.get("/api/v1/me", &admin).status,
        200,
        "other tokens are unaffected"
    );
    let again = app.api(
        "DELETE",
        &format!("/api/v1/auth/tokens/{id}"),
        Some(&admin),
        None,
    );
    assert_eq!(again.status, 409);
}

#[test]
fn a_user_cannot_revoke_someone_elses_token() {
    let app = spawn_app();
    let admin = app.admin_token();
    let office = app.create_unit(&admin, "区安委办", "office", None);
    let (_, viewer) = app.create_account(&admin, "viewer1", None, &[("viewer", Some(office))]);
    let admin_token_id = app.get("/api/v1/auth/tokens", &admin).json()[0]["id"]
        .as_i64()
        .unwrap();
    let r = app.api(
        "DELETE",
        &format!("/api/v1/auth/tokens/{admin_token_id}"),
        Some(&viewer),
        None,
    );
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(app.get("/api/v1/me", &admin).status, 200);
}

#[test]
fn repeated_failures_lock_the_account_until_the_window_passes() {
    let app = spawn_app();
    let bad = json!({"username": "admin", "password": "not the password"});
    for i in 0..5 {
        assert_eq!(
            app.api("POST", "/api/v1/auth/tokens", None, Some(bad.clone()))
                .status,
            401,
            "attempt {i}"
        );
    }
    let blocked = app.api(
        "POST",
        "/api/v1/auth/tokens",
        None,
        Some(json!({"username": "admin", "password": ADMIN_PASSWORD})),
    );
    assert_eq!(
        blocked.status, 429,
        "even the right password waits: {}",
        blocked.text
    );
    assert_eq!(blocked.code(), "too_many_attempts");
    let retry: i64 = blocked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");

    app.clock.advance(Duration::minutes(16));
    assert_eq!(
        app.api(
            "POST",
            "/api/v1/auth/tokens",
            None,
            Some(json!({"username": "admin", "password": ADMIN_PASSWORD}))
        )
        .status,
        201
    );
}

#[test]
fn a_success_clears_earlier_failures() {
    let app = spawn_app();
    let bad = json!({"username": "admin", "password": "not the password"});
    for _ in 0..4 {
        app.api("POST", "/api/v1/auth/tokens", None, Some(bad.clone()));
    }
    app.admin_token();
    for _ in 0..4 {
        assert_eq!(
            app.api("POST", "/api/v1/auth/tokens", None, Some(bad.clone()))
                .status,
            401
        );
    }
    app.admin_token();
}

#[test]
fn pruning_forgets_only_failures_outside_the_window() {
    let app = spawn_app();
    let bad = json!({"username": "admin", "password": "not the password"});
    for _ in 0..3 {
        app.api("POST", "/api/v1/auth/tokens", None, Some(bad.clone()));
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert_eq!(
        rt.block_on(standby::app::prune(&app.state, app.state.now()))
            .unwrap()
            .failures,
        0
    );
    app.clock.advance(Duration::minutes(20));
    assert_eq!(
        rt.block_on(standby::app::prune(&app.state, app.state.now()))
            .unwrap()
            .failures,
        3
    );
}

#[test]
fn a_deactivated_account_loses_its_tokens_and_cannot_sign_in() {
    let app = spawn_app();
    let admin = app.admin_token();
    let (id, token) = app.create_account(&admin, "keeper1", None, &[("viewer", None)]);
    assert_eq!(app.get("/api/v1/me", &token).status, 200);
    assert_eq!(
        app.patch(
            &format!("/api/v1/accounts/{id}"),
            &admin,
            json!({"active": false})
        )
        .status,
        200
    );
    assert_eq!(app.get("/api/v1/me", &token).status, 401);
    let r = app.api(
        "POST",
        "/api/v1/auth/tokens",
        None,
        Some(json!({"username": "keeper1", "password": PASSWORD})),
    );
    assert_eq!(r.status, 401);
}
