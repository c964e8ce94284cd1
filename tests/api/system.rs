//! Operator endpoints and the API description.

use crate::helpers::spawn_app;

#[test]
fn health_and_readiness_answer_once_migrations_are_applied() {
    let app = spawn_app();
    let token = app.admin_token();
    assert_eq!(app.api("GET", "/healthz", None, None).status, 200);
    let ready = app.api("GET", "/readyz", None, None);
    assert_eq!((ready.status, ready.text.as_str()), (200, "ready"));
    let _ = app.get("/api/v1/units", &token);
    let metrics = app.api("GET", "/metrics", None, None);
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.text.contains(
            r#"standby_http_requests_total{method="GET",route="/api/v1/units",status="200"} 1"#
        ),
        "{}",
        metrics.text
    );
    assert!(metrics
        .text
        .contains("standby_http_request_duration_seconds_bucket"));
    assert!(metrics
        .text
        .contains(r#"standby_db_pool_connections{state="max"} 6"#));
    assert!(metrics.text.contains("standby_notice_oldest_due_seconds 0"));
}

#[test]
fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app();
    let spec = app.api("GET", "/api/v1/openapi.json", None, None).json();
    assert_eq!(spec["openapi"], "3.1.0");
    let expected = [
        ("/api/v1/auth/tokens", vec!["get", "post"]),
        ("/api/v1/auth/tokens/{id}", vec!["delete"]),
        ("/api/v1/me", vec!["get"]),
        ("/api/v1/me/password", vec!["post"]),
        ("/api/v1/units", vec!["get", "post"]),
        ("/api/v1/units/{id}", vec!["get", "patch"]),
        ("/api/v1/people", vec!["get", "post"]),
        ("/api/v1/people/{id}", vec!["get", "patch"]),
        ("/api/v1/accounts", vec!["get", "post"]),
        ("/api/v1/accounts/{id}", vec!["get", "patch"]),
        ("/api/v1/audit", vec!["get"]),
        ("/api/v1/categories", vec!["get", "post"]),
        ("/api/v1/items", vec!["get", "post"]),
        ("/api/v1/items/{id}", vec!["get"]),
        ("/api/v1/items/{id}/batches", vec!["get", "post"]),
        ("/api/v1/batches/{id}", vec!["patch"]),
        ("/api/v1/warehouses", vec!["get", "post"]),
        ("/api/v1/warehouses/{id}", vec!["get"]),
        ("/api/v1/warehouses/{id}/custodians", vec!["put"]),
        ("/api/v1/warehouses/{id}/norms/{item_id}", vec!["put"]),
        ("/api/v1/warehouses/{id}/stock", vec!["get"]),
        ("/api/v1/warehouses/{id}/fefo", vec!["get"]),
        ("/api/v1/warehouses/{id}/stocktakes", vec!["get", "post"]),
        ("/api/v1/ledger/verify", vec!["get"]),
        ("/api/v1/movements", vec!["get", "post"]),
        ("/api/v1/movements/{id}", vec!["get"]),
        ("/api/v1/movements/{id}/countersign", vec!["post"]),
        ("/api/v1/movements/{id}/reject", vec!["post"]),
        ("/api/v1/movements/{id}/reverse", vec!["post"]),
        ("/api/v1/stocktakes/{id}", vec!["get"]),
        ("/api/v1/stocktakes/{id}/lines", vec!["post"]),
        ("/api/v1/stocktakes/{id}/approve", vec!["post"]),
        ("/api/v1/stocktakes/{id}/cancel", vec!["post"]),
        ("/api/v1/stocktake-lines/{id}/counts", vec!["post"]),
        ("/api/v1/stocktake-lines/{id}/recount", vec!["post"]),
        ("/api/v1/stocktake-lines/{id}/reason", vec!["put"]),
        ("/api/v1/warehouses/{id}/export", vec!["get"]),
        ("/api/v1/stocktakes/{id}/export", vec!["get"]),
        ("/api/v1/imports", vec!["post"]),
        ("/api/v1/warehouses/{id}/stock/{batch_id}/bin", vec!["put"]),
        ("/api/v1/notices", vec!["get"]),
        ("/api/v1/notices/{id}", vec!["get"]),
        ("/api/v1/notices/{id}/retry", vec!["post"]),
        ("/api/v1/notices/{id}/cancel", vec!["post"]),
        ("/api/v1/me/notices", vec!["get"]),
        ("/api/v1/me/notice-preferences", vec!["put"]),
        ("/api/v1/units/{id}/notice-settings", vec!["get", "put"]),
        ("/api/v1/units/{id}/test-email", vec!["post"]),
    ];
    let paths = spec["paths"].as_object().unwrap();
    assert_eq!(
        paths.len(),
        expected.len(),
        "undocumented or unexpected paths: {:?}",
        paths.keys().collect::<Vec<_>>()
    );
    for (path, methods) in expected {
        for m in methods {
            assert!(
                spec["paths"][path][m].is_object(),
                "{m} {path} is not documented"
            );
        }
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    assert!(spec["components"]["schemas"]["ErrorBody"].is_object());

    let reference = app.api("GET", "/api", None, None);
    assert_eq!(reference.status, 200);
    assert!(reference.text.contains("/api/v1/units/{id}") && reference.text.contains("PATCH"));
    assert!(
        !reference.text.contains("<script"),
        "the reference must work offline without scripts"
    );
}

#[test]
fn an_unknown_api_path_answers_with_the_json_error_body() {
    let app = spawn_app();
    let r = app.api("GET", "/api/v1/nothing-here", None, None);
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
}
