//! Allocation through the API: a street asks, both heads decide, the department's keeper reserves and sends,
//! the street's keeper counts in; emergency orders, cancelling, loans coming back, permissions, bad input,
//! two requests racing for the same stock, and the book staying true throughout.

use std::sync::Barrier;

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp};
use crate::inventory::{on_hand, receive, reserve, verify, Reserve};

/// The reserve of the inventory tests (建设局 with a warehouse, two keepers and a head; 滨湖街道 with a
/// warehouse and a keeper), with the street's head and an office clerk.
pub(crate) struct Alloc {
    pub(crate) r: Reserve,
    pub(crate) street: i64,
    pub(crate) street_head: String,
    pub(crate) office: String,
}

pub(crate) fn alloc(app: &TestApp) -> Alloc {
    let r = reserve(app);
    let street = app.get("/api/v1/units", &r.admin).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "滨湖街道")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let p = app.create_person(&r.admin, "陆志明", street);
    let (_, street_head) =
        app.create_account(&r.admin, "head2", Some(p), &[("unit_head", Some(street))]);
    let (_, office) = app.create_account(&r.admin, "office1", None, &[("office_staff", None)]);
    receive(app, &r, r.sandbag_batch, "300");
    Alloc {
        r,
        street,
        street_head,
        office,
    }
}

pub(crate) fn needed_by(app: &TestApp) -> String {
    (app.clock_now() + Duration::hours(6)).to_rfc3339()
}

/// The street asks for sandbags from the department's warehouse.
pub(crate) fn ask(app: &TestApp, a: &Alloc, qty: &str, extra: Value) -> Resp {
    let mut body = json!({
        "kind": "transfer", "unit_id": a.street, "to_warehouse_id": a.r.other_warehouse,
        "priority": "urgent", "needed_by": needed_by(app), "purpose": "应对强降雨，加固滨湖圩堤",
        "lines": [{"item_id": a.r.sandbags, "qty": qty, "from_warehouse_id": a.r.warehouse}]
    });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    app.post("/api/v1/allocations", &a.r.other_keeper, body)
}

pub(crate) fn decide(
    app: &TestApp,
    token: &str,
    id: i64,
    line: i64,
    qty: &str,
    reason: &str,
) -> Resp {
    app.post(
        &format!("/api/v1/allocations/{id}/decisions"),
        token,
        json!({"lines": [{"line_id": line, "qty": qty, "reason": reason}]}),
    )
}

/// A request asked and approved in full by both heads; returns (request, line).
pub(crate) fn approved(app: &TestApp, a: &Alloc, qty: &str) -> (i64, i64) {
    let r = ask(app, a, qty, json!({}));
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_i64().unwrap();
    let line = r.json()["lines"][0]["id"].as_i64().unwrap();
    assert_eq!(decide(app, &a.street_head, id, line, qty, "").status, 200);
    let d = decide(app, &a.r.head, id, line, qty, "");
    assert_eq!(d.status, 200, "{}", d.text);
    (id, line)
}

fn act(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    app.post(path, token, body)
}

fn line0(v: &Value) -> &Value {
    &v["lines"][0]
}

fn reserved_here(app: &TestApp, a: &Alloc) -> i64 {
    app.get(
        &format!("/api/v1/warehouses/{}/stock", a.r.warehouse),
        &a.r.keeper,
    )
    .json()
    .as_array()
    .unwrap()
    .iter()
    .map(|r| (r["reserved"].as_str().unwrap().parse::<f64>().unwrap() * 1000.0).round() as i64)
    .sum()
}

fn sign(app: &TestApp, token: &str, movement: &Value) -> Resp {
    app.api(
        "POST",
        &format!(
            "/api/v1/movements/{}/countersign",
            movement.as_i64().unwrap()
        ),
        Some(token),
        None,
    )
}

#[test]
fn a_street_asks_both_heads_decide_the_department_sends_and_the_street_counts_it_in() {
    let app = crate::helpers::spawn_app();
    let a = alloc(&app);
    let r = ask(&app, &a, "200", json!({}));
    assert_eq!(r.status, 201, "{}", r.text);
    let v = r.json();
    let id = v["id"].as_i64().unwrap();
    let line = line0(&v)["id"].as_i64().unwrap();
    assert!(v["no"].as_str().unwrap().starts_with("DB-2026-"), "{v}");
    assert_eq!(line0(&v)["state"], "requested");

    // The department's head cannot decide before the street's; the street's head cannot decide for the
    // department.
    assert_eq!(decide(&app, &a.r.head, id, line, "200", "").status, 403);
    let d = decide(&app, &a.street_head, id, line, "200", "");
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(
        line0(&d.json())["state"],
        "requested",
        "the holder decides next"
    );
    assert_eq!(
        decide(&app, &a.street_head, id, line, "200", "").status,
        403
    );
    let half = decide(&app, &a.r.head, id, line, "149.5", "半条");
    assert_eq!(
        half.status, 422,
        "sandbags are counted whole: {}",
        half.text
    );
    let less = decide(&app, &a.r.head, id, line, "150", "");
    assert_eq!(
        less.status, 422,
        "approving less needs a reason: {}",
        less.text
    );
    let d = decide(&app, &a.r.head, id, line, "150", "留足本局防汛库存");
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(
        (
            line0(&d.json())["state"].clone(),
            line0(&d.json())["approved"].clone()
        ),
        (json!("approved"), json!("150"))
    );

    // The department's keeper holds it: ordinary issues take only what is left.
    let res = act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id}/reserve"),
        json!({}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(line0(&res.json())["state"], "reserved");
    assert_eq!(reserved_here(&app, &a), 150_000);
    let grab = crate::inventory::movement(
        &app,
        &a.r.keeper,
        a.r.warehouse,
        "use",
        json!([{"batch_id": a.r.sandbag_batch, "qty": "160"}]),
        json!({}),
    );
    assert_eq!(
        grab.status, 409,
        "reserved stock is not issued elsewhere: {}",
        grab.text
    );

    // The approver does not send it himself; the keeper sends 100 now.
    let path = format!("/api/v1/allocations/{id}/dispatches");
    let send = |token: &str, qty: &str| {
        act(
            &app,
            token,
            &path,
            json!({"from_warehouse_id": a.r.warehouse, "carrier": "苏E·12345 王师傅", "lines": [{"line_id": line, "qty": qty}]}),
        )
    };
    assert_eq!(send(&a.r.head, "100").status, 409);
    assert_eq!(send(&a.r.keeper, "151").status, 422, "no more than is held");
    assert_eq!(send(&a.r.keeper, "0.5").status, 422, "no half sandbags");
    let s = send(&a.r.keeper, "100");
    assert_eq!(s.status, 200, "{}", s.text);
    let v = s.json();
    assert_eq!(
        (line0(&v)["state"].clone(), line0(&v)["on_the_road"].clone()),
        (json!("dispatched"), json!("100"))
    );
    assert_eq!(v["consignments"][0]["carrier"], "苏E·12345 王师傅", "{v}");
    assert_eq!(
        on_hand(&app, &a.r.keeper, a.r.warehouse, a.r.sandbag_batch),
        200_000
    );
    assert_eq!(
        on_hand(
            &app,
            &a.r.other_keeper,
            a.r.other_warehouse,
            a.r.sandbag_batch
        ),
        0
    );
    let c1 = v["consignments"][0]["id"].as_i64().unwrap();

    // The street counts 98 in: 2 are lost on the road, with a reason.
    let rpath = |c: i64| format!("/api/v1/allocations/{id}/consignments/{c}/receipt");
    let counted = json!({"counts": [{"batch_id": a.r.sandbag_batch, "qty": "98"}], "loss_reason": "装卸破损 2 条"});
    assert_eq!(
        act(&app, &a.r.keeper, &rpath(c1), counted.clone()).status,
        403,
        "not into another unit's warehouse"
    );
    let got = act(&app, &a.r.other_keeper, &rpath(c1), counted);
    assert_eq!(got.status, 200, "{}", got.text);
    let v = got.json();
    assert_eq!(
        (
            line0(&v)["state"].clone(),
            line0(&v)["received"].clone(),
            line0(&v)["lost"].clone()
        ),
        (json!("dispatched"), json!("98"), json!("2"))
    );

    // The other 50 go and arrive in full.
    let s = send(&a.r.keeper2, "50");
    assert_eq!(s.status, 200, "{}", s.text);
    let c2 = s.json()["consignments"][1]["id"].as_i64().unwrap();
    let got = act(&app, &a.r.other_keeper, &rpath(c2), json!({}));
    assert_eq!(got.status, 200, "{}", got.text);
    let v = got.json();
    assert_eq!(line0(&v)["state"], "received");

    // Not closed until the receipts are countersigned and the loss approved.
    let close = format!("/api/v1/allocations/{id}/close");
    assert_eq!(act(&app, &a.r.other_keeper, &close, json!({})).status, 409);
    for c in v["consignments"].as_array().unwrap() {
        assert_eq!(
            sign(&app, &a.r.admin, &c["receipt_movement_id"]).status,
            200
        );
    }
    assert_eq!(
        act(&app, &a.r.other_keeper, &close, json!({})).status,
        409,
        "the loss is not approved yet"
    );
    let loss = &v["consignments"][0]["loss_movement_id"];
    assert_eq!(sign(&app, &a.r.head, loss).status, 200);
    let closed = act(&app, &a.r.other_keeper, &close, json!({}));
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(
        (
            closed.json()["state"].clone(),
            line0(&closed.json())["state"].clone()
        ),
        (json!("closed"), json!("closed"))
    );

    // Both books hold: 150 left, 148 arrived, 2 written off, nothing on the road; every chain verifies.
    assert_eq!(
        on_hand(&app, &a.r.keeper, a.r.warehouse, a.r.sandbag_batch),
        150_000
    );
    assert_eq!(
        on_hand(
            &app,
            &a.r.other_keeper,
            a.r.other_warehouse,
            a.r.sandbag_batch
        ),
        148_000
    );
    assert_eq!(reserved_here(&app, &a), 0);
    let report = verify(&app, &a.r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty()
            && report["chain_breaks"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let listed = app
        .get("/api/v1/allocations?direction=out", &a.r.other_keeper)
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(app
        .get("/api/v1/allocations?direction=out", &a.r.keeper)
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        app.get("/api/v1/allocations?direction=in", &a.r.keeper)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn bad_requests_are_refused_with_the_field_named_and_nothing_is_written() {
    let app = crate::helpers::spawn_app();
    let a = alloc(&app);
    let past = (app.clock_now() - Duration::days(1)).to_rfc3339();
    let cases = [
        (json!({"kind": "loan"}), "return_due"),
        (json!({"return_due": "2026-12-05"}), "return_due"),
        (json!({"kind": "gift"}), "kind"),
        (json!({"priority": "asap"}), "priority"),
        (json!({"needed_by": past}), "needed_by"),
        (json!({"purpose": "  "}), "purpose"),
        (json!({"to_warehouse_id": a.r.warehouse}), "to_warehouse_id"),
        (json!({"lines": []}), "lines"),
        (
            json!({"lines": [{"item_id": a.r.sandbags, "qty": "0"}]}),
            "qty",
        ),
        (
            json!({"lines": [{"item_id": a.r.sandbags, "qty": "1.5"}]}),
            "qty",
        ),
        (
            json!({"lines": [{"item_id": a.r.sandbags, "qty": "5"}, {"item_id": a.r.sandbags, "qty": "6"}]}),
            "lines",
        ),
        (
            json!({"lines": [{"item_id": 999999, "qty": "5"}]}),
            "item_id",
        ),
        (
            json!({"lines": [{"item_id": a.r.sandbags, "qty": "5", "from_warehouse_id": a.r.other_warehouse}]}),
            "from_warehouse_id",
        ),
    ];
    for (extra, field) in cases {
        let r = ask(&app, &a, "10", extra.clone());
        assert_eq!(r.status, 422, "{extra}: {}", r.text);
        assert_eq!(r.json()["error"]["field"], field, "{extra}: {}", r.text);
    }
    let other_unit = app.post("/api/v1/allocations", &a.r.keeper, json!({
        "kind": "transfer", "unit_id": a.street, "to_warehouse_id": a.r.other_warehouse, "priority": "normal",
        "needed_by": needed_by(&app), "purpose": "代街道申请", "lines": [{"item_id": a.r.sandbags, "qty": "5"}]
    }));
    assert_eq!(
        other_unit.status, 403,
        "a department keeper cannot ask on the street's behalf"
    );
    assert!(app
        .get("/api/v1/allocations", &a.r.admin)
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    let ordered = app.post("/api/v1/allocations/orders", &a.street_head, json!({
        "kind": "transfer", "unit_id": a.street, "to_warehouse_id": a.r.other_warehouse, "priority": "urgent",
        "needed_by": needed_by(&app), "purpose": "调令", "lines": [{"item_id": a.r.sandbags, "qty": "5", "from_warehouse_id": a.r.warehouse}]
    }));
    assert_eq!(ordered.status, 403, "only the office orders");
}

#[test]
fn two_requests_racing_for_the_same_stock_reserve_exactly_what_is_free() {
    let app = crate::helpers::spawn_app();
    let a = alloc(&app);
    let first = approved(&app, &a, "200").0;
    let second = approved(&app, &a, "200").0;
    let barrier = Barrier::new(2);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = [first, second]
            .into_iter()
            .map(|id| {
                let (app, a, barrier) = (&app, &a, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    act(
                        app,
                        &a.r.keeper,
                        &format!("/api/v1/allocations/{id}/reserve"),
                        json!({}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let held: i64 = [first, second]
        .iter()
        .map(|id| {
            let v = app
                .get(&format!("/api/v1/allocations/{id}"), &a.r.keeper)
                .json();
            let q = line0(&v)["reserved"]
                .as_str()
                .unwrap()
                .parse::<i64>()
                .unwrap();
            q * 1000
        })
        .sum();
    assert_eq!(held, 300_000, "exactly the 300 on hand: {statuses:?}");
    assert_eq!(reserved_here(&app, &a), 300_000);
}

#[test]
fn cancelling_lets_go_of_what_is_held_and_keeps_what_is_on_the_road() {
    let app = crate::helpers::spawn_app();
    let a = alloc(&app);
    let (id, line) = approved(&app, &a, "100");
    assert_eq!(
        act(
            &app,
            &a.r.keeper,
            &format!("/api/v1/allocations/{id}/reserve"),
            json!({})
        )
        .status,
        200
    );
    let s = act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id}/dispatches"),
        json!({"from_warehouse_id": a.r.warehouse, "lines": [{"line_id": line, "qty": "30"}]}),
    );
    assert_eq!(s.status, 200, "{}", s.text);
    let cancel = format!("/api/v1/allocations/{id}/cancel");
    assert_eq!(
        act(&app, &a.r.other_keeper, &cancel, json!({"reason": ""})).status,
        422
    );
    assert_eq!(
        act(&app, &a.r.keeper, &cancel, json!({"reason": "不要了"})).status,
        403,
        "the holder does not cancel the street's request"
    );
    let c = act(
        &app,
        &a.r.other_keeper,
        &cancel,
        json!({"reason": "雨势减弱，余量不再需要"}),
    );
    assert_eq!(c.status, 200, "{}", c.text);
    let v = c.json();
    assert_eq!(
        v["state"], "open",
        "30 are on the road and still to be counted in"
    );
    assert_eq!(
        (
            line0(&v)["approved"].clone(),
            line0(&v)["reserved"].clone(),
            line0(&v)["state"].clone()
        ),
        (json!("30"), json!("0"), json!("dispatched"))
    );
    assert_eq!(reserved_here(&app, &a), 0, "the 70 held are free again");
    let cid = v["consignments"][0]["id"].as_i64().unwrap();
    let got = act(
        &app,
        &a.r.other_keeper,
        &format!("/api/v1/allocations/{id}/consignments/{cid}/receipt"),
        json!({}),
    );
    assert_eq!(line0(&got.json())["state"], "received");

    // A request not yet sent is cancelled outright.
    let (id2, _) = approved(&app, &a, "10");
    act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id2}/reserve"),
        json!({}),
    );
    let c = act(
        &app,
        &a.office,
        &format!("/api/v1/allocations/{id2}/cancel"),
        json!({"reason": "改由其他街道调剂"}),
    );
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(
        (c.json()["state"].clone(), line0(&c.json())["state"].clone()),
        (json!("cancelled"), json!("cancelled"))
    );
    assert_eq!(
        act(
            &app,
            &a.office,
            &format!("/api/v1/allocations/{id2}/cancel"),
            json!({"reason": "再取消"})
        )
        .status,
        409
    );
    assert_eq!(reserved_here(&app, &a), 0);
}

#[test]
fn an_emergency_order_is_held_at_once_draws_stock_under_count_and_is_decided_after_the_fact() {
    let app = crate::helpers::spawn_app();
    let a = alloc(&app);
    let st = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", a.r.warehouse),
        &a.r.keeper,
        json!({}),
    );
    assert_eq!(st.status, 201, "{}", st.text);
    let sources = app.get(
        &format!(
            "/api/v1/items/{}/sources?to_warehouse_id={}",
            a.r.sandbags, a.r.other_warehouse
        ),
        &a.r.other_keeper,
    );
    assert_eq!(sources.status, 200, "{}", sources.text);
    assert_eq!(
        sources.json()["sources"][0]["counting"],
        true,
        "{}",
        sources.text
    );
    let o = app.post("/api/v1/allocations/orders", &a.office, json!({
        "kind": "transfer", "unit_id": a.street, "to_warehouse_id": a.r.other_warehouse, "priority": "urgent",
        "needed_by": needed_by(&app), "purpose": "滨湖圩堤管涌，区防指调令",
        "lines": [{"item_id": a.r.sandbags, "qty": "120", "from_warehouse_id": a.r.warehouse}]
    }));
    assert_eq!(o.status, 201, "{}", o.text);
    let v = o.json();
    let (id, line) = (v["id"].as_i64().unwrap(), line0(&v)["id"].as_i64().unwrap());
    assert!(v["no"].as_str().unwrap().starts_with("DL-"), "{v}");
    assert_eq!(
        (
            v["emergency"].clone(),
            line0(&v)["state"].clone(),
            line0(&v)["reserved"].clone()
        ),
        (json!(true), json!("reserved"), json!("120"))
    );
    let s = act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id}/dispatches"),
        json!({"from_warehouse_id": a.r.warehouse, "lines": [{"line_id": line, "qty": "120"}]}),
    );
    assert_eq!(
        s.status, 200,
        "an emergency order goes even during a count: {}",
        s.text
    );
    let out = s.json()["consignments"][0]["out_movement_id"]
        .as_i64()
        .unwrap();
    let voucher = app
        .get(&format!("/api/v1/movements/{out}"), &a.r.keeper)
        .json();
    assert_eq!(
        (
            voucher["emergency"].clone(),
            voucher["countersigned_by"].clone()
        ),
        (json!(true), Value::Null),
        "its signature is owed"
    );
    // The heads record their decisions afterwards.
    assert_eq!(
        decide(&app, &a.r.head, id, line, "120", "").status,
        403,
        "the street's head first"
    );
    assert_eq!(
        decide(&app, &a.street_head, id, line, "120", "").status,
        200
    );
    let d = decide(&app, &a.r.head, id, line, "120", "");
    assert_eq!(d.status, 200, "{}", d.text);
    let decisions = d.json()["decisions"].clone();
    assert!(
        decisions
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["after_the_fact"] == true),
        "{decisions}"
    );
    assert_eq!(decide(&app, &a.r.head, id, line, "120", "").status, 409);
}

#[test]
fn a_loan_comes_back_part_good_part_lost_and_overdue_reminders_reach_both_units() {
    let smtp = crate::smtp::SmtpServer::start();
    let app = crate::notify::smtp_app(&smtp);
    let a = alloc(&app);
    for (name, email) in [
        ("蒋国平", "jianggp@jsj.example.cn"),
        ("金晓东", "jinxd@blh.example.cn"),
    ] {
        let id = crate::notify::person_id(&app, &a.r.admin, name);
        assert_eq!(
            app.patch(
                &format!("/api/v1/people/{id}"),
                &a.r.admin,
                json!({"email": email})
            )
            .status,
            200
        );
    }
    let due = (app.clock_now() + Duration::days(2))
        .date_naive()
        .to_string();
    let r = ask(&app, &a, "10", json!({"kind": "loan", "return_due": due}));
    assert_eq!(r.status, 201, "{}", r.text);
    let v = r.json();
    let (id, line) = (v["id"].as_i64().unwrap(), line0(&v)["id"].as_i64().unwrap());
    assert!(v["no"].as_str().unwrap().starts_with("JY-"));
    assert_eq!(decide(&app, &a.street_head, id, line, "10", "").status, 200);
    assert_eq!(decide(&app, &a.r.head, id, line, "10", "").status, 200);
    assert_eq!(
        act(
            &app,
            &a.r.keeper,
            &format!("/api/v1/allocations/{id}/reserve"),
            json!({})
        )
        .status,
        200
    );
    let s = act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id}/dispatches"),
        json!({"from_warehouse_id": a.r.warehouse, "lines": [{"line_id": line, "qty": "10"}]}),
    );
    let cid = s.json()["consignments"][0]["id"].as_i64().unwrap();
    let got = act(
        &app,
        &a.r.other_keeper,
        &format!("/api/v1/allocations/{id}/consignments/{cid}/receipt"),
        json!({}),
    );
    assert_eq!(
        sign(
            &app,
            &a.r.admin,
            &got.json()["consignments"][0]["receipt_movement_id"]
        )
        .status,
        200
    );

    // Three days past the return date: both the borrowing street and the lending department hear of it.
    app.clock.advance(Duration::days(5));
    app.scan();
    let overdue = crate::notify::notices(&app, &a.r.admin, "kind=loan_due");
    let mut to: Vec<String> = overdue.iter().flat_map(crate::notify::addresses).collect();
    to.sort();
    to.dedup();
    assert_eq!(
        to,
        ["jianggp@jsj.example.cn", "jinxd@blh.example.cn"],
        "{overdue:?}"
    );
    app.deliver();
    let mails = smtp.wait_for(2, 5);
    assert!(
        mails.iter().any(|m| m
            .parsed()
            .subject()
            .unwrap_or_default()
            .contains("借用逾期未还")),
        "{:?}",
        mails
            .iter()
            .map(|m| m.parsed().subject().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    );
    let loans = app.get("/api/v1/loans", &a.r.keeper).json();
    assert_eq!(loans[0]["overdue"], true);

    // The borrower cannot extend; the lender can, but not into the past.
    let ext = format!("/api/v1/allocations/{id}/extension");
    assert_eq!(
        act(
            &app,
            &a.r.other_keeper,
            &ext,
            json!({"return_due": "2026-12-20"})
        )
        .status,
        403
    );
    assert_eq!(
        act(&app, &a.r.keeper, &ext, json!({"return_due": "2026-11-29"})).status,
        422
    );
    let e = act(&app, &a.r.keeper, &ext, json!({"return_due": "2026-12-20"}));
    assert_eq!(
        (e.status, e.json()["return_due"].clone()),
        (200, json!("2026-12-20"))
    );

    // 9 come back (one damaged), 1 was lost: the loss waits for the street's approver, the 9 go on the road.
    let back = format!("/api/v1/allocations/{id}/returns");
    let lost_no_reason = act(
        &app,
        &a.r.other_keeper,
        &back,
        json!({"lines": [{"line_id": line, "good": "8", "damaged": "1", "lost": "1"}]}),
    );
    assert_eq!(lost_no_reason.status, 422, "{}", lost_no_reason.text);
    assert_eq!(
        act(
            &app,
            &a.r.other_keeper,
            &back,
            json!({"lines": [{"line_id": line, "good": "11"}]})
        )
        .status,
        422,
        "more than borrowed"
    );
    let b = act(
        &app,
        &a.r.other_keeper,
        &back,
        json!({"lines": [{"line_id": line, "good": "8", "damaged": "1", "lost": "1"}], "note": "一条破口", "loss_reason": "抢险中被冲走"}),
    );
    assert_eq!(b.status, 200, "{}", b.text);
    let v = b.json();
    assert_eq!(line0(&v)["returned"], "10");
    assert_eq!(
        (
            v["returns"][0]["damaged"].clone(),
            v["returns"][0]["lost"].clone()
        ),
        (json!(1000), json!(1000))
    );
    let back_c = v["consignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["to_warehouse_id"] == a.r.warehouse)
        .unwrap()
        .clone();
    let close = format!("/api/v1/allocations/{id}/close");
    assert_eq!(
        act(&app, &a.r.other_keeper, &close, json!({})).status,
        409,
        "the return is still on the road"
    );
    let bid = back_c["id"].as_i64().unwrap();
    let got = act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id}/consignments/{bid}/receipt"),
        json!({}),
    );
    assert_eq!(got.status, 200, "{}", got.text);
    let receipt = got.json()["consignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == bid)
        .unwrap()["receipt_movement_id"]
        .clone();
    assert_eq!(sign(&app, &a.r.keeper2, &receipt).status, 200);
    let loss = v["returns"][0]["loss_movement_id"].clone();
    assert_eq!(
        act(&app, &a.r.other_keeper, &close, json!({})).status,
        409,
        "the loss is not approved"
    );
    assert_eq!(sign(&app, &a.street_head, &loss).status, 200);
    let c = act(&app, &a.r.other_keeper, &close, json!({}));
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(
        on_hand(&app, &a.r.keeper, a.r.warehouse, a.r.sandbag_batch),
        299_000
    );
    let report = verify(&app, &a.r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty()
            && report["chain_breaks"].as_array().unwrap().is_empty(),
        "{report}"
    );
}

#[test]
fn only_an_emergency_order_holds_and_sends_equipment_needing_repair_and_its_voucher_says_so() {
    let app = crate::helpers::spawn_app();
    let a = alloc(&app);
    let pump = app.post("/api/v1/items", &a.r.keeper, json!({"code": "SB-200", "name": "抽水泵", "uom": "台", "category_code": "2", "inspection_interval_days": 30}));
    assert_eq!(pump.status, 201, "{}", pump.text);
    let pump = pump.json()["id"].as_i64().unwrap();
    let batch = |no: &str| {
        let b = app.post(
            &format!("/api/v1/items/{pump}/batches"),
            &a.r.keeper,
            json!({"batch_no": no, "ownership": "government"}),
        );
        assert_eq!(b.status, 201, "{}", b.text);
        let id = b.json()["id"].as_i64().unwrap();
        receive(&app, &a.r, id, "1");
        id
    };
    let (_good, broken) = (batch("PUMP-GOOD"), batch("PUMP-BROKEN"));
    let i = app.post(&format!("/api/v1/batches/{broken}/inspections"), &a.r.keeper, json!({"warehouse_id": a.r.warehouse, "result": "needs_repair", "findings": "柴油机启动困难"}));
    assert_eq!(i.status, 201, "{}", i.text);
    let order = |path: &str, token: &str| {
        app.post(path, token, json!({
            "kind": "transfer", "unit_id": a.street, "to_warehouse_id": a.r.other_warehouse, "priority": "urgent",
            "needed_by": needed_by(&app), "purpose": "低洼小区排涝",
            "lines": [{"item_id": pump, "qty": "2", "from_warehouse_id": a.r.warehouse}]
        }))
    };
    // An ordinary request holds only the pump that works.
    let r = order("/api/v1/allocations", &a.r.other_keeper);
    let (id, line) = (
        r.json()["id"].as_i64().unwrap(),
        line0(&r.json())["id"].as_i64().unwrap(),
    );
    assert_eq!(decide(&app, &a.street_head, id, line, "2", "").status, 200);
    assert_eq!(decide(&app, &a.r.head, id, line, "2", "").status, 200);
    let held = act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id}/reserve"),
        json!({}),
    );
    assert_eq!(line0(&held.json())["reserved"], "1", "{}", held.text);
    assert_eq!(
        act(
            &app,
            &a.r.other_keeper,
            &format!("/api/v1/allocations/{id}/cancel"),
            json!({"reason": "改由调令"})
        )
        .status,
        200
    );
    // The office's order takes both, the broken one last, and the voucher records the override.
    let o = order("/api/v1/allocations/orders", &a.office);
    assert_eq!(o.status, 201, "{}", o.text);
    let (id, line) = (
        o.json()["id"].as_i64().unwrap(),
        line0(&o.json())["id"].as_i64().unwrap(),
    );
    assert_eq!(line0(&o.json())["reserved"], "2", "{}", o.text);
    let s = act(
        &app,
        &a.r.keeper,
        &format!("/api/v1/allocations/{id}/dispatches"),
        json!({"from_warehouse_id": a.r.warehouse, "lines": [{"line_id": line, "qty": "2"}]}),
    );
    assert_eq!(s.status, 200, "{}", s.text);
    let out = s.json()["consignments"][0]["out_movement_id"]
        .as_i64()
        .unwrap();
    let voucher = app
        .get(&format!("/api/v1/movements/{out}"), &a.r.keeper)
        .json();
    assert!(
        voucher["repair_override"]
            .as_str()
            .unwrap_or_default()
            .contains("PUMP-BROKEN"),
        "{voucher}"
    );
}
