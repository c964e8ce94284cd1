//! Pages and API handlers ask the model or a service read rather than deciding again: who may sign a
//! voucher, which vouchers may be reversed, the first-expiry-first-out order on both databases, and the
//! transactional outbox.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, PASSWORD};
use crate::inventory::{movement, receive, reserve};

#[test]
fn a_keeper_is_not_offered_a_signature_only_an_approver_may_give() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "10");
    let w = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "write_off",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(w.status, 201, "{}", w.text);
    let id = w.json()["id"].as_i64().unwrap();
    let sign_form = format!("/reserves/movements/{id}/countersign");
    let mut keeper2 = app.browser();
    keeper2.sign_in("keeper2", PASSWORD);
    let page = keeper2.get(&format!("/reserves/movements/{id}"));
    assert_eq!(page.status, 200);
    assert!(
        !page.text.contains(&sign_form),
        "a keeper does not sign a write-off"
    );
    let refused = app.api(
        "POST",
        &format!("/api/v1/movements/{id}/countersign"),
        Some(&r.keeper2),
        None,
    );
    assert_eq!(
        refused.status, 403,
        "and the service agrees: {}",
        refused.text
    );
    let head_account = app.post(
        "/api/v1/people",
        &r.admin,
        json!({"name": "姚军", "unit_id": r.unit}),
    );
    let head_person = head_account.json()["id"].as_i64().unwrap();
    app.create_account(
        &r.admin,
        "approver1",
        Some(head_person),
        &[("unit_head", Some(r.unit))],
    );
    let mut head = app.browser();
    head.sign_in("approver1", PASSWORD);
    let page = head.get(&format!("/reserves/movements/{id}"));
    assert!(
        page.text.contains(&sign_form),
        "the unit head may approve it"
    );
    assert_eq!(head.post(&sign_form, &[]).status, 303);
    let signed = app
        .get(&format!("/api/v1/movements/{id}"), &r.keeper)
        .json();
    assert_eq!(signed["state"], "posted");
}

/// A count that found one sandbag missing, approved: the loss voucher it posted.
fn stocktake_loss(app: &crate::helpers::TestApp, r: &crate::inventory::Reserve) -> i64 {
    receive(app, r, r.sandbag_batch, "10");
    let st = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
        &r.keeper,
        json!({}),
    );
    assert_eq!(st.status, 201, "{}", st.text);
    let st = st.json();
    let line = st["lines"][0]["id"].as_i64().unwrap();
    let counted = app.post(
        &format!("/api/v1/stocktake-lines/{line}/counts"),
        &r.keeper,
        json!({"qty": "9"}),
    );
    assert_eq!(counted.status, 204, "{}", counted.text);
    app.api(
        "PUT",
        &format!("/api/v1/stocktake-lines/{line}/reason"),
        Some(&r.keeper),
        Some(json!({"reason": "lost"})),
    );
    let approved = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{}/approve", st["id"]),
        Some(&r.head),
        None,
    );
    assert_eq!(approved.status, 200, "{}", approved.text);
    let losses = app.get(
        &format!(
            "/api/v1/movements?warehouse_id={}&kind=count_loss",
            r.warehouse
        ),
        &r.keeper,
    );
    losses.json()["items"][0]["id"].as_i64().unwrap()
}

#[test]
fn a_stocktake_loss_is_offered_for_reversal_once_and_reversing_it_works() {
    let app = spawn_app();
    let r = reserve(&app);
    let loss = stocktake_loss(&app, &r);
    let reverse = format!("/reserves/movements/{loss}/reverse");
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let page = keeper.get(&format!("/reserves/movements/{loss}"));
    assert!(page.text.contains(&reverse), "the loss may be reversed");
    let done = keeper.post(&reverse, &[("reason", "找到了遗漏的一袋")]);
    assert_eq!(done.status, 303);
    let reversal = app.get(
        &format!(
            "/api/v1/movements?warehouse_id={}&kind=reversal",
            r.warehouse
        ),
        &r.keeper,
    );
    let reversal = &reversal.json()["items"][0];
    assert_eq!(reversal["reverses_id"], loss);
    assert_eq!(reversal["state"], "pending");
    let page = keeper.get(&format!("/reserves/movements/{loss}"));
    assert!(
        !page.text.contains(&reverse),
        "a voucher already reversed is not offered again"
    );
    let again = app.post(
        &format!("/api/v1/movements/{loss}/reverse"),
        &r.keeper,
        json!({"reason": "再来一次"}),
    );
    assert_eq!(again.status, 409, "{}", again.text);
}

#[test]
fn undated_batches_come_last_on_every_database_and_every_list() {
    let app = spawn_app();
    let r = reserve(&app);
    let dated = app.post(
        &format!("/api/v1/items/{}/batches", r.sandbags),
        &r.keeper,
        json!({"batch_no": "SB2026-09", "ownership": "government", "expiry_date": "2027-06-30"}),
    );
    assert_eq!(dated.status, 201, "{}", dated.text);
    let dated = dated.json()["id"].as_i64().unwrap();
    // The undated batch is received first and has the lower id.
    receive(&app, &r, r.sandbag_batch, "5");
    receive(&app, &r, dated, "5");
    let stock = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", r.warehouse),
            &r.keeper,
        )
        .json();
    let order: Vec<i64> = stock
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["item_id"] == r.sandbags)
        .map(|s| s["batch_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, [dated, r.sandbag_batch], "the stock list");
    let fefo: Value = app
        .get(
            &format!(
                "/api/v1/warehouses/{}/fefo?item_id={}&qty=6",
                r.warehouse, r.sandbags
            ),
            &r.keeper,
        )
        .json();
    assert_eq!(
        fefo,
        json!([{"batch_id": dated, "qty": "5"}, {"batch_id": r.sandbag_batch, "qty": "1"}]),
        "the suggestion"
    );
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let form = keeper.get(&format!(
        "/reserves/warehouses/{}/movements/new?kind=use",
        r.warehouse
    ));
    let first = form.text.find("SB2026-09").unwrap();
    let second = form.text.find("SB2026-01").unwrap();
    assert!(
        first < second,
        "the issue form offers the dated batch first"
    );
}

#[test]
fn a_notice_enqueued_by_a_use_case_that_then_fails_is_never_stored() {
    use standby::notify::model::{Recipient, REQUESTED, TEST};
    use standby::notify::render::TestMail;
    use standby::notify::service::{enqueue, Outgoing};
    let app = spawn_app();
    let outgoing = |key: &str| Outgoing {
        kind: &TEST,
        key: key.into(),
        unit_id: None,
        path: "/".into(),
        people: Vec::new(),
        to_unit: false,
        addresses: vec![Recipient {
            address: "duty@example.cn".into(),
            name: String::new(),
            person_id: None,
            reason: &REQUESTED,
            lang: standby::i18n::Lang::Zh,
        }],
        content: Box::new(TestMail {
            unit: "区应急管理局".into(),
            by: "admin".into(),
            at: "2026-11-28 10:00".into(),
        }),
    };
    let (cfg, now) = (app.state.config.clone(), app.state.now());
    let mut conn = app.state.pool.get().unwrap();
    let failed = standby::db::write_tx(&mut conn, |c| {
        enqueue(c, &cfg, now, &outgoing("rolled-back"))?;
        Err::<(), _>(standby::error::ServiceError::conflict(
            "后来失败",
            "failed later",
        ))
    });
    assert!(failed.is_err());
    standby::db::write_tx(&mut conn, |c| enqueue(c, &cfg, now, &outgoing("committed"))).unwrap();
    drop(conn);
    let admin = app.admin_token();
    let keys: Vec<String> = app.get("/api/v1/notices?kind=test", &admin).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["dedupe_key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        keys,
        ["committed:zh"],
        "only the committed use case's notice"
    );
}
