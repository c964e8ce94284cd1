//! Property test through the HTTP app: any sequence of asking, deciding, reserving, sending, counting in,
//! cancelling, returning and issuing never makes a balance negative, never lets reserved stock be issued
//! elsewhere, keeps the district's total (warehouses and the road) equal to what was received less what was
//! written off or issued, and `ledger verify` passes after each case.

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use crate::allocation::{alloc, decide, needed_by, Alloc};
use crate::helpers::TestApp;
use crate::inventory::movement;

#[derive(Debug, Clone)]
enum Op {
    Ask {
        qty: u32,
        loan: bool,
    },
    /// Whatever the request needs next: the heads' decisions (`amount % 4 == 0` refuses, odd approves half),
    /// holding it, sending up to `amount`, counting in (`short` less than was sent).
    Advance {
        pick: usize,
        amount: u32,
        short: u32,
    },
    Sign,
    Cancel {
        pick: usize,
    },
    Return {
        pick: usize,
        good: u32,
        lost: u32,
    },
    Issue {
        qty: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (1..60u32, any::<bool>()).prop_map(|(qty, loan)| Op::Ask { qty, loan }),
        10 => (0..4usize, 1..40u32, 0..3u32)
            .prop_map(|(pick, amount, short)| Op::Advance { pick, amount, short }),
        2 => Just(Op::Sign),
        1 => (0..4usize).prop_map(|pick| Op::Cancel { pick }),
        2 => (0..4usize, 0..10u32, 0..3u32)
            .prop_map(|(pick, good, lost)| Op::Return { pick, good, lost }),
        2 => (1..80u32).prop_map(|qty| Op::Issue { qty }),
    ]
}

#[derive(diesel::QueryableByName)]
struct Sum {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn sum(app: &TestApp, sql: String) -> i64 {
    let mut conn = app.state.pool.get().unwrap();
    diesel::sql_query(sql)
        .get_result::<Sum>(&mut *conn)
        .unwrap()
        .n
}

/// What the book says of one batch: on hand everywhere (warehouses and the road), written off and issued
/// (posted), the least free anywhere, and reserved against what the reservations hold.
fn book(app: &TestApp, batch: i64) -> (i64, i64, i64, i64) {
    let on_books = sum(
        app,
        format!("SELECT CAST(COALESCE(SUM(qty), 0) AS BIGINT) AS n FROM balances WHERE batch_id = {batch}"),
    );
    let gone = |kind: &str| {
        sum(app, format!(
            "SELECT CAST(COALESCE(-SUM(l.qty), 0) AS BIGINT) AS n FROM movement_lines l JOIN movements m ON m.id = l.movement_id \
             WHERE l.batch_id = {batch} AND m.kind = '{kind}' AND m.state = 'posted'"
        ))
    };
    let least_free = sum(
        app,
        format!(
            "SELECT CAST(COALESCE(MIN(qty - reserved), 0) AS BIGINT) AS n FROM balances WHERE batch_id = {batch}"
        ),
    );
    let reserved = sum(
        app,
        format!("SELECT CAST(COALESCE(SUM(reserved), 0) AS BIGINT) AS n FROM balances WHERE batch_id = {batch}"),
    );
    let held = sum(app, format!("SELECT CAST(COALESCE(SUM(held_qty), 0) AS BIGINT) AS n FROM reservations WHERE batch_id = {batch} AND state = 'held'"));
    (
        on_books,
        gone("write_off") + gone("use"),
        least_free,
        reserved - held,
    )
}

fn pick(ids: &[i64], i: usize) -> Option<i64> {
    (!ids.is_empty()).then(|| ids[i % ids.len()])
}

fn request(app: &TestApp, a: &Alloc, id: i64) -> Value {
    app.get(&format!("/api/v1/allocations/{id}"), &a.r.admin)
        .json()
}

#[test]
fn allocation_never_oversells_never_spends_what_is_held_and_keeps_the_total() {
    let app = crate::helpers::spawn_app();
    let a = alloc(&app);
    let street_custodian = crate::notify::person_id(&app, &a.r.admin, "金晓东");
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let (sent, counted) = (
        std::sync::atomic::AtomicUsize::new(0),
        std::sync::atomic::AtomicUsize::new(0),
    );
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(op(), 8..30), |ops| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            // Each case has its own source, destination and batch, so cases stay independent.
            let src = app.post("/api/v1/warehouses", &a.r.admin, json!({"unit_id": a.r.unit, "name": format!("调出库{n}"), "custodians": [a.r.custodian]})).json()["id"].as_i64().unwrap();
            let dst = app.post("/api/v1/warehouses", &a.r.admin, json!({"unit_id": a.street, "name": format!("调入点{n}"), "custodians": [street_custodian]})).json()["id"].as_i64().unwrap();
            let batch = app.post(&format!("/api/v1/items/{}/batches", a.r.sandbags), &a.r.keeper, json!({"batch_no": format!("P-{n}"), "ownership": "government"})).json()["id"].as_i64().unwrap();
            let got = movement(&app, &a.r.keeper, src, "purchase", json!([{"batch_id": batch, "qty": "100"}]), json!({}));
            let id = got.json()["id"].as_i64().unwrap();
            assert_eq!(app.api("POST", &format!("/api/v1/movements/{id}/countersign"), Some(&a.r.keeper2), None).status, 200);
            let mut requests: Vec<i64> = Vec::new();
            for op in ops {
                match op {
                    Op::Ask { qty, loan } => {
                        let mut body = json!({"kind": "transfer", "unit_id": a.street, "to_warehouse_id": dst, "priority": "normal",
                            "needed_by": needed_by(&app), "purpose": "性质测试",
                            "lines": [{"item_id": a.r.sandbags, "qty": qty.to_string(), "from_warehouse_id": src}]});
                        if loan {
                            body["kind"] = json!("loan");
                            body["return_due"] = json!("2026-12-31");
                        }
                        let r = app.post("/api/v1/allocations", &a.r.other_keeper, body);
                        prop_assert_eq!(r.status, 201, "{}", r.text);
                        requests.push(r.json()["id"].as_i64().unwrap());
                    }
                    Op::Advance { pick: p, amount, short } => {
                        let Some(id) = pick(&requests, p) else { continue };
                        let v = request(&app, &a, id);
                        let line = &v["lines"][0];
                        let line_id = line["id"].as_i64().unwrap();
                        let number = |field: &str| line[field].as_str().unwrap_or("0").parse::<f64>().unwrap();
                        let on_road = v["consignments"].as_array().unwrap().iter().find(|c| c["state"] == "in_transit").cloned();
                        let held = number("reserved") > 0.0;
                        let status = match (line["state"].as_str().unwrap(), on_road) {
                            ("requested", _) => {
                                let qty = match amount % 4 {
                                    0 => 0.0,
                                    1 | 3 => (number("requested") / 2.0).floor(),
                                    _ => number("requested"),
                                };
                                let mut last = 0;
                                for head in [&a.street_head, &a.r.head] {
                                    last = decide(&app, head, id, line_id, &qty.to_string(), "性质测试").status;
                                }
                                last
                            }
                            ("approved", _) => app.post(&format!("/api/v1/allocations/{id}/reserve"), &a.r.keeper, json!({})).status,
                            // Something on the road and (half the time, or nothing left to send) it arrives.
                            (_, Some(c)) if amount % 2 == 0 || !held => {
                                let counts: Vec<Value> = c["lines"].as_array().unwrap().iter().map(|l| {
                                    let sent: i64 = l["qty"].as_str().unwrap().parse().unwrap();
                                    json!({"batch_id": l["batch_id"], "qty": (sent - i64::from(short)).max(0).to_string()})
                                }).collect();
                                let token = if c["to_warehouse_id"] == dst { &a.r.other_keeper } else { &a.r.keeper };
                                let r = app.post(&format!("/api/v1/allocations/{id}/consignments/{}/receipt", c["id"]), token,
                                    json!({"counts": counts, "loss_reason": "途中短少"}));
                                prop_assert_eq!(r.status, 200, "counting in what is on the road: {}", r.text);
                                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                                200
                            }
                            ("reserved" | "dispatched", _) if held => {
                                let qty = f64::from(amount).min(number("reserved"));
                                let r = app.post(&format!("/api/v1/allocations/{id}/dispatches"), &a.r.keeper2,
                                    json!({"from_warehouse_id": src, "lines": [{"line_id": line_id, "qty": qty.to_string()}]}));
                                prop_assert_eq!(r.status, 200, "sending what is held: {}", r.text);
                                sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                                200
                            }
                            _ => continue,
                        };
                        prop_assert!([200, 409].contains(&status), "{}", status);
                    }
                    Op::Sign => {
                        // Every receipt and loss waiting gets its second signature from someone entitled to give it.
                        let waiting = app.get("/api/v1/movements?state=pending&per_page=200", &a.r.admin).json();
                        for m in waiting["items"].as_array().unwrap() {
                            let r = app.api("POST", &format!("/api/v1/movements/{}/countersign", m["id"]), Some(&a.r.admin), None);
                            prop_assert!([200, 409].contains(&r.status), "{}", r.text);
                        }
                    }
                    Op::Cancel { pick: p } => {
                        let Some(id) = pick(&requests, p) else { continue };
                        let r = app.post(&format!("/api/v1/allocations/{id}/cancel"), &a.r.other_keeper, json!({"reason": "性质测试"}));
                        prop_assert!([200, 409].contains(&r.status), "{}", r.text);
                    }
                    Op::Return { pick: p, good, lost } => {
                        let Some(id) = pick(&requests, p) else { continue };
                        let line = request(&app, &a, id)["lines"][0]["id"].as_i64().unwrap();
                        let r = app.post(&format!("/api/v1/allocations/{id}/returns"), &a.r.other_keeper,
                            json!({"lines": [{"line_id": line, "good": good.to_string(), "lost": lost.to_string()}], "loss_reason": "性质测试"}));
                        prop_assert!([200, 409, 422].contains(&r.status), "{}", r.text);
                    }
                    Op::Issue { qty } => {
                        // An emergency issue posts at once: it may take only what is not held for a request.
                        let free = sum(&app, format!("SELECT CAST(COALESCE(SUM(qty - reserved), 0) AS BIGINT) AS n FROM balances WHERE warehouse_id = {src} AND batch_id = {batch}"));
                        let r = movement(&app, &a.r.keeper, src, "use", json!([{"batch_id": batch, "qty": qty.to_string()}]), json!({"emergency": true, "reason": "抢险"}));
                        if i64::from(qty) * 1000 > free {
                            prop_assert_eq!(r.status, 409, "held stock must not be issued: {}", r.text);
                        } else {
                            prop_assert_eq!(r.status, 201, "{}", r.text);
                        }
                    }
                }
                let (on_books, gone, least_free, reserved_minus_held) = book(&app, batch);
                prop_assert!(least_free >= 0, "a balance went below what it holds for others");
                prop_assert_eq!(on_books + gone, 100_000, "the total moved: {} on the books, {} written off or issued", on_books, gone);
                prop_assert_eq!(reserved_minus_held, 0, "balances reserve exactly what the reservations hold");
            }
            let report: Value = app.get("/api/v1/ledger/verify", &a.r.admin).json();
            prop_assert!(report["differences"].as_array().unwrap().is_empty(), "{}", report);
            prop_assert!(report["chain_breaks"].as_array().unwrap().is_empty(), "{}", report);
            Ok(())
        })
        .unwrap();
    let (sent, counted) = (sent.into_inner(), counted.into_inner());
    assert!(
        sent > 0 && counted > 0,
        "the cases must reach the road: {sent} dispatches, {counted} receipts"
    );
}
