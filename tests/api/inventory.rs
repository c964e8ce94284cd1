//! Material reserves through the API: movements and signatures, transfers, reversal, stocktakes,
//! verification (and tampering), permissions, and no oversell under concurrency.

use std::sync::Barrier;

use diesel::RunQueryDsl;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// One unit with a warehouse, two keepers, a head; a second unit with its own warehouse and keeper.
pub struct Reserve {
    pub admin: String,
    pub unit: i64,
    pub warehouse: i64,
    pub other_warehouse: i64,
    pub keeper: String,
    pub keeper2: String,
    pub head: String,
    pub other_keeper: String,
    pub sandbags: i64,
    pub jackets: i64,
    pub sandbag_batch: i64,
    pub jacket_batch: i64,
}

pub fn reserve(app: &TestApp) -> Reserve {
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "建设局", "department", None);
    let other = app.create_unit(&admin, "滨湖街道", "street", None);
    let p1 = app.create_person(&admin, "蒋国平", unit);
    let p2 = app.create_person(&admin, "马春梅", unit);
    let p3 = app.create_person(&admin, "金晓东", other);
    let (_, keeper) = app.create_account(
        &admin,
        "keeper1",
        Some(p1),
        &[("warehouse_keeper", Some(unit))],
    );
    let (_, keeper2) = app.create_account(
        &admin,
        "keeper2",
        Some(p2),
        &[("warehouse_keeper", Some(unit))],
    );
    let (_, head) = app.create_account(&admin, "head1", None, &[("unit_head", Some(unit))]);
    let (_, other_keeper) = app.create_account(
        &admin,
        "keeper3",
        Some(p3),
        &[("warehouse_keeper", Some(other))],
    );
    let w = app.post("/api/v1/warehouses", &admin, json!({"unit_id": unit, "name": "建设局防汛物资仓库", "custodians": [p1, p2], "stocktake_interval_days": 90}));
    assert_eq!(w.status, 201, "{}", w.text);
    let w2 = app.post(
        "/api/v1/warehouses",
        &admin,
        json!({"unit_id": other, "name": "滨湖街道储备点", "custodians": [p3]}),
    );
    assert_eq!(w2.status, 201, "{}", w2.text);
    let item = |code: &str, name: &str, uom: &str, cat: &str, shelf: Option<i32>| {
        let r = app.post("/api/v1/items", &keeper, json!({"code": code, "name": name, "uom": uom, "category_code": cat, "shelf_life_days": shelf, "unit_price": "12.50"}));
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["id"].as_i64().unwrap()
    };
    let sandbags = item("SB-50", "防汛沙袋", "条", "3", None);
    let jackets = item("LJ-01", "救生衣", "件", "2", Some(1825));
    let batch = |item: i64, no: &str, body: Value| {
        let mut b = body;
        b["batch_no"] = json!(no);
        let r = app.post(&format!("/api/v1/items/{item}/batches"), &keeper, b);
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["id"].as_i64().unwrap()
    };
    let sandbag_batch = batch(
        sandbags,
        "SB2026-01",
        json!({"ownership": "government", "custodian_id": p1}),
    );
    let jacket_batch = batch(
        jackets,
        "LJ2026-01",
        json!({"ownership": "government", "production_date": "2026-01-10", "custodian_id": p2}),
    );
    Reserve {
        admin,
        unit,
        warehouse: w.json()["id"].as_i64().unwrap(),
        other_warehouse: w2.json()["id"].as_i64().unwrap(),
        keeper,
        keeper2,
        head,
        other_keeper,
        sandbags,
        jackets,
        sandbag_batch,
        jacket_batch,
    }
}

pub fn movement(
    app: &TestApp,
    token: &str,
    warehouse: i64,
    kind: &str,
    lines: Value,
    extra: Value,
) -> crate::helpers::Resp {
    let mut body =
        json!({"warehouse_id": warehouse, "kind": kind, "reason": "测试", "lines": lines});
    if let Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    app.post("/api/v1/movements", token, body)
}

/// Records and countersigns a receipt of `qty` into the reserve's warehouse.
pub fn receive(app: &TestApp, r: &Reserve, batch: i64, qty: &str) -> i64 {
    let m = movement(
        app,
        &r.keeper,
        r.warehouse,
        "purchase",
        json!([{"batch_id": batch, "qty": qty}]),
        json!({}),
    );
    assert_eq!(m.status, 201, "{}", m.text);
    let id = m.json()["id"].as_i64().unwrap();
    let s = app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&r.keeper2),
        None,
    );
    assert_eq!(s.status, 200, "{}", s.text);
    id
}

pub fn on_hand(app: &TestApp, token: &str, warehouse: i64, batch: i64) -> i64 {
    let rows = app
        .get(&format!("/api/v1/warehouses/{warehouse}/stock"), token)
        .json();
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["batch_id"] == batch)
        .map(|r| r["qty"].as_i64().unwrap())
        .sum()
}

fn verify(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/ledger/verify", token);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

#[test]
fn a_receipt_waits_for_a_second_signature_before_it_counts() {
    let app = spawn_app();
    let r = reserve(&app);
    let m = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "purchase",
        json!([{"batch_id": r.sandbag_batch, "qty": "500"}]),
        json!({}),
    );
    assert_eq!(m.status, 201, "{}", m.text);
    let v = m.json();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["voucher_no"], "RK-2026-000001");
    assert_eq!(v["lines"][0]["qty"], "500");
    let id = v["id"].as_i64().unwrap();
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        0,
        "nothing counts before the countersignature"
    );

    let own = app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&r.keeper),
        None,
    );
    assert_eq!(
        own.status, 409,
        "the recorder cannot sign twice: {}",
        own.text
    );
    let signed = app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&r.keeper2),
        None,
    );
    assert_eq!(signed.status, 200, "{}", signed.text);
    assert_eq!(signed.json()["state"], "posted");
    assert!(signed.json()["hash"].as_str().unwrap().len() == 64);
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        500_000
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{id}/countersign"),
            Some(&r.head),
            None
        )
        .status,
        409,
        "only once"
    );

    let second = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "donation",
        json!([{"batch_id": r.sandbag_batch, "qty": "0.5"}]),
        json!({}),
    );
    assert_eq!(
        second.json()["voucher_no"],
        "RK-2026-000002",
        "numbered per unit and year"
    );
}

#[test]
fn an_issue_never_takes_more_than_the_book_holds() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let too_much = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "100.001"}]),
        json!({}),
    );
    assert_eq!(too_much.status, 409, "{}", too_much.text);
    assert!(too_much.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("库存不足"));

    // Two pending issues that together exceed stock: the second signature finds it short and posts nothing.
    let a = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "60"}]),
        json!({}),
    )
    .json()["id"]
        .as_i64()
        .unwrap();
    let b = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "60"}]),
        json!({}),
    )
    .json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{a}/countersign"),
            Some(&r.keeper2),
            None
        )
        .status,
        200
    );
    let short = app.api(
        "POST",
        &format!("/api/v1/movements/{b}/countersign"),
        Some(&r.keeper2),
        None,
    );
    assert_eq!(short.status, 409, "{}", short.text);
    assert_eq!(
        app.get(&format!("/api/v1/movements/{b}"), &r.keeper).json()["state"],
        "pending"
    );
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        40_000
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{b}/reject"),
            Some(&r.keeper2),
            None
        )
        .json()["state"],
        "rejected"
    );
}

#[test]
fn an_emergency_issue_goes_first_and_its_signature_is_owed() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "200");
    let m = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "150"}]),
        json!({"emergency": true, "reason": "东太湖大堤管涌抢险"}),
    );
    assert_eq!(m.status, 201, "{}", m.text);
    assert_eq!(m.json()["state"], "posted");
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        50_000,
        "posted at once"
    );
    let owed = app.get("/api/v1/movements?owed=true", &r.keeper).json();
    assert_eq!(owed["total"], 1);
    let id = m.json()["id"].as_i64().unwrap();
    let signed = app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&r.head),
        None,
    );
    assert_eq!(signed.status, 200, "{}", signed.text);
    assert!(signed.json()["countersigned_by"].is_i64());
    assert_eq!(
        app.get("/api/v1/movements?owed=true", &r.keeper).json()["total"],
        0
    );
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        50_000,
        "signing afterwards does not post twice"
    );

    let receipt = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "purchase",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({"emergency": true}),
    );
    assert_eq!(receipt.status, 422, "only issues may go first");
}

#[test]
fn expired_stock_leaves_only_by_an_approved_write_off() {
    let app = spawn_app();
    let r = reserve(&app);
    let old = app.post(&format!("/api/v1/items/{}/batches", r.jackets), &r.keeper, json!({"batch_no": "LJ2020-01", "ownership": "donated", "production_date": "2020-01-01", "expiry_date": "2025-01-01"}));
    assert_eq!(old.status, 201, "{}", old.text);
    let old = old.json()["id"].as_i64().unwrap();
    receive(&app, &r, old, "30");
    let issue = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": old, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(issue.status, 422, "{}", issue.text);
    let w = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "write_off",
        json!([{"batch_id": old, "qty": "30"}]),
        json!({"reason": "过期报废"}),
    );
    assert_eq!(w.status, 201, "{}", w.text);
    assert_eq!(w.json()["voucher_no"], "BF-2026-000001");
    let id = w.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{id}/countersign"),
            Some(&r.keeper2),
            None
        )
        .status,
        403,
        "a keeper does not approve scrapping"
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{id}/countersign"),
            Some(&r.head),
            None
        )
        .status,
        200
    );
    assert_eq!(on_hand(&app, &r.keeper, r.warehouse, old), 0);
}

#[test]
fn a_mistake_is_reversed_by_a_new_movement_never_edited() {
    let app = spawn_app();
    let r = reserve(&app);
    let id = receive(&app, &r, r.jacket_batch, "40");
    let rev = app.post(
        &format!("/api/v1/movements/{id}/reverse"),
        &r.keeper,
        json!({"reason": "数量录错"}),
    );
    assert_eq!(rev.status, 201, "{}", rev.text);
    let rev = rev.json();
    assert_eq!(rev["kind"], "reversal");
    assert_eq!(rev["reverses_id"].as_i64(), Some(id));
    assert_eq!(rev["lines"][0]["qty"], "-40");
    let rid = rev["id"].as_i64().unwrap();
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{rid}/countersign"),
            Some(&r.keeper2),
            None
        )
        .status,
        200
    );
    assert_eq!(on_hand(&app, &r.keeper, r.warehouse, r.jacket_batch), 0);
    let original = app
        .get(&format!("/api/v1/movements/{id}"), &r.keeper)
        .json();
    assert_eq!(
        original["lines"][0]["qty"], "40",
        "the original stays as it was"
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/movements/{id}/reverse"),
            &r.keeper,
            json!({"reason": "again"})
        )
        .status,
        409
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/movements/{id}/reverse"),
            &r.keeper,
            json!({"reason": ""})
        )
        .status,
        422
    );
    assert!(verify(&app, &r.admin)["chain_breaks"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn a_transfer_moves_stock_between_units_with_each_units_own_voucher() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "300");
    let t = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "transfer_out",
        json!([{"batch_id": r.sandbag_batch, "qty": "120"}]),
        json!({"counterpart_warehouse_id": r.other_warehouse}),
    );
    assert_eq!(t.status, 201, "{}", t.text);
    let id = t.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{id}/countersign"),
            Some(&r.keeper2),
            None
        )
        .status,
        200
    );
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        180_000
    );
    assert_eq!(
        on_hand(&app, &r.other_keeper, r.other_warehouse, r.sandbag_batch),
        120_000
    );
    let incoming = app
        .get(
            &format!("/api/v1/movements?warehouse_id={}", r.other_warehouse),
            &r.other_keeper,
        )
        .json();
    assert_eq!(incoming["items"][0]["kind"], "transfer_in");
    assert_eq!(incoming["items"][0]["voucher_no"], "RK-2026-000001");
    let no_dest = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "transfer_out",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(no_dest.status, 422);
    let report = verify(&app, &r.admin);
    assert_eq!(report["movements"], 3);
    assert!(
        report["differences"].as_array().unwrap().is_empty()
            && report["chain_breaks"].as_array().unwrap().is_empty(),
        "{report}"
    );
}

#[test]
fn a_keeper_of_another_unit_cannot_see_or_move_this_stock() {
    let app = spawn_app();
    let r = reserve(&app);
    let id = receive(&app, &r, r.sandbag_batch, "10");
    assert_eq!(
        app.get(
            &format!("/api/v1/warehouses/{}/stock", r.warehouse),
            &r.other_keeper
        )
        .status,
        403
    );
    assert_eq!(
        movement(
            &app,
            &r.other_keeper,
            r.warehouse,
            "use",
            json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
            json!({})
        )
        .status,
        403
    );
    assert_eq!(
        app.get(&format!("/api/v1/movements/{id}"), &r.other_keeper)
            .status,
        404
    );
    let seen: Vec<i64> = app
        .get("/api/v1/warehouses", &r.other_keeper)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["warehouse_id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, vec![r.other_warehouse]);
    let (_, office) = app.create_account(&r.admin, "office1", None, &[("office_staff", None)]);
    assert_eq!(
        app.get(
            &format!("/api/v1/warehouses/{}/stock", r.warehouse),
            &office
        )
        .status,
        200,
        "the office sees every reserve"
    );
    assert_eq!(
        movement(
            &app,
            &office,
            r.warehouse,
            "use",
            json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
            json!({})
        )
        .status,
        403,
        "but the holding unit moves it"
    );
    let _ = r.unit;
}

#[test]
fn fefo_suggests_the_batch_that_expires_first() {
    let app = spawn_app();
    let r = reserve(&app);
    let soon = app.post(&format!("/api/v1/items/{}/batches", r.jackets), &r.keeper, json!({"batch_no": "LJ2022-07", "ownership": "government", "expiry_date": "2027-01-31"})).json()["id"].as_i64().unwrap();
    receive(&app, &r, r.jacket_batch, "50");
    receive(&app, &r, soon, "20");
    let s = app
        .get(
            &format!(
                "/api/v1/warehouses/{}/fefo?item_id={}&qty=30",
                r.warehouse, r.jackets
            ),
            &r.keeper,
        )
        .json();
    assert_eq!(
        s,
        json!([{"batch_id": soon, "qty": "20"}, {"batch_id": r.jacket_batch, "qty": "10"}])
    );
}

#[test]
fn a_stocktake_runs_from_blind_count_to_approved_adjustment() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "500");
    receive(&app, &r, r.jacket_batch, "40");
    let st = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
        &r.keeper,
        json!({"blind": true}),
    );
    assert_eq!(st.status, 201, "{}", st.text);
    let st = st.json();
    let id = st["id"].as_i64().unwrap();
    assert_eq!(st["lines"].as_array().unwrap().len(), 2);
    assert!(
        st["lines"][0]["book"].is_null(),
        "a blind count hides the book from the counter"
    );
    assert!(
        app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json()["lines"][0]["book"]
            .is_string(),
        "the approver sees it"
    );

    let blocked = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(
        blocked.status, 409,
        "stock does not move during a count: {}",
        blocked.text
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
            &r.keeper,
            json!({})
        )
        .status,
        409,
        "one count at a time"
    );

    let lines = app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json()["lines"].clone();
    let line = |batch: i64| {
        lines
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["batch_id"] == batch)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (sand, jacket) = (line(r.sandbag_batch), line(r.jacket_batch));
    // Two counters split the sandbags; the jackets are short by two.
    for (token, qty) in [(&r.keeper, "300"), (&r.keeper2, "199")] {
        assert_eq!(
            app.post(
                &format!("/api/v1/stocktake-lines/{sand}/counts"),
                token,
                json!({"qty": qty})
            )
            .status,
            204
        );
    }
    assert_eq!(
        app.post(
            &format!("/api/v1/stocktake-lines/{jacket}/counts"),
            &r.keeper,
            json!({"qty": "37"})
        )
        .status,
        204
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktake-lines/{jacket}/recount"),
            Some(&r.keeper2),
            None
        )
        .status,
        204
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/stocktake-lines/{jacket}/counts"),
            &r.keeper2,
            json!({"qty": "38"})
        )
        .status,
        204
    );

    let early = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{id}/approve"),
        Some(&r.head),
        None,
    );
    assert_eq!(
        early.status, 409,
        "differences need reasons: {}",
        early.text
    );
    for l in [sand, jacket] {
        assert_eq!(
            app.api(
                "PUT",
                &format!("/api/v1/stocktake-lines/{l}/reason"),
                Some(&r.keeper),
                Some(json!({"reason": "lost", "note": "汛期借出未登记"}))
            )
            .status,
            204
        );
    }
    let view = app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json();
    let sand_view = view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == sand)
        .unwrap()
        .clone();
    assert_eq!(
        (
            sand_view["counted"].as_str(),
            sand_view["variance"].as_str(),
            sand_view["counts"].as_i64()
        ),
        (Some("499"), Some("-1"), Some(2))
    );

    let (_, head2) = app.create_account(
        &r.admin,
        "keeperhead",
        None,
        &[
            ("unit_head", Some(r.unit)),
            ("warehouse_keeper", Some(r.unit)),
        ],
    );
    let own = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.other_warehouse),
        &r.other_keeper,
        json!({}),
    );
    assert_eq!(own.status, 201);
    let approved = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{id}/approve"),
        Some(&head2),
        None,
    );
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert_eq!(approved.json()["state"], "approved");
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        499_000
    );
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.jacket_batch),
        38_000
    );
    let adj = app
        .get(
            &format!(
                "/api/v1/movements?warehouse_id={}&kind=count_loss",
                r.warehouse
            ),
            &r.keeper,
        )
        .json();
    assert_eq!(adj["items"][0]["voucher_no"], "PD-2026-000001");
    assert_eq!(
        app.post(
            &format!("/api/v1/stocktake-lines/{sand}/counts"),
            &r.keeper,
            json!({"qty": "1"})
        )
        .status,
        409,
        "a finished stocktake is immutable"
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktakes/{id}/approve"),
            Some(&r.head),
            None
        )
        .status,
        409,
        "approved only once"
    );
    assert_eq!(
        movement(
            &app,
            &r.keeper,
            r.warehouse,
            "use",
            json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
            json!({})
        )
        .status,
        201,
        "stock moves again"
    );
    let _ = r.sandbags;
}

#[test]
fn the_opener_cannot_approve_their_own_count() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "5");
    let id = app
        .post(
            &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
            &r.head,
            json!({}),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let line = app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json()["lines"][0]["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/stocktake-lines/{line}/counts"),
        &r.keeper,
        json!({"qty": "5"}),
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktakes/{id}/approve"),
            Some(&r.head),
            None
        )
        .status,
        409
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktakes/{id}/cancel"),
            Some(&r.keeper),
            None
        )
        .json()["state"],
        "cancelled"
    );
}

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
fn the_dashboard_shows_norms_expiry_and_waiting_signatures() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "800");
    let soon = app
        .post(
            &format!("/api/v1/items/{}/batches", r.jackets),
            &r.keeper,
            json!({"batch_no": "LJ-SOON", "ownership": "government", "expiry_date": "2027-01-15"}),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    receive(&app, &r, soon, "5");
    movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    let put = |item: i64, q: &str| {
        app.api(
            "PUT",
            &format!("/api/v1/warehouses/{}/norms/{item}", r.warehouse),
            Some(&r.head),
            Some(json!({"required": q})),
        )
        .status
    };
    assert_eq!(put(r.sandbags, "1000"), 204);
    assert_eq!(put(r.jackets, "5"), 204);
    let all = app.get("/api/v1/warehouses", &r.head).json();
    let w = all
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["warehouse_id"] == r.warehouse)
        .unwrap();
    assert_eq!(w["custodians"], json!(["蒋国平", "马春梅"]));
    assert_eq!(w["awaiting_countersignature"], 1);
    assert_eq!(w["expiring_90"], 1);
    assert_eq!(w["expiring_30"], 0);
    assert_eq!(
        w["compliance_percent"], 50,
        "sandbags 800 of 1000, jackets 5 of 5"
    );
    assert_eq!(w["stocktake_overdue"], false);
    assert_eq!(w["value_fen"], 805 * 1250);
    assert_eq!(put(r.jackets, "x"), 422);
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
    ];
    for (why, body, status) in cases {
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

#[test]
fn a_rotation_swaps_an_old_batch_for_a_new_one_in_one_voucher() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.jacket_batch, "20");
    let new_batch = app.post(&format!("/api/v1/items/{}/batches", r.jackets), &r.keeper, json!({"batch_no": "LJ2026-11", "ownership": "government", "production_date": "2026-11-01"})).json()["id"].as_i64().unwrap();
    let m = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "rotation",
        json!([{"batch_id": r.jacket_batch, "qty": "20", "out": true}, {"batch_id": new_batch, "qty": "20", "out": false}]),
        json!({}),
    );
    assert_eq!(m.status, 201, "{}", m.text);
    assert_eq!(m.json()["voucher_no"], "LH-2026-000001");
    let id = m.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{id}/countersign"),
            Some(&r.keeper2),
            None
        )
        .status,
        200
    );
    assert_eq!(on_hand(&app, &r.keeper, r.warehouse, r.jacket_batch), 0);
    assert_eq!(on_hand(&app, &r.keeper, r.warehouse, new_batch), 20_000);
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
fn bins_locate_stock_and_split_the_count_sheet() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "10");
    receive(&app, &r, r.jacket_batch, "10");
    let put = |batch: i64, bin: &str| {
        app.api(
            "PUT",
            &format!("/api/v1/warehouses/{}/stock/{batch}/bin", r.warehouse),
            Some(&r.keeper),
            Some(json!({"bin": bin})),
        )
        .status
    };
    assert_eq!(put(r.sandbag_batch, "A-01"), 204);
    assert_eq!(put(r.jacket_batch, "B-02"), 204);
    assert_eq!(put(9999, "A-01"), 404, "no stock of that batch here");
    assert_eq!(
        app.api(
            "PUT",
            &format!(
                "/api/v1/warehouses/{}/stock/{}/bin",
                r.warehouse, r.sandbag_batch
            ),
            Some(&r.other_keeper),
            Some(json!({"bin": "X"}))
        )
        .status,
        403
    );
    let stock = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", r.warehouse),
            &r.keeper,
        )
        .json();
    assert!(stock.as_array().unwrap().iter().any(|s| s["bin"] == "A-01"));
    let st = app
        .post(
            &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
            &r.keeper,
            json!({}),
        )
        .json();
    let bins: Vec<&str> = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["bin"].as_str().unwrap())
        .collect();
    assert_eq!(bins, vec!["A-01", "B-02"], "the sheet follows the layout");
    let mut b = app.browser();
    b.sign_in("keeper1", crate::helpers::PASSWORD);
    let part = b.get(&format!("/reserves/stocktakes/{}?bin=A-01", st["id"]));
    assert!(
        part.text.contains("防汛沙袋") && !part.text.contains("救生衣 "),
        "only bin A-01"
    );
    let group = b.get(&format!(
        "/reserves/stocktakes/{}/print?category=2",
        st["id"]
    ));
    assert!(
        group.text.contains("救生衣") && !group.text.contains("防汛沙袋"),
        "only item group 2"
    );
}
