//! Material reserves through the API: movements and signatures, transfers, reversal, stocktakes,
//! verification (and tampering), permissions, and no oversell under concurrency.

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
    /// Diesel, kept in litres: a divisible unit (sandbags and jackets are whole pieces).
    pub diesel_batch: i64,
    /// A custodian of the warehouse (the first keeper's person).
    pub custodian: i64,
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
    let diesel = item("CY-0", "柴油", "升", "3", None);
    let diesel_batch = batch(diesel, "CY2026-01", json!({"ownership": "government"}));
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
        diesel_batch,
        custodian: p1,
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

/// The street's keeper counts in, in full, the newest consignment on the road to them, and the
/// administrator gives the receipt its second signature.
pub fn arrive(app: &TestApp, r: &Reserve) {
    let road = app.get("/api/v1/consignments", &r.other_keeper).json();
    let cid = road[0]["id"].as_i64().expect("a consignment on the road");
    let got = app.post(
        &format!("/api/v1/consignments/{cid}/receipt"),
        &r.other_keeper,
        json!({}),
    );
    assert_eq!(got.status, 200, "{}", got.text);
    let receipt = got.json()["receipt"]["id"].as_i64().unwrap();
    let s = app.api(
        "POST",
        &format!("/api/v1/movements/{receipt}/countersign"),
        Some(&r.admin),
        None,
    );
    assert_eq!(s.status, 200, "{}", s.text);
}

pub fn on_hand(app: &TestApp, token: &str, warehouse: i64, batch: i64) -> i64 {
    let rows = app
        .get(&format!("/api/v1/warehouses/{warehouse}/stock"), token)
        .json();
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["batch_id"] == batch)
        .map(|r| r["qty_milli"].as_i64().unwrap())
        .sum()
}

pub fn verify(app: &TestApp, token: &str) -> Value {
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
        json!([{"batch_id": r.sandbag_batch, "qty": "5"}]),
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
    receive(&app, &r, r.diesel_batch, "100");
    let too_much = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.diesel_batch, "qty": "100.001"}]),
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
            Some(json!({"reason": "库存不足，改日再领"}))
        )
        .json()["rejected_reason"],
        "库存不足，改日再领",
        "the reason is kept on the voucher for whoever recorded it"
    );
    let no_reason = app.api(
        "POST",
        &format!("/api/v1/movements/{a}/reject"),
        Some(&r.keeper2),
        Some(json!({"reason": "  "})),
    );
    assert_eq!(no_reason.status, 422, "a rejection says why");
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
        0,
        "on the road until the street's keeper counts it in"
    );
    let road = app.get("/api/v1/consignments", &r.other_keeper).json();
    let cid = road[0]["id"].as_i64().unwrap();
    assert_eq!(road[0]["lines"][0]["qty"], "120", "{road}");
    let path = format!("/api/v1/consignments/{cid}/receipt");
    let short = json!({"counts": [{"batch_id": r.sandbag_batch, "qty": "118"}]});
    let no_reason = app.post(&path, &r.other_keeper, short.clone());
    assert_eq!(no_reason.status, 422, "{}", no_reason.text);
    assert_eq!(no_reason.json()["error"]["field"], "loss_reason");
    let too_many = app.post(
        &path,
        &r.other_keeper,
        json!({"counts": [{"batch_id": r.sandbag_batch, "qty": "121"}]}),
    );
    assert_eq!(too_many.status, 422, "{}", too_many.text);
    assert_eq!(
        app.post(&path, &r.keeper, short.clone()).status,
        403,
        "the sender does not count it in"
    );
    let mut counted = short;
    counted["loss_reason"] = json!("途中破损 2 条");
    let got = app.post(&path, &r.other_keeper, counted.clone());
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(
        app.post(&path, &r.other_keeper, counted).status,
        409,
        "once only"
    );
    let receipt = got.json()["receipt"]["id"].as_i64().unwrap();
    let loss = got.json()["loss"]["id"].as_i64().unwrap();
    assert_eq!(got.json()["loss"]["kind"], "write_off");
    let sign = |id: i64, token: &str| {
        app.api(
            "POST",
            &format!("/api/v1/movements/{id}/countersign"),
            Some(token),
            None,
        )
    };
    let reject = app.post(
        &format!("/api/v1/movements/{receipt}/reject"),
        &r.admin,
        json!({"reason": "数量不对"}),
    );
    assert_eq!(
        reject.status, 409,
        "a receipt is checked together, not sent back: {}",
        reject.text
    );
    assert_eq!(
        sign(receipt, &r.other_keeper).status,
        409,
        "a second person signs"
    );
    assert_eq!(
        on_hand(&app, &r.other_keeper, r.other_warehouse, r.sandbag_batch),
        0,
        "nothing on the book before the second signature"
    );
    assert_eq!(sign(receipt, &r.admin).status, 200);
    assert_eq!(
        on_hand(&app, &r.other_keeper, r.other_warehouse, r.sandbag_batch),
        118_000
    );
    assert_eq!(
        sign(loss, &r.keeper).status,
        403,
        "a loss is approved by a head"
    );
    assert_eq!(
        sign(loss, &r.head).status,
        200,
        "{}",
        sign(loss, &r.head).text
    );
    assert!(app
        .get("/api/v1/consignments", &r.other_keeper)
        .json()
        .as_array()
        .unwrap()
        .is_empty());
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
    // The receipt of 300, out of the warehouse, onto the road, off the road, into the street, the loss.
    assert_eq!(report["movements"], 6);
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
