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
        ("/api/v1/items/{id}", vec!["get", "patch"]),
        ("/api/v1/items/{id}/batches", vec!["get", "post"]),
        ("/api/v1/batches/{id}", vec!["patch"]),
        ("/api/v1/batches/{id}/inspections", vec!["get", "post"]),
        ("/api/v1/warehouses", vec!["get", "post"]),
        ("/api/v1/warehouses/{id}", vec!["get"]),
        ("/api/v1/warehouses/{id}/custodians", vec!["put"]),
        ("/api/v1/warehouses/{id}/norms/{item_id}", vec!["put"]),
        ("/api/v1/warehouses/{id}/stock", vec!["get"]),
        ("/api/v1/warehouses/{id}/reservations", vec!["get", "post"]),
        ("/api/v1/reservations/{id}/release", vec!["post"]),
        ("/api/v1/warehouses/{id}/inspections", vec!["get"]),
        ("/api/v1/warehouses/{id}/coordinates", vec!["put"]),
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
        (
            "/api/v1/warehouses/{id}/stock/{batch_id}/custodian",
            vec!["put"],
        ),
        ("/api/v1/notices", vec!["get"]),
        ("/api/v1/notices/{id}", vec!["get"]),
        ("/api/v1/notices/{id}/retry", vec!["post"]),
        ("/api/v1/notices/{id}/cancel", vec!["post"]),
        ("/api/v1/me/notices", vec!["get"]),
        ("/api/v1/me/notice-preferences", vec!["put"]),
        ("/api/v1/units/{id}/notice-settings", vec!["get", "put"]),
        ("/api/v1/units/{id}/test-email", vec!["post"]),
        ("/api/v1/units/{id}/chat", vec!["get", "put", "delete"]),
        ("/api/v1/units/{id}/chat/test", vec!["post"]),
        ("/api/v1/teams", vec!["get", "post"]),
        ("/api/v1/teams/search", vec!["get"]),
        ("/api/v1/teams/{id}", vec!["get", "put"]),
        ("/api/v1/teams/{id}/members", vec!["post"]),
        ("/api/v1/teams/{id}/members/{member_id}", vec!["put"]),
        ("/api/v1/teams/{id}/equipment", vec!["post"]),
        (
            "/api/v1/teams/{id}/equipment/{equipment_id}",
            vec!["delete"],
        ),
        ("/api/v1/teams/{id}/trainings", vec!["get", "post"]),
        ("/api/v1/team-lists", vec!["get"]),
        ("/api/v1/team-lists/specialities", vec!["post"]),
        ("/api/v1/team-lists/certificate-types", vec!["post"]),
        ("/api/v1/people/{id}/team-record", vec!["get"]),
        ("/api/v1/certificates", vec!["post"]),
        ("/api/v1/certificates/{id}", vec!["put"]),
        ("/api/v1/certificates/{id}/scan", vec!["get", "put"]),
        ("/api/v1/leaves", vec!["get", "post"]),
        ("/api/v1/leaves/{id}/approve", vec!["post"]),
        ("/api/v1/leaves/{id}/refuse", vec!["post"]),
        ("/api/v1/leaves/{id}/cancel", vec!["post"]),
        ("/api/v1/teams/{id}/export", vec!["get"]),
        ("/api/v1/teams/{id}/roster", vec!["post"]),
        ("/api/v1/certificates/export", vec!["get"]),
        ("/api/v1/calendar", vec!["get"]),
        ("/api/v1/calendar/days", vec!["get"]),
        ("/api/v1/calendar/days/{date}", vec!["put", "delete"]),
        ("/api/v1/calendar/years/{year}", vec!["put"]),
        ("/api/v1/calendar/import", vec!["post"]),
        ("/api/v1/duty/now", vec!["get"]),
        ("/api/v1/duty/rosters", vec!["get", "post"]),
        ("/api/v1/duty/rosters/{id}", vec!["get", "put"]),
        ("/api/v1/duty/rosters/{id}/periods", vec!["post"]),
        ("/api/v1/duty/rosters/{id}/periods/{period}", vec!["delete"]),
        ("/api/v1/duty/rosters/{id}/people", vec!["put"]),
        ("/api/v1/duty/rosters/{id}/plans", vec!["post"]),
        ("/api/v1/duty/rosters/{id}/gaps", vec!["get"]),
        (
            "/api/v1/duty/rosters/{id}/month/{month}/export",
            vec!["get"],
        ),
        ("/api/v1/duty/rosters/{id}/report", vec!["get"]),
        ("/api/v1/duty/rosters/{id}/import", vec!["post"]),
        ("/api/v1/duty/directory", vec!["get"]),
        ("/api/v1/duty/plans/{id}", vec!["get"]),
        ("/api/v1/duty/plans/{id}/{step}", vec!["post"]),
        ("/api/v1/duty/shifts/{id}", vec!["put"]),
        ("/api/v1/duty/shifts/{id}/log", vec!["get", "post"]),
        ("/api/v1/duty/log/{id}/close", vec!["post"]),
        ("/api/v1/duty/shifts/{id}/handover", vec!["post"]),
        ("/api/v1/duty/shifts/{id}/handover/confirm", vec!["post"]),
        ("/api/v1/duty/shifts/{id}/presence", vec!["get", "post"]),
        ("/api/v1/duty/changes", vec!["get", "post"]),
        ("/api/v1/duty/changes/{id}/{action}", vec!["post"]),
        ("/api/v1/duty/mine", vec!["get"]),
        ("/api/v1/duty/mine/reminder", vec!["get", "put"]),
        ("/api/v1/duty/unavailable", vec!["post"]),
        ("/api/v1/duty/unavailable/{person}/{id}", vec!["delete"]),
        ("/api/v1/duty/feeds", vec!["get", "post"]),
        ("/api/v1/duty/feeds/{id}", vec!["delete"]),
        ("/api/v1/consignments", vec!["get"]),
        ("/api/v1/consignments/{id}", vec!["get"]),
        ("/api/v1/consignments/{id}/receipt", vec!["post"]),
        ("/api/v1/allocations", vec!["get", "post"]),
        ("/api/v1/allocations/orders", vec!["post"]),
        ("/api/v1/allocations/{id}", vec!["get"]),
        (
            "/api/v1/allocations/{id}/lines/{line_id}/source",
            vec!["put"],
        ),
        ("/api/v1/allocations/{id}/decisions", vec!["post"]),
        ("/api/v1/allocations/{id}/reserve", vec!["post"]),
        ("/api/v1/allocations/{id}/dispatches", vec!["post"]),
        (
            "/api/v1/allocations/{id}/consignments/{consignment_id}/receipt",
            vec!["post"],
        ),
        ("/api/v1/allocations/{id}/cancel", vec!["post"]),
        ("/api/v1/allocations/{id}/close", vec!["post"]),
        ("/api/v1/allocations/{id}/returns", vec!["post"]),
        ("/api/v1/allocations/{id}/extension", vec!["post"]),
        ("/api/v1/loans", vec!["get"]),
        ("/api/v1/items/{id}/sources", vec!["get"]),
        ("/api/v1/circulars", vec!["get", "post"]),
        ("/api/v1/circulars/overdue", vec!["get"]),
        ("/api/v1/circulars/{id}", vec!["get"]),
        ("/api/v1/circulars/{id}/files", vec!["post"]),
        ("/api/v1/circulars/{id}/files/{file}", vec!["get"]),
        ("/api/v1/circulars/{id}/issue", vec!["post"]),
        ("/api/v1/circulars/{id}/withdraw", vec!["post"]),
        ("/api/v1/circulars/{id}/remind", vec!["post"]),
        (
            "/api/v1/circulars/{id}/units/{unit}/acknowledge",
            vec!["post"],
        ),
        ("/api/v1/circulars/{id}/units/{unit}/reply", vec!["post"]),
        ("/api/v1/drills", vec!["get", "post"]),
        ("/api/v1/drills/rules", vec!["get", "put"]),
        ("/api/v1/drills/units/{id}/profile", vec!["get", "put"]),
        ("/api/v1/drills/plans", vec!["get", "post"]),
        ("/api/v1/drills/plans/{id}", vec!["get", "put"]),
        ("/api/v1/drills/plans/{id}/file", vec!["get", "put"]),
        ("/api/v1/drills/annual", vec!["get", "post"]),
        ("/api/v1/drills/annual/{id}", vec!["get"]),
        ("/api/v1/drills/annual/{id}/items", vec!["post"]),
        (
            "/api/v1/drills/annual/{id}/items/{item}/withdraw",
            vec!["post"],
        ),
        ("/api/v1/drills/annual/{id}/submit", vec!["post"]),
        ("/api/v1/drills/annual/{id}/decision", vec!["post"]),
        ("/api/v1/drills/annual/{id}/publish", vec!["post"]),
        ("/api/v1/drills/compliance", vec!["get"]),
        ("/api/v1/drills/calendar.ics", vec!["get"]),
        ("/api/v1/drills/feeds", vec!["get", "post"]),
        ("/api/v1/drills/feeds/{id}", vec!["delete"]),
        ("/api/v1/drills/actions", vec!["get"]),
        ("/api/v1/drills/actions/{id}", vec!["get"]),
        ("/api/v1/drills/actions/{id}/evidence", vec!["post"]),
        ("/api/v1/drills/actions/{id}/file", vec!["get", "put"]),
        ("/api/v1/drills/actions/{id}/verification", vec!["post"]),
        ("/api/v1/drills/{id}", vec!["get"]),
        ("/api/v1/drills/{id}/submit", vec!["post"]),
        ("/api/v1/drills/{id}/decision", vec!["post"]),
        ("/api/v1/drills/{id}/cancel", vec!["post"]),
        ("/api/v1/drills/{id}/attendance", vec!["post"]),
        ("/api/v1/drills/{id}/log", vec!["post"]),
        ("/api/v1/drills/{id}/evaluation", vec!["post"]),
        ("/api/v1/drills/{id}/report", vec!["post"]),
        ("/api/v1/drills/{id}/materials", vec!["post"]),
        ("/api/v1/drills/{id}/issue", vec!["post"]),
        ("/api/v1/drills/{id}/return", vec!["post"]),
        ("/api/v1/drills/{id}/actions", vec!["post"]),
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

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                out.push(r);
            }
            m.values().for_each(|v| refs(v, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The type names that derive `ToSchema` in the Rust files under `dir`, with where each is declared.
fn schema_types(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            schema_types(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("#[derive(") {
            let derive = &rest[start..];
            let end = derive.find(")]").expect("a derive attribute ends");
            rest = &derive[end..];
            if !derive[..end]
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == "ToSchema")
            {
                continue;
            }
            // The item follows its attributes; `#[schema(as = X)]` among them names it X instead.
            let item = ["struct ", "enum "]
                .iter()
                .filter_map(|k| rest.find(k).map(|i| i + k.len()))
                .min()
                .expect("a derive is followed by its item");
            let attributes = &rest[..item];
            let named = match attributes.find("schema(as = ") {
                Some(i) => &attributes[i + "schema(as = ".len()..],
                None => &rest[item..],
            };
            let name: String = named
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((name, path.display().to_string()));
        }
    }
}

/// utoipa keys the document's schemas by the bare type name: of two types both called `LineIn`, one replaces the
/// other, and bodies valid for the lost one are refused (Schemathesis found thirteen such). Every type that
/// derives `ToSchema` has a name of its own.
#[test]
fn every_type_in_the_api_document_has_a_name_of_its_own() {
    let mut types = Vec::new();
    schema_types(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut types,
    );
    assert!(types.len() > 100, "found only {} schema types", types.len());
    types.sort();
    let twice: Vec<_> = types
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| format!("{} in {} and {}", pair[0].0, pair[0].1, pair[1].1))
        .collect();
    assert!(twice.is_empty(), "schema names declared twice: {twice:#?}");
}

#[test]
fn the_openapi_document_defines_what_it_refers_to_and_states_the_rules() {
    let app = spawn_app();
    let spec = app.api("GET", "/api/v1/openapi.json", None, None).json();
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(found.len() > 50);
    for r in found {
        let target = r
            .trim_start_matches("#/")
            .split('/')
            .fold(&spec, |v, step| &v[step]);
        assert!(target.is_object(), "{r} is referred to but not defined");
    }
    let mut ids: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| {
            op["operationId"]
                .as_str()
                .expect("every operation has an id")
        })
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");
    let schemas = &spec["components"]["schemas"];
    // The notice kinds a unit may set are the ones the areas register.
    let kinds = schemas["KindMode"]["properties"]["kind"]["enum"]
        .as_array()
        .expect("the kinds are listed");
    assert!(kinds.contains(&"batch_expiry".into()) && kinds.contains(&"countersign_owed".into()));
    assert!(
        !kinds.contains(&"test".into()) && !kinds.contains(&"digest".into()),
        "a test email and the digest itself are not choices"
    );
    // Quantities: the pattern the server parses by.
    let positive = schemas["LineIn"]["properties"]["qty"]["pattern"]
        .as_str()
        .unwrap();
    assert!(positive.contains("[0-9]{1,12}") && positive.contains("(?!0+"));
    assert_eq!(
        schemas["CountIn"]["properties"]["qty"]["pattern"],
        schemas["NormIn"]["properties"]["required"]["pattern"]
    );
    // Creating needs what changing does not.
    assert_eq!(
        schemas["PersonIn"]["required"],
        serde_json::json!(["unit_id", "name"])
    );
    assert!(schemas["PersonPatchIn"]["required"].is_null());
    for (schema, field) in [("AccountIn", "password"), ("PasswordIn", "new_password")] {
        assert_eq!(schemas[schema]["properties"][field]["minLength"], 8);
    }
}

#[test]
fn a_call_without_a_credential_hears_401_before_its_body_is_judged() {
    let app = spawn_app();
    let r = app.api(
        "POST",
        "/api/v1/movements/1/reverse",
        None,
        Some(serde_json::json!({"note": "wrong field"})),
    );
    assert_eq!((r.status, r.code().as_str()), (401, "unauthenticated"));
    let r = app.api("POST", "/api/v1/units", None, Some(serde_json::json!(7)));
    assert_eq!(r.status, 401);
    // Signing in needs no token, so its body is judged.
    let r = app.api(
        "POST",
        "/api/v1/auth/tokens",
        None,
        Some(serde_json::json!({"x": 1})),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn an_unknown_api_path_answers_with_the_json_error_body() {
    let app = spawn_app();
    let r = app.api("GET", "/api/v1/nothing-here", None, None);
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
}

#[test]
fn a_fixed_path_beside_an_id_route_answers_405_and_a_non_number_id_404() {
    let app = crate::helpers::spawn_app();
    let admin = app.admin_token();
    for (method, path, status) in [
        ("PUT", "/api/v1/teams/search", 405),
        ("POST", "/api/v1/certificates/export", 405),
        ("GET", "/api/v1/teams/abc", 404),
        ("PUT", "/api/v1/teams/abc", 404),
        ("GET", "/api/v1/teams/search?speciality=flood", 200),
    ] {
        let body = (method != "GET").then(|| serde_json::json!({}));
        let r = app.api(method, path, Some(&admin), body);
        assert_eq!(r.status, status, "{method} {path}: {}", r.text);
    }
}

/// A pooled PostgreSQL connection is not tested on every checkout (a round trip per request); one that rested is,
/// so a connection the server closed meanwhile is replaced and the next request answers as usual.
#[cfg(feature = "postgres")]
#[test]
fn a_connection_the_server_closed_while_it_rested_is_replaced() {
    use diesel::{Connection, RunQueryDsl};
    let app = spawn_app();
    if !app.database_url.starts_with("postgres") {
        return;
    }
    let token = app.admin_token();
    assert_eq!(app.get("/api/v1/units", &token).status, 200);
    let mut other = diesel::PgConnection::establish(&app.database_url).unwrap();
    let ended = diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut other)
    .unwrap();
    assert!(ended >= 1, "the pool held no connection to end");
    std::thread::sleep(standby::db::REST_BEFORE_CHECK + std::time::Duration::from_millis(200));
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/units", &token).status, 200);
    }
}
