//! Reservations (预留) through the real app: stock held for a purpose is not issued otherwise, releasing it
//! frees it, two requests racing for the same stock reserve exactly what is there, a count that finds less
//! shrinks the newest hold, and the pages show and change them.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::inventory::{movement, receive, reserve, verify, Reserve};

fn hold(app: &TestApp, r: &Reserve, body: Value) -> crate::helpers::Resp {
    app.post(
        &format!("/api/v1/warehouses/{}/reservations", r.warehouse),
        &r.keeper,
        body,
    )
}

/// The stock row of a batch in the reserve's warehouse.
pub(crate) fn stock_row(app: &TestApp, r: &Reserve, batch: i64) -> Value {
    let rows = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", r.warehouse),
            &r.keeper,
        )
        .json();
    rows.as_array()
        .unwrap()
        .iter()
        .find(|s| s["batch_id"] == batch)
        .unwrap()
        .clone()
}

fn ledger_holds(app: &TestApp, r: &Reserve) {
    let report = verify(app, &r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty()
            && report["chain_breaks"].as_array().unwrap().is_empty()
            && report["reservation_differences"]
                .as_array()
                .unwrap()
                .is_empty(),
        "{report}"
    );
}

#[test]
fn verification_names_a_reserved_part_changed_behind_the_applications_back() {
    use diesel::RunQueryDsl;
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let h = hold(
        &app,
        &r,
        json!({"batch_id": r.sandbag_batch, "qty": "40", "purpose": "演练"}),
    );
    assert_eq!(h.status, 201, "{}", h.text);
    ledger_holds(&app, &r);
    let mut conn = app.state.pool.get().unwrap();
    diesel::sql_query("UPDATE balances SET reserved = 0")
        .execute(&mut *conn)
        .unwrap();
    let report = verify(&app, &r.admin);
    let d = &report["reservation_differences"][0];
    assert_eq!(
        (
            d["batch_id"].as_i64(),
            d["book"].as_str(),
            d["ledger"].as_str()
        ),
        (Some(r.sandbag_batch), Some("0"), Some("40")),
        "{report}"
    );
}

fn issue(app: &TestApp, r: &Reserve, batch: i64, qty: &str) -> crate::helpers::Resp {
    movement(
        app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": batch, "qty": qty}]),
        json!({"emergency": true, "reason": "抢险"}),
    )
}

#[test]
fn reserved_stock_is_kept_for_its_purpose_until_released() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "200");
    let made = hold(
        &app,
        &r,
        json!({"batch_id": r.sandbag_batch, "qty": "150", "purpose": "滨湖街道防汛调拨", "until": "2026-12-10"}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let res = made.json()[0].clone();
    assert_eq!(
        (res["held"].as_str(), res["state"].as_str()),
        (Some("150"), Some("held"))
    );
    let row = stock_row(&app, &r, r.sandbag_batch);
    assert_eq!(
        (row["qty"].as_str(), row["reserved"].as_str()),
        (Some("200"), Some("150"))
    );

    let refused = issue(&app, &r, r.sandbag_batch, "60");
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(
        refused.text.contains("150 已预留") && refused.text.contains("可出 50"),
        "{}",
        refused.text
    );
    assert_eq!(
        stock_row(&app, &r, r.sandbag_batch)["qty"],
        "200",
        "nothing moved"
    );
    assert_eq!(
        issue(&app, &r, r.sandbag_batch, "50").status,
        201,
        "the free part goes"
    );
    let more = hold(
        &app,
        &r,
        json!({"batch_id": r.sandbag_batch, "qty": "1", "purpose": "演练"}),
    );
    assert_eq!(more.status, 409, "nothing free: {}", more.text);

    let id = res["id"].as_i64().unwrap();
    let part = app.post(
        &format!("/api/v1/reservations/{id}/release"),
        &r.keeper,
        json!({"qty": "40"}),
    );
    assert_eq!(part.status, 200, "{}", part.text);
    assert_eq!(
        (part.json()["held"].as_str(), part.json()["state"].as_str()),
        (Some("110"), Some("held"))
    );
    assert_eq!(issue(&app, &r, r.sandbag_batch, "40").status, 201);
    let all = app.api(
        "POST",
        &format!("/api/v1/reservations/{id}/release"),
        Some(&r.keeper),
        None,
    );
    assert_eq!(all.json()["state"], "released");
    let again = app.api(
        "POST",
        &format!("/api/v1/reservations/{id}/release"),
        Some(&r.keeper),
        None,
    );
    assert_eq!(again.status, 409, "released once");
    assert_eq!(stock_row(&app, &r, r.sandbag_batch)["reserved"], "0");
    assert_eq!(
        issue(&app, &r, r.sandbag_batch, "110").status,
        201,
        "all free again"
    );
    ledger_holds(&app, &r);
    let held = app
        .get(
            &format!("/api/v1/warehouses/{}/reservations", r.warehouse),
            &r.keeper,
        )
        .json();
    assert_eq!(held.as_array().unwrap().len(), 0);
    let all = app
        .get(
            &format!("/api/v1/warehouses/{}/reservations?all=true", r.warehouse),
            &r.keeper,
        )
        .json();
    assert_eq!(all[0]["purpose"], "滨湖街道防汛调拨");
    assert_eq!(all[0]["until"], "2026-12-10");
}

#[test]
fn an_item_is_reserved_from_its_usable_batches_earliest_expiry_first() {
    let app = spawn_app();
    let r = reserve(&app);
    let later = app.post(
        &format!("/api/v1/items/{}/batches", r.jackets),
        &r.keeper,
        json!({"batch_no": "LJ2025-09", "ownership": "government", "production_date": "2025-09-01"}),
    );
    assert_eq!(later.status, 201, "{}", later.text);
    let older = later.json()["id"].as_i64().unwrap();
    receive(&app, &r, r.jacket_batch, "30");
    receive(&app, &r, older, "20");
    let made = hold(
        &app,
        &r,
        json!({"item_id": r.jackets, "qty": "25", "purpose": "汛前演练"}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let got: Vec<(i64, String)> = made
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["batch_id"].as_i64().unwrap(),
                m["held"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(older, "20".into()), (r.jacket_batch, "5".into())],
        "the older batch expires first"
    );
    let short = hold(
        &app,
        &r,
        json!({"item_id": r.jackets, "qty": "26", "purpose": "再来"}),
    );
    assert_eq!(short.status, 409);
    assert!(short.text.contains("可预留 25"), "{}", short.text);
}

#[test]
fn two_requests_racing_for_the_same_stock_reserve_exactly_what_is_there() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "200");
    let results: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let (app, r) = (&app, &r);
                s.spawn(move || {
                    hold(app, r, json!({"batch_id": r.sandbag_batch, "qty": "70", "purpose": format!("调拨 {i}")})).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        results.iter().filter(|s| **s == 201).count(),
        2,
        "{results:?}"
    );
    assert!(
        results.iter().all(|s| *s == 201 || *s == 409),
        "{results:?}"
    );
    assert_eq!(stock_row(&app, &r, r.sandbag_batch)["reserved"], "140");
}

#[test]
fn a_count_short_of_the_reservations_shrinks_the_newest_hold() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let first = hold(
        &app,
        &r,
        json!({"batch_id": r.sandbag_batch, "qty": "50", "purpose": "甲"}),
    );
    let second = hold(
        &app,
        &r,
        json!({"batch_id": r.sandbag_batch, "qty": "40", "purpose": "乙"}),
    );
    assert_eq!((first.status, second.status), (201, 201));
    let st = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
        &r.keeper,
        json!({}),
    );
    assert_eq!(st.status, 201, "{}", st.text);
    let id = st.json()["id"].as_i64().unwrap();
    let lines = app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json()["lines"].clone();
    let line = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["batch_id"] == r.sandbag_batch)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let count = app.post(
        &format!("/api/v1/stocktake-lines/{line}/counts"),
        &r.keeper,
        json!({"qty": "70"}),
    );
    assert_eq!(count.status, 204, "{}", count.text);
    let reason = app.api(
        "PUT",
        &format!("/api/v1/stocktake-lines/{line}/reason"),
        Some(&r.keeper),
        Some(json!({"reason": "lost", "note": "堤上借出未还"})),
    );
    assert_eq!(reason.status, 204, "{}", reason.text);
    let approved = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{id}/approve"),
        Some(&r.head),
        None,
    );
    assert_eq!(approved.status, 200, "{}", approved.text);
    let row = stock_row(&app, &r, r.sandbag_batch);
    assert_eq!(
        (row["qty"].as_str(), row["reserved"].as_str()),
        (Some("70"), Some("70"))
    );
    let held = app
        .get(
            &format!("/api/v1/warehouses/{}/reservations", r.warehouse),
            &r.keeper,
        )
        .json();
    let by_purpose = |p: &str| {
        held.as_array()
            .unwrap()
            .iter()
            .find(|h| h["purpose"] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(by_purpose("甲")["held"], "50", "the oldest keeps its hold");
    assert_eq!(by_purpose("乙")["held"], "20", "the newest shrinks");
    assert!(by_purpose("乙")["note"]
        .as_str()
        .unwrap()
        .contains("盘点短少"));
    ledger_holds(&app, &r);
}

#[test]
fn bad_reservations_are_refused_and_change_nothing() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    for (body, field) in [
        (
            json!({"batch_id": r.sandbag_batch, "qty": "0", "purpose": "x"}),
            "qty",
        ),
        (
            json!({"batch_id": r.sandbag_batch, "qty": "abc", "purpose": "x"}),
            "qty",
        ),
        (
            json!({"batch_id": r.sandbag_batch, "qty": "10", "purpose": "  "}),
            "purpose",
        ),
        (
            json!({"batch_id": r.sandbag_batch, "item_id": r.sandbags, "qty": "10", "purpose": "x"}),
            "batch_id",
        ),
        (json!({"qty": "10", "purpose": "x"}), "batch_id"),
    ] {
        let got = hold(&app, &r, body.clone());
        assert_eq!(got.status, 422, "{body}: {}", got.text);
        assert!(got.text.contains(field), "{body}: {}", got.text);
    }
    let elsewhere = app.post(
        &format!("/api/v1/warehouses/{}/reservations", r.warehouse),
        &r.other_keeper,
        json!({"batch_id": r.sandbag_batch, "qty": "10", "purpose": "不是我的库"}),
    );
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.text);
    let unknown = app.post("/api/v1/reservations/999999/release", &r.keeper, json!({}));
    assert_eq!(unknown.status, 404);
    assert_eq!(stock_row(&app, &r, r.sandbag_batch)["reserved"], "0");
}

#[test]
fn the_keeper_reserves_and_releases_on_the_pages() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "200");
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", crate::helpers::PASSWORD);
    let path = format!("/reserves/warehouses/{}/reservations", r.warehouse);
    let page = keeper.get(&path);
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("预留库存") && page.text.contains("SB2026-01"),
        "{}",
        page.text
    );
    let sb = r.sandbag_batch.to_string();
    let typo = keeper.post(
        &path,
        &[("batch_id", &sb), ("qty", "-5"), ("purpose", "调拨")],
    );
    assert_eq!(typo.status, 303, "back to the page with the refusal");
    assert_eq!(stock_row(&app, &r, r.sandbag_batch)["reserved"], "0");
    let ok = keeper.post(
        &path,
        &[
            ("batch_id", &sb),
            ("qty", "80"),
            ("purpose", "滨湖街道防汛调拨"),
            ("until", ""),
        ],
    );
    assert_eq!(ok.status, 303);
    let page = keeper.get(&path);
    assert!(page.text.contains("滨湖街道防汛调拨") && page.text.contains("释放"));
    let stock = keeper.get(&format!("/reserves/warehouses/{}", r.warehouse));
    assert!(
        stock.text.contains("已预留 80"),
        "the stock page says what is held"
    );
    let id = app
        .get(
            &format!("/api/v1/warehouses/{}/reservations", r.warehouse),
            &r.keeper,
        )
        .json()[0]["id"]
        .as_i64()
        .unwrap();
    let released = keeper.post(&format!("/reserves/reservations/{id}/release"), &[]);
    assert_eq!(released.status, 303);
    assert_eq!(stock_row(&app, &r, r.sandbag_batch)["reserved"], "0");
}
