//! The ledger's guards: verification against tampering, no oversell under concurrency, serial numbers,
//! unbatched items, bad input.

use std::sync::Barrier;

use diesel::RunQueryDsl;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::inventory::{movement, on_hand, receive, reserve, verify};

#[test]
fn verification_names_a_row_changed_behind_the_applications_back() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let id = receive(&app, &r, r.jacket_batch, "10");
    let clean = verify(&app, &r.admin);
    assert_eq!(
        (clean["movements"].as_i64(), clean["warehouses"].as_i64()),
        (Some(2), Some(2))
    );
    assert!(
        clean["chain_breaks"].as_array().unwrap().is_empty()
            && clean["differences"].as_array().unwrap().is_empty()
    );

    let mut conn = app.state.pool.get().unwrap();
    diesel::sql_query(format!(
        "UPDATE movement_lines SET qty = 9000 WHERE movement_id = {id}"
    ))
    .execute(&mut *conn)
    .unwrap();
    let tampered = verify(&app, &r.admin);
    let breaks = tampered["chain_breaks"].as_array().unwrap();
    assert_eq!(breaks.len(), 1, "{tampered}");
    assert_eq!(breaks[0]["voucher_no"], "RK-2026-000002");
    assert_eq!(
        tampered["differences"][0]["batch_id"].as_i64(),
        Some(r.jacket_batch),
        "book 10 vs ledger 9"
    );

    diesel::sql_query(format!(
        "UPDATE balances SET qty = 1 WHERE batch_id = {}",
        r.sandbag_batch
    ))
    .execute(&mut *conn)
    .unwrap();
    let both = verify(&app, &r.admin);
    assert_eq!(both["differences"].as_array().unwrap().len(), 2, "{both}");
}

#[test]
fn parallel_issues_never_oversell() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "10");
    let barrier = Barrier::new(16);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let (app, r, barrier) = (&app, &r, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    let token = if i % 2 == 0 { &r.keeper } else { &r.keeper2 };
                    movement(
                        app,
                        token,
                        r.warehouse,
                        "use",
                        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
                        json!({"emergency": true}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        10,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch), 0);
    let report = verify(&app, &r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty()
            && report["chain_breaks"].as_array().unwrap().is_empty(),
        "{report}"
    );
}

#[test]
fn a_serial_numbered_pump_moves_one_unit_and_is_received_once() {
    let app = spawn_app();
    let r = reserve(&app);
    let pump = app.post("/api/v1/items", &r.keeper, json!({"code": "FX-SB-200", "name": "抽水泵", "uom": "台", "category_code": "2", "track_serial": true}));
    assert_eq!(pump.status, 201, "{}", pump.text);
    let pump = pump.json()["id"].as_i64().unwrap();
    let sn = app
        .post(
            &format!("/api/v1/items/{pump}/batches"),
            &r.keeper,
            json!({"batch_no": "SN-2023-0007", "ownership": "government"}),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let two = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "purchase",
        json!([{"batch_id": sn, "qty": "2"}]),
        json!({}),
    );
    assert_eq!(two.status, 422, "one unit per serial number: {}", two.text);
    receive(&app, &r, sn, "1");
    let again = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "purchase",
        json!([{"batch_id": sn, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(again.status, 201, "recording waits for the signature");
    let id = again.json()["id"].as_i64().unwrap();
    let posted = app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&r.keeper2),
        None,
    );
    assert_eq!(
        posted.status, 409,
        "the same serial number cannot be in stock twice: {}",
        posted.text
    );
    assert_eq!(on_hand(&app, &r.keeper, r.warehouse, sn), 1000);
    let bad = app.post("/api/v1/items", &r.keeper, json!({"code": "X", "name": "x", "uom": "台", "category_code": "2", "track_serial": true, "track_batches": false}));
    assert_eq!(bad.status, 422);
}

#[test]
fn an_item_not_tracked_by_batch_has_one_standing_batch() {
    let app = spawn_app();
    let r = reserve(&app);
    let sand = app.post("/api/v1/items", &r.keeper, json!({"code": "GC-SS-01", "name": "砂石料", "uom": "吨", "category_code": "3", "track_batches": false}));
    assert_eq!(sand.status, 201, "{}", sand.text);
    let id = sand.json()["id"].as_i64().unwrap();
    let batches = app
        .get(&format!("/api/v1/items/{id}/batches"), &r.keeper)
        .json();
    assert_eq!(batches.as_array().unwrap().len(), 1);
    assert_eq!(batches[0]["batch_no"], "不分批");
    receive(&app, &r, batches[0]["id"].as_i64().unwrap(), "85.25");
    assert_eq!(
        app.post(
            &format!("/api/v1/items/{id}/batches"),
            &r.keeper,
            json!({"batch_no": "B2", "ownership": "government"})
        )
        .status,
        409
    );
}

#[test]
fn bad_movement_input_is_refused_and_writes_nothing() {
    let app = spawn_app();
    let r = reserve(&app);
    let cases = [
        (
            "an unknown kind",
            json!({"warehouse_id": r.warehouse, "kind": "steal", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
            422,
        ),
        (
            "a kind made by the system",
            json!({"warehouse_id": r.warehouse, "kind": "count_gain", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
            422,
        ),
        (
            "no lines",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": []}),
            422,
        ),
        (
            "a negative quantity",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": [{"batch_id": r.sandbag_batch, "qty": "-1"}]}),
            422,
        ),
        (
            "four decimals",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": [{"batch_id": r.sandbag_batch, "qty": "1.0001"}]}),
            422,
        ),
        (
            "a number instead of a decimal string",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": [{"batch_id": r.sandbag_batch, "qty": 1.5}]}),
            400,
        ),
        (
            "an unknown batch",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": [{"batch_id": 9999, "qty": "1"}]}),
            422,
        ),
        (
            "an unknown warehouse",
            json!({"warehouse_id": 9999, "kind": "purchase", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
            404,
        ),
        (
            "the same batch twice",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}, {"batch_id": r.sandbag_batch, "qty": "2"}]}),
            422,
        ),
        (
            "a rotation line without a direction",
            json!({"warehouse_id": r.warehouse, "kind": "rotation", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
            422,
        ),
        (
            "no reason (事由)",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "reason": "  ", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
            422,
        ),
        (
            "half a sandbag (counted in whole pieces)",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": [{"batch_id": r.sandbag_batch, "qty": "1.5"}]}),
            422,
        ),
        (
            "an absurd quantity",
            json!({"warehouse_id": r.warehouse, "kind": "purchase", "lines": [{"batch_id": r.diesel_batch, "qty": "1000000000000000000000000000000"}]}),
            422,
        ),
    ];
    for (why, mut body, status) in cases {
        if body.get("reason").is_none() {
            body["reason"] = json!("测试：每个不合规之处单独检验");
        }
        let resp = app.post("/api/v1/movements", &r.keeper, body);
        assert_eq!(resp.status, status, "{why}: {}", resp.text);
    }
    assert_eq!(app.get("/api/v1/movements", &r.keeper).json()["total"], 0);
    let w = app.post(
        "/api/v1/warehouses",
        &r.admin,
        json!({"unit_id": r.unit, "name": "无人库", "custodians": []}),
    );
    assert_eq!(
        (w.status, w.json()["error"]["field"].as_str()),
        (422, Some("custodians")),
        "人物对应: a warehouse needs a custodian"
    );
    let i = app.post(
        "/api/v1/items",
        &r.keeper,
        json!({"code": "X1", "name": "x", "uom": "个", "category_code": "4"}),
    );
    assert_eq!(
        (i.status, i.json()["error"]["field"].as_str()),
        (422, Some("category_code"))
    );
}
