//! A keeper's day without traps, through the real pages and API: forms that keep their meaning after a typo,
//! double submissions done once, emergencies that are never refused during a count, counts that stay exact,
//! custody that follows the stock, reasons that are required, whole pieces that stay whole.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Resp, TestApp, PASSWORD};
use crate::inventory::{movement, on_hand, receive, reserve, Reserve};
use crate::notify::{addresses, notices, person_id, setup, smtp_app, KEEPER1};
use crate::smtp::SmtpServer;

fn open_count(app: &TestApp, r: &Reserve, warehouse: i64, blind: bool) -> Value {
    let st = app.post(
        &format!("/api/v1/warehouses/{warehouse}/stocktakes"),
        &r.keeper,
        json!({"blind": blind}),
    );
    assert_eq!(st.status, 201, "{}", st.text);
    st.json()
}

fn line_of(st: &Value, batch: i64) -> i64 {
    st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["batch_id"] == batch)
        .expect("the batch is on the sheet")["id"]
        .as_i64()
        .unwrap()
}

fn sheet_line(app: &TestApp, token: &str, st: i64, batch: i64) -> Value {
    let view = app.get(&format!("/api/v1/stocktakes/{st}"), token).json();
    view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["batch_id"] == batch)
        .unwrap()
        .clone()
}

fn count(app: &TestApp, token: &str, line: i64, qty: &str) -> Resp {
    app.post(
        &format!("/api/v1/stocktake-lines/{line}/counts"),
        token,
        json!({"qty": qty}),
    )
}

#[test]
fn a_typo_on_the_issue_form_keeps_the_kind_the_lines_and_the_flags() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    keeper.get(&format!(
        "/reserves/warehouses/{}/movements/new?kind=use",
        r.warehouse
    ));
    let batch = r.sandbag_batch.to_string();
    for typo in ["2台", "-3", "abc", "1.2345", ""] {
        let resp = keeper.post(
            &format!("/reserves/warehouses/{}/movements", r.warehouse),
            &[
                ("kind", "use"),
                ("reason", "领用：堤防巡查"),
                ("emergency", "true"),
                ("batch_1", &batch),
                ("qty_1", typo),
            ],
        );
        assert_eq!(resp.status, 422, "{typo}: {}", resp.text);
        let t = &resp.text;
        assert!(
            t.contains(r#"<option value="use" selected>"#),
            "{typo}: still an issue"
        );
        assert!(t.contains("领用：堤防巡查"), "{typo}: the reason is kept");
        assert!(
            t.contains(r#"name="emergency" value="true" checked"#),
            "{typo}: the emergency box is kept"
        );
        assert!(
            t.contains(&format!(r#"<option value="{batch}" selected>"#)),
            "{typo}: the batch is kept"
        );
    }
    assert_eq!(
        app.get("/api/v1/movements", &r.keeper).json()["total"],
        1,
        "only the receipt: no voucher from a typo"
    );

    // The item form keeps what was typed and points at the wrong field.
    keeper.get("/reserves/items");
    let bad = keeper.post(
        "/reserves/items",
        &[
            ("code", "FX-YY 01"),
            ("name", "救生圈"),
            ("spec", "成人"),
            ("uom", "个"),
            ("category_code", "2"),
            ("shelf_life_days", ""),
            ("unit_price", "88.5"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains(r#"value="救生圈""#) && bad.text.contains(r#"value="88.5""#));
    assert!(
        bad.text.contains(
            r#"name="code" value="FX-YY 01" required maxlength="32" aria-invalid="true""#
        ),
        "the code is marked: {}",
        bad.text
    );
}

#[test]
fn a_form_submitted_twice_records_one_voucher_and_an_idempotent_call_answers_once() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let form = keeper.get(&format!(
        "/reserves/warehouses/{}/movements/new?kind=use",
        r.warehouse
    ));
    let token = form
        .text
        .split(r#"name="form_token" value=""#)
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("the form carries a one-time token")
        .to_string();
    let batch = r.sandbag_batch.to_string();
    let fields = [
        ("kind", "use"),
        ("reason", "领用"),
        ("batch_1", batch.as_str()),
        ("qty_1", "5"),
        ("form_token", token.as_str()),
    ];
    let first = keeper.post(
        &format!("/reserves/warehouses/{}/movements", r.warehouse),
        &fields,
    );
    let again = keeper.post(
        &format!("/reserves/warehouses/{}/movements", r.warehouse),
        &fields,
    );
    assert_eq!((first.status, again.status), (303, 303));
    assert_eq!(
        first.header("location"),
        again.header("location"),
        "the same voucher"
    );
    assert_eq!(
        app.get("/api/v1/movements", &r.keeper).json()["total"],
        2,
        "the receipt and one issue"
    );
    let shown = keeper.get(again.header("location").unwrap());
    assert!(shown.text.contains("没有重复办理"), "the repeat is said");

    // A refused form does not use up its token: corrected, the same form goes through.
    let retyped = keeper.post(
        &format!("/reserves/warehouses/{}/movements", r.warehouse),
        &[
            ("kind", "use"),
            ("reason", "领用"),
            ("batch_1", batch.as_str()),
            ("qty_1", "5件"),
            ("form_token", "fresh-form-1"),
        ],
    );
    assert_eq!(retyped.status, 422);
    let corrected = keeper.post(
        &format!("/reserves/warehouses/{}/movements", r.warehouse),
        &[
            ("kind", "use"),
            ("reason", "领用"),
            ("batch_1", batch.as_str()),
            ("qty_1", "5"),
            ("form_token", "fresh-form-1"),
        ],
    );
    assert_eq!(corrected.status, 303);
    assert_ne!(corrected.header("location"), first.header("location"));

    let body = json!({"warehouse_id": r.warehouse, "kind": "use", "reason": "抢险", "emergency": true,
                      "lines": [{"batch_id": r.sandbag_batch, "qty": "3"}]});
    let a = app.post_once("/api/v1/movements", &r.keeper, "k-123", body.clone());
    let b = app.post_once("/api/v1/movements", &r.keeper, "k-123", body.clone());
    assert_eq!((a.status, b.status), (201, 201), "{}", b.text);
    assert_eq!(a.json()["id"], b.json()["id"]);
    assert_eq!(b.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.get("/api/v1/movements", &r.keeper).json()["total"], 4);
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        97_000,
        "the emergency issue posted once (the others wait for a signature)"
    );
    let mut other = body;
    other["lines"][0]["qty"] = json!("4");
    let reused = app.post_once("/api/v1/movements", &r.keeper, "k-123", other);
    assert_eq!(
        reused.status, 422,
        "the same key for another request: {}",
        reused.text
    );
}

#[test]
fn an_emergency_moves_stock_during_a_count_and_the_count_stays_exact() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let st = open_count(&app, &r, r.warehouse, false);
    let (st_id, line) = (st["id"].as_i64().unwrap(), line_of(&st, r.sandbag_batch));
    assert_eq!(count(&app, &r.keeper2, line, "100").status, 204);

    // An ordinary issue waits, and says which count it waits for.
    let ordinary = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "30"}]),
        json!({}),
    );
    assert_eq!(ordinary.status, 409);
    assert!(ordinary.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&format!("#{st_id}")));

    // An emergency issue goes out.
    let out = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "30"}]),
        json!({"emergency": true, "reason": "管涌抢险"}),
    );
    assert_eq!(out.status, 201, "{}", out.text);
    let voucher = out.json()["voucher_no"].as_str().unwrap().to_string();
    let l = sheet_line(&app, &r.head, st_id, r.sandbag_batch);
    assert_eq!(l["recount_requested"], true, "counted before it moved: {l}");
    assert!(l["counted"].is_null(), "the earlier count no longer counts");
    assert_eq!(l["moved"][0]["voucher_no"], voucher.as_str());
    assert_eq!(l["moved"][0]["qty"], "-30");
    assert_eq!(l["book_at_opening"], "100");
    assert_eq!(l["book"], "70", "compared with the book now");

    // Recounted: compared with the book of that moment; approval posts nothing for an exact count.
    assert_eq!(count(&app, &r.keeper2, line, "70").status, 204);
    let l = sheet_line(&app, &r.head, st_id, r.sandbag_batch);
    assert_eq!(
        (l["variance"].as_str(), l["recount_requested"].as_bool()),
        (Some("0"), Some(false))
    );
    let approved = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{st_id}/approve"),
        Some(&r.head),
        None,
    );
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        70_000
    );
    let report = crate::inventory::verify(&app, &r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty(),
        "{report}"
    );

    // On the page, the warehouse being counted offers the emergency issue, not the ordinary forms.
    let st2 = open_count(&app, &r, r.warehouse, true);
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let w = keeper.get(&format!("/reserves/warehouses/{}", r.warehouse));
    assert!(w.text.contains("kind=use&amp;emergency=1"));
    assert!(
        !w.text.contains("kind=purchase"),
        "no ordinary receipt during a count"
    );
    let form = keeper.get(&format!(
        "/reserves/warehouses/{}/movements/new?kind=use&emergency=1",
        r.warehouse
    ));
    assert!(
        form.text
            .contains(&format!("/reserves/stocktakes/{}", st2["id"])),
        "links the count"
    );
    assert!(form
        .text
        .contains(r#"name="emergency" value="true" checked"#));
    // Counting blind, the keeper's issue form shows no book quantities, and a refusal does not tell.
    assert!(!form.text.contains(" · 70 条"), "{}", form.text);
    let too_much = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "71"}]),
        json!({"emergency": true, "reason": "抢险"}),
    );
    assert_eq!(too_much.status, 409);
    assert!(!too_much.text.contains("70"), "{}", too_much.text);
}

#[test]
fn goods_on_the_road_are_not_counted_into_a_warehouse_being_counted_which_the_refusal_names() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let other = app.api(
        "GET",
        &format!("/api/v1/warehouses/{}", r.other_warehouse),
        Some(&r.admin),
        None,
    );
    let name = other.json()["name"].as_str().unwrap().to_string();
    let st = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.other_warehouse),
        &r.other_keeper,
        json!({}),
    );
    assert_eq!(st.status, 201, "{}", st.text);
    // Sending does not touch the receiving warehouse: it goes on the road.
    let e = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "transfer_out",
        json!([{"batch_id": r.sandbag_batch, "qty": "10"}]),
        json!({"counterpart_warehouse_id": r.other_warehouse, "emergency": true, "reason": "安置点告急"}),
    );
    assert_eq!(e.status, 201, "{}", e.text);
    let road = app.get("/api/v1/consignments", &r.other_keeper).json();
    let cid = road[0]["id"].as_i64().unwrap();
    let t = app.post(
        &format!("/api/v1/consignments/{cid}/receipt"),
        &r.other_keeper,
        json!({}),
    );
    assert_eq!(t.status, 409, "{}", t.text);
    assert!(t.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&name));
    let cancel = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{}/cancel", st.json()["id"]),
        Some(&r.other_keeper),
        None,
    );
    assert!(cancel.status < 300, "{}", cancel.text);
    crate::inventory::arrive(&app, &r);
    assert_eq!(
        on_hand(&app, &r.other_keeper, r.other_warehouse, r.sandbag_batch),
        10_000
    );
}

#[test]
fn a_counter_who_counts_again_replaces_their_own_count_and_the_sheet_says_who() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let st = open_count(&app, &r, r.warehouse, false);
    let line = line_of(&st, r.sandbag_batch);
    for qty in ["58", "58"] {
        assert_eq!(count(&app, &r.keeper, line, qty).status, 204);
    }
    let l = sheet_line(&app, &r.head, st["id"].as_i64().unwrap(), r.sandbag_batch);
    assert_eq!(l["counted"], "58", "58 twice by one counter is 58, not 116");
    assert_eq!(count(&app, &r.keeper2, line, "42").status, 204);
    let l = sheet_line(&app, &r.head, st["id"].as_i64().unwrap(), r.sandbag_batch);
    assert_eq!(l["counted"], "100", "two counters add up");

    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let sheet = keeper.get(&format!("/reserves/stocktakes/{}", st["id"]));
    assert!(
        sheet.text.contains("蒋国平 58") && sheet.text.contains("马春梅 42"),
        "{}",
        sheet.text
    );
    let done = keeper.post(
        &format!("/reserves/stocktake-lines/{line}/counts"),
        &[("qty", "57")],
    );
    assert_eq!(done.status, 303);
    assert!(
        done.header("location")
            .unwrap()
            .ends_with(&format!("#line-{line}")),
        "back to the line on a long list"
    );
    // Cancelling needs the box ticked.
    let unconfirmed = keeper.post(&format!("/reserves/stocktakes/{}/cancel", st["id"]), &[]);
    assert_eq!(unconfirmed.status, 303);
    let still = app
        .get(&format!("/api/v1/stocktakes/{}", st["id"]), &r.keeper)
        .json();
    assert_eq!(
        still["state"], "counting",
        "nothing happens without the confirmation"
    );
}

#[test]
fn expiry_reminders_follow_the_stock_to_the_warehouse_that_holds_it() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let street_keeper = person_id(&app, &s.r.admin, "金晓东");
    let p = app.patch(
        &format!("/api/v1/people/{street_keeper}"),
        &s.r.admin,
        json!({"email": "jinxd@blh.example.cn"}),
    );
    assert_eq!(p.status, 200, "{}", p.text);
    let b = app.post(
        &format!("/api/v1/items/{}/batches", s.r.jackets),
        &s.r.keeper,
        json!({"batch_no": "LJ-EXP", "ownership": "government", "expiry_date": "2026-12-23", "custodian_id": s.r.custodian}),
    );
    let batch = b.json()["id"].as_i64().unwrap();
    receive(&app, &s.r, batch, "20");
    let t = movement(
        &app,
        &s.r.keeper,
        s.r.warehouse,
        "transfer_out",
        json!([{"batch_id": batch, "qty": "8"}]),
        json!({"counterpart_warehouse_id": s.r.other_warehouse, "emergency": true, "reason": "安置点"}),
    );
    assert_eq!(t.status, 201, "{}", t.text);
    crate::inventory::arrive(&app, &s.r);
    app.scan();
    let expiry = notices(&app, &s.r.admin, "kind=batch_expiry");
    let street: Vec<&Value> = expiry.iter().filter(|n| n["unit_id"] != s.r.unit).collect();
    assert_eq!(street.len(), 1, "{expiry:?}");
    assert_eq!(
        addresses(street[0]),
        ["jinxd@blh.example.cn"],
        "the keeper who holds it"
    );
    assert!(expiry
        .iter()
        .filter(|n| n["unit_id"] == s.r.unit)
        .all(|n| addresses(n).contains(&KEEPER1.to_string())));
    let stock = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", s.r.other_warehouse),
            &s.r.other_keeper,
        )
        .json();
    let row = stock
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["batch_id"] == batch)
        .unwrap();
    assert!(
        row["custodian_id"].is_null(),
        "not the sending warehouse's custodian"
    );
    let named = app.api(
        "PUT",
        &format!(
            "/api/v1/warehouses/{}/stock/{batch}/custodian",
            s.r.other_warehouse
        ),
        Some(&s.r.other_keeper),
        Some(json!({"custodian_id": street_keeper})),
    );
    assert_eq!(named.status, 204, "{}", named.text);
}

#[test]
fn reasons_are_required_and_whole_pieces_stay_whole() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "10");
    let no_reason = app.post(
        "/api/v1/movements",
        &r.keeper,
        json!({"warehouse_id": r.warehouse, "kind": "use", "reason": "", "lines": [{"batch_id": r.sandbag_batch, "qty": "1"}]}),
    );
    assert_eq!(
        (
            no_reason.status,
            no_reason.json()["error"]["field"].as_str()
        ),
        (422, Some("reason"))
    );
    let pump = app.post(
        "/api/v1/items",
        &r.keeper,
        json!({"code": "FD-30", "name": "柴油发电机组", "uom": "台", "category_code": "2"}),
    );
    assert_eq!(pump.json()["divisible"], false, "台 counts whole machines");
    let batch = app
        .post(
            &format!("/api/v1/items/{}/batches", pump.json()["id"]),
            &r.keeper,
            json!({"batch_no": "FD-2026", "ownership": "government"}),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let half = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "purchase",
        json!([{"batch_id": batch, "qty": "0.5"}]),
        json!({}),
    );
    assert_eq!(half.status, 422);
    assert!(
        half.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("整台"),
        "{}",
        half.text
    );
    let huge = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "purchase",
        json!([{"batch_id": r.diesel_batch, "qty": "1000000000000000000000000000000"}]),
        json!({}),
    );
    assert!(
        huge.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("12 位"),
        "{}",
        huge.text
    );

    // Sent back with a reason the recorder reads on the voucher.
    let m = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "2"}]),
        json!({}),
    );
    let id = m.json()["id"].as_i64().unwrap();
    let mut colleague = app.browser();
    colleague.sign_in("keeper2", PASSWORD);
    colleague.get(&format!("/reserves/movements/{id}"));
    let empty = colleague.post(
        &format!("/reserves/movements/{id}/reject"),
        &[("reason", " ")],
    );
    assert_eq!(empty.status, 303);
    assert_eq!(
        app.get(&format!("/api/v1/movements/{id}"), &r.keeper)
            .json()["state"],
        "pending"
    );
    colleague.post(
        &format!("/reserves/movements/{id}/reject"),
        &[("reason", "批次选错，应出 SB2026-02")],
    );
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let v = keeper.get(&format!("/reserves/movements/{id}"));
    assert!(v.text.contains("批次选错，应出 SB2026-02"), "{}", v.text);
}

#[test]
fn the_home_page_lists_todays_tasks_each_a_link() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "50");
    // keeper2 records two issues: one keeper1 should sign, one sent back to its recorder.
    let waiting = movement(
        &app,
        &r.keeper2,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    let back = movement(
        &app,
        &r.keeper2,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "2"}]),
        json!({}),
    );
    let back_id = back.json()["id"].as_i64().unwrap();
    let rejected = app.api(
        "POST",
        &format!("/api/v1/movements/{back_id}/reject"),
        Some(&r.keeper),
        Some(json!({"reason": "数量写错"})),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.text);
    let exp = app.post(
        &format!("/api/v1/items/{}/batches", r.jackets),
        &r.keeper,
        json!({"batch_no": "LJ-EXP", "ownership": "government", "expiry_date": "2026-12-10"}),
    );
    receive(&app, &r, exp.json()["id"].as_i64().unwrap(), "3");

    let mut keeper1 = app.browser();
    keeper1.sign_in("keeper1", PASSWORD);
    let home = keeper1.get("/");
    assert!(home.text.contains("待我复核签字的凭证"), "{}", home.text);
    assert!(home.text.contains("/reserves/queue"));
    assert!(home.text.contains("30 天内到期的批次"));
    assert!(!home.text.contains("即将上线"));
    assert!(
        home.text.contains(r#"title="修改密码">蒋国平</a>"#) || home.text.contains(">蒋国平</a>"),
        "the header names the person, not keeper1"
    );
    let _ = waiting;

    let mut keeper2 = app.browser();
    keeper2.sign_in("keeper2", PASSWORD);
    let home = keeper2.get("/");
    assert!(
        home.text.contains("被退回、待我更正的凭证"),
        "{}",
        home.text
    );
    assert!(
        home.text
            .contains(&format!("/reserves/movements/{back_id}")),
        "the one voucher, linked"
    );
}
