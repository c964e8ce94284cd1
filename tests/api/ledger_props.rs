//! Property test: for any sequence of valid and invalid movements, every balance equals the ledger sum,
//! never goes negative, matches a simple model of what was accepted, and the hash chain verifies; a row
//! changed directly in the database is then detected.

use std::collections::HashMap;

use diesel::RunQueryDsl;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::inventory::{movement, reserve};

#[derive(Debug, Clone)]
enum Op {
    Receive {
        batch: usize,
        qty: u32,
    },
    Issue {
        batch: usize,
        qty: u32,
        emergency: bool,
    },
    Transfer {
        batch: usize,
        qty: u32,
    },
    Countersign {
        pick: usize,
    },
    Reject {
        pick: usize,
    },
    Reverse {
        pick: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 1..40u32).prop_map(|(batch, qty)| Op::Receive { batch, qty }),
        (0..3usize, 1..40u32, any::<bool>()).prop_map(|(batch, qty, emergency)| Op::Issue {
            batch,
            qty,
            emergency
        }),
        (0..3usize, 1..30u32).prop_map(|(batch, qty)| Op::Transfer { batch, qty }),
        (0..8usize).prop_map(|pick| Op::Countersign { pick }),
        (0..8usize).prop_map(|pick| Op::Reject { pick }),
        (0..8usize).prop_map(|pick| Op::Reverse { pick }),
    ]
}

/// A movement the model tracks: its id and its effect per (warehouse, batch) in milli-units.
#[derive(Debug, Clone)]
struct Tracked {
    id: i64,
    effect: Vec<((i64, i64), i64)>,
    reversible: bool,
}

fn stock(app: &TestApp, token: &str, warehouse: i64) -> HashMap<(i64, i64), i64> {
    let rows = app
        .get(&format!("/api/v1/warehouses/{warehouse}/stock"), token)
        .json();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                (warehouse, r["batch_id"].as_i64().unwrap()),
                r["qty_milli"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn balances_always_equal_the_ledger_and_the_chain_holds() {
    let app = spawn_app();
    let r = reserve(&app);
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(op(), 1..24), |ops| {
            let counter = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            // A fresh pair of warehouses per case keeps the cases independent.
            let w = app.post("/api/v1/warehouses", &r.admin, json!({"unit_id": r.unit, "name": format!("性质测试库{counter}"), "custodians": [1]}));
            let w2 = app.post("/api/v1/warehouses", &r.admin, json!({"unit_id": r.unit, "name": format!("性质测试库{counter}乙"), "custodians": [1]}));
            prop_assert_eq!(w.status, 201, "{}", w.text);
            let (wa, wb) = (w.json()["id"].as_i64().unwrap(), w2.json()["id"].as_i64().unwrap());
            let batches = [r.sandbag_batch, r.jacket_batch, {
                let b = app.post(&format!("/api/v1/items/{}/batches", r.sandbags), &r.keeper, json!({"batch_no": format!("P{counter}"), "ownership": "donated"}));
                b.json()["id"].as_i64().unwrap()
            }];
            let mut model: HashMap<(i64, i64), i64> = HashMap::new();
            let mut pending: Vec<Tracked> = Vec::new();
            let mut posted: Vec<Tracked> = Vec::new();
            for op in ops {
                let line = |b: usize, q: u32| json!([{"batch_id": batches[b], "qty": q.to_string()}]);
                match op {
                    Op::Receive { batch, qty } => {
                        let resp = movement(&app, &r.keeper, wa, "purchase", line(batch, qty), json!({}));
                        prop_assert_eq!(resp.status, 201, "{}", resp.text);
                        pending.push(Tracked { id: resp.json()["id"].as_i64().unwrap(), effect: vec![((wa, batches[batch]), i64::from(qty) * 1000)], reversible: true });
                    }
                    Op::Issue { batch, qty, emergency } => {
                        let resp = movement(&app, &r.keeper, wa, "use", line(batch, qty), json!({"emergency": emergency}));
                        let have = *model.get(&(wa, batches[batch])).unwrap_or(&0);
                        let need = i64::from(qty) * 1000;
                        if have < need {
                            prop_assert_eq!(resp.status, 409, "an issue beyond the book must be refused: {}", resp.text);
                            continue;
                        }
                        prop_assert_eq!(resp.status, 201, "{}", resp.text);
                        let t = Tracked { id: resp.json()["id"].as_i64().unwrap(), effect: vec![((wa, batches[batch]), -need)], reversible: true };
                        if emergency {
                            *model.entry((wa, batches[batch])).or_default() -= need;
                            posted.push(t);
                        } else {
                            pending.push(t);
                        }
                    }
                    Op::Transfer { batch, qty } => {
                        let resp = movement(&app, &r.keeper, wa, "transfer_out", line(batch, qty), json!({"counterpart_warehouse_id": wb}));
                        let need = i64::from(qty) * 1000;
                        if *model.get(&(wa, batches[batch])).unwrap_or(&0) < need {
                            prop_assert_eq!(resp.status, 409, "{}", resp.text);
                            continue;
                        }
                        prop_assert_eq!(resp.status, 201, "{}", resp.text);
                        pending.push(Tracked { id: resp.json()["id"].as_i64().unwrap(), effect: vec![((wa, batches[batch]), -need)], reversible: false });
                    }
                    Op::Countersign { pick } if !pending.is_empty() => {
                        let t = pending.remove(pick % pending.len());
                        let resp = app.api("POST", &format!("/api/v1/movements/{}/countersign", t.id), Some(&r.keeper2), None);
                        let fits = t.effect.iter().all(|(k, d)| model.get(k).copied().unwrap_or(0) + d >= 0);
                        if fits {
                            prop_assert_eq!(resp.status, 200, "{}", resp.text);
                            for (k, d) in &t.effect {
                                *model.entry(*k).or_default() += d;
                            }
                            posted.push(t);
                        } else {
                            prop_assert_eq!(resp.status, 409, "posting must not oversell: {}", resp.text);
                            pending.push(t);
                        }
                    }
                    Op::Reject { pick } if !pending.is_empty() => {
                        let t = pending.remove(pick % pending.len());
                        let resp = app.api("POST", &format!("/api/v1/movements/{}/reject", t.id), Some(&r.keeper2), Some(serde_json::json!({"reason": "退回"})));
                        prop_assert_eq!(resp.status, 200, "{}", resp.text);
                    }
                    Op::Reverse { pick } if !posted.is_empty() => {
                        let i = pick % posted.len();
                        let original = posted[i].clone();
                        let resp = app.post(&format!("/api/v1/movements/{}/reverse", original.id), &r.keeper, json!({"reason": "性质测试"}));
                        if !original.reversible {
                            prop_assert_eq!(resp.status, 409, "{}", resp.text);
                            continue;
                        }
                        prop_assert_eq!(resp.status, 201, "{}", resp.text);
                        posted[i].reversible = false;
                        let effect = original.effect.iter().map(|(k, d)| (*k, -d)).collect();
                        pending.push(Tracked { id: resp.json()["id"].as_i64().unwrap(), effect, reversible: false });
                    }
                    _ => {}
                }
            }
            let mut actual = stock(&app, &r.keeper, wa);
            actual.extend(stock(&app, &r.keeper, wb));
            model.retain(|_, q| *q != 0);
            prop_assert_eq!(&actual, &model, "balances must equal what the model accepted");
            prop_assert!(actual.values().all(|q| *q > 0));
            let report: Value = app.get("/api/v1/ledger/verify", &r.admin).json();
            let ours = |list: &Value| list.as_array().unwrap().iter().filter(|x| x["warehouse_id"] == wa || x["warehouse_id"] == wb).count();
            prop_assert_eq!(ours(&report["chain_breaks"]), 0, "{}", report);
            prop_assert_eq!(ours(&report["differences"]), 0, "{}", report);

            // Tampering with any posted line of this case is detected.
            if let Some(t) = posted.first() {
                let mut conn = app.state.pool.get().unwrap();
                diesel::sql_query(format!("UPDATE movement_lines SET qty = qty * 2 WHERE movement_id = {}", t.id)).execute(&mut *conn).unwrap();
                let after: Value = app.get("/api/v1/ledger/verify", &r.admin).json();
                prop_assert!(ours(&after["chain_breaks"]) >= 1, "a changed row must break the chain: {}", after);
                diesel::sql_query(format!("UPDATE movement_lines SET qty = qty / 2 WHERE movement_id = {}", t.id)).execute(&mut *conn).unwrap();
            }
            Ok(())
        })
        .unwrap();
}
