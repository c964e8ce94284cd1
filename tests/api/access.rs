//! The access matrix over reserves and notices: every role against every reading and changing endpoint of a
//! unit's warehouse and of the outbox, including a keeper of another unit. (Organisation endpoints have
//! their own matrix in `permissions.rs`.) Allowed means the request passed authorisation: 2xx, or a 409 or
//! 422 about the data itself; refused means 403 or 404 (a record the caller may not see is not there).

use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp};
use crate::inventory::{movement, receive, reserve, Reserve};

const ROLES: [&str; 8] = [
    "district administrator",
    "office staff (district)",
    "head of the unit",
    "keeper of the unit",
    "keeper of another unit",
    "viewer of the unit",
    "duty officer (district)",
    "no role",
];
const ALL: &[usize] = &[0, 1, 2, 3, 4, 5, 6, 7];
const SEE: &[usize] = &[0, 1, 2, 3, 5, 6];
const MOVE: &[usize] = &[0, 2, 3];
const APPROVE: &[usize] = &[0, 2];
const MANAGE: &[usize] = &[0, 1, 2];
const CATALOGUE: &[usize] = &[0, 1, 3, 4];
const ADMIN: &[usize] = &[0];

fn tokens(app: &TestApp, r: &Reserve) -> Vec<String> {
    let scoped = |name: &str, role: &str, unit: Option<i64>| {
        app.create_account(&r.admin, name, None, &[(role, unit)]).1
    };
    vec![
        r.admin.clone(),
        scoped("office1", "office_staff", None),
        r.head.clone(),
        r.keeper.clone(),
        r.other_keeper.clone(),
        scoped("viewer1", "viewer", Some(r.unit)),
        scoped("duty1", "duty_officer", None),
        app.create_account(&r.admin, "nobody1", None, &[]).1,
    ]
}

/// A voucher waiting for its second signature, recorded by the second keeper.
fn pending(app: &TestApp, r: &Reserve, kind: &str) -> i64 {
    let m = movement(
        app,
        &r.keeper2,
        r.warehouse,
        kind,
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(m.status, 201, "{}", m.text);
    m.json()["id"].as_i64().unwrap()
}

fn allowed(resp: &Resp) -> bool {
    match resp.status {
        200..=299 | 409 | 422 => true,
        403 | 404 => false,
        other => panic!("neither allowed nor refused: {other} {}", resp.text),
    }
}

fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
    app.api(method, path, Some(token), body)
}

#[test]
fn every_role_reaches_exactly_the_reserves_and_notices_of_its_scope() {
    let app = crate::helpers::spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let tokens = tokens(&app, &r);
    let w = r.warehouse;
    let posted = receive(&app, &r, r.sandbag_batch, "1");
    let mut failures = Vec::new();

    for (i, token) in tokens.iter().enumerate() {
        // Each role gets fresh records to act on, so one role's success does not change the next one's case.
        let to_sign = pending(&app, &r, "purchase");
        let to_reject = pending(&app, &r, "purchase");
        let write_off = pending(&app, &r, "write_off");
        let cases: Vec<(&str, &str, String, Option<Value>, &[usize])> = vec![
            (
                "see the stock",
                "GET",
                format!("/api/v1/warehouses/{w}/stock"),
                None,
                SEE,
            ),
            (
                "see a voucher",
                "GET",
                format!("/api/v1/movements/{posted}"),
                None,
                SEE,
            ),
            (
                "see the stocktakes",
                "GET",
                format!("/api/v1/warehouses/{w}/stocktakes"),
                None,
                SEE,
            ),
            (
                "export the stock",
                "GET",
                format!("/api/v1/warehouses/{w}/export"),
                None,
                SEE,
            ),
            (
                "ask FEFO",
                "GET",
                format!("/api/v1/warehouses/{w}/fefo?item_id={}&qty=1", r.sandbags),
                None,
                SEE,
            ),
            (
                "record a receipt",
                "POST",
                "/api/v1/movements".into(),
                Some(
                    json!({"warehouse_id": w, "kind": "purchase", "reason": "采购", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
                ),
                MOVE,
            ),
            (
                "record an emergency issue",
                "POST",
                "/api/v1/movements".into(),
                Some(
                    json!({"warehouse_id": w, "kind": "use", "emergency": true, "reason": "抢险", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
                ),
                MOVE,
            ),
            (
                "countersign",
                "POST",
                format!("/api/v1/movements/{to_sign}/countersign"),
                None,
                MOVE,
            ),
            (
                "send a voucher back",
                "POST",
                format!("/api/v1/movements/{to_reject}/reject"),
                Some(json!({"reason": "批次选错"})),
                MOVE,
            ),
            (
                "approve a write-off",
                "POST",
                format!("/api/v1/movements/{write_off}/countersign"),
                None,
                APPROVE,
            ),
            (
                "reverse a posted voucher",
                "POST",
                format!("/api/v1/movements/{posted}/reverse"),
                Some(json!({"reason": "录错"})),
                MOVE,
            ),
            (
                "set where a batch lies",
                "PUT",
                format!("/api/v1/warehouses/{w}/stock/{}/bin", r.sandbag_batch),
                Some(json!({"bin": "A-01"})),
                MOVE,
            ),
            (
                "set a reserve norm",
                "PUT",
                format!("/api/v1/warehouses/{w}/norms/{}", r.sandbags),
                Some(json!({"required": "50"})),
                MANAGE,
            ),
            (
                "name the custodians",
                "PUT",
                format!("/api/v1/warehouses/{w}/custodians"),
                Some(json!({"custodians": [r.custodian]})),
                MANAGE,
            ),
            (
                "add a catalogue item",
                "POST",
                "/api/v1/items".into(),
                Some(
                    json!({"code": format!("ACC-{i}"), "name": "编织袋", "uom": "条", "category_code": "3"}),
                ),
                CATALOGUE,
            ),
            (
                "read the outbox",
                "GET",
                "/api/v1/notices".into(),
                None,
                ADMIN,
            ),
            (
                "read my notices",
                "GET",
                "/api/v1/me/notices".into(),
                None,
                ALL,
            ),
            (
                "read the unit's notice settings",
                "GET",
                format!("/api/v1/units/{}/notice-settings", r.unit),
                None,
                MANAGE,
            ),
            (
                "change the unit's notice settings",
                "PUT",
                format!("/api/v1/units/{}/notice-settings", r.unit),
                Some(json!({"contact_emails": ["jsj@example.gov.cn"]})),
                MANAGE,
            ),
            (
                "send the unit a test email",
                "POST",
                format!("/api/v1/units/{}/test-email", r.unit),
                Some(json!({"to": "jsj@example.gov.cn"})),
                MANAGE,
            ),
        ];
        for (what, method, path, body, who) in cases {
            let resp = call(&app, token, method, &path, body);
            if allowed(&resp) != who.contains(&i) {
                failures.push(format!(
                    "{}: {what} → {} {}",
                    ROLES[i],
                    resp.status,
                    resp.text.chars().take(120).collect::<String>()
                ));
            }
        }
        // Opening a count freezes the warehouse, so it goes last and an administrator cancels it.
        let open = call(
            &app,
            token,
            "POST",
            &format!("/api/v1/warehouses/{w}/stocktakes"),
            None,
        );
        if allowed(&open) != MOVE.contains(&i) {
            failures.push(format!("{}: open a stocktake → {}", ROLES[i], open.status));
        }
        if open.status == 201 {
            let id = open.json()["id"].as_i64().unwrap();
            let cancel = call(
                &app,
                &r.admin,
                "POST",
                &format!("/api/v1/stocktakes/{id}/cancel"),
                None,
            );
            assert_eq!(cancel.status, 200, "{}", cancel.text);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parallel_countersignatures_against_small_stock_take_exactly_what_is_there() {
    let app = crate::helpers::spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "5");
    // Ten issues of one each wait for a signature: the book holds five.
    let waiting: Vec<i64> = (0..10).map(|_| pending(&app, &r, "use")).collect();
    let barrier = std::sync::Barrier::new(waiting.len());
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = waiting
            .iter()
            .map(|id| {
                let (app, r, barrier) = (&app, &r, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    app.api(
                        "POST",
                        &format!("/api/v1/movements/{id}/countersign"),
                        Some(&r.keeper),
                        None,
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(
        crate::inventory::on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        0
    );
    let report = crate::inventory::verify(&app, &r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty()
            && report["chain_breaks"].as_array().unwrap().is_empty(),
        "{report}"
    );
}
