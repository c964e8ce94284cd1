//! The allocation pages as people use them, forms without JavaScript: the street's keeper asks on the form,
//! the street's head and the department's head decide on the request's page, the department's keeper
//! reserves and sends, the street's keeper counts it in; the 调拨单 on paper and the lines as spreadsheets;
//! a refused form keeps what was typed; nobody is offered a form they may not use.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Browser, Resp, TestApp, PASSWORD};
use crate::inventory::{movement, receive, reserve, Reserve};

/// The reserve with 100 sandbags in the department's warehouse, a head of the street and office staff.
fn district(app: &TestApp) -> (Reserve, i64) {
    let r = reserve(app);
    receive(app, &r, r.sandbag_batch, "100");
    let street = app
        .get(
            &format!("/api/v1/warehouses/{}", r.other_warehouse),
            &r.admin,
        )
        .json()["unit_id"]
        .as_i64()
        .unwrap();
    app.create_account(&r.admin, "head2", None, &[("unit_head", Some(street))]);
    app.create_account(&r.admin, "office1", None, &[("office_staff", None)]);
    (r, street)
}

fn signed_in<'a>(app: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = app.browser();
    let r = b.sign_in(username, PASSWORD);
    assert_eq!(r.status, 303, "{username}: {}", r.text);
    b
}

/// Where a form sent the browser.
fn location(r: &Resp) -> String {
    assert_eq!(r.status, 303, "{}", r.text);
    r.header("location").unwrap().to_string()
}

/// The request as the API shows it to the administrator.
fn request(app: &TestApp, r: &Reserve, id: &str) -> Value {
    app.get(&format!("/api/v1/allocations/{id}"), &r.admin)
        .json()
}

/// The street's keeper asks the department for 40 sandbags on the form.
fn ask(app: &TestApp, r: &Reserve, street: i64) -> String {
    let mut keeper = signed_in(app, "keeper3");
    let form = keeper.get("/allocations/new");
    assert_eq!(form.status, 200, "{}", form.text);
    assert!(form.text.contains("防汛沙袋") && form.text.contains("滨湖街道储备点"));
    assert!(
        !form.text.contains("/allocations/orders"),
        "a keeper is not offered the emergency order"
    );
    let (street, to, item, from) = (
        street.to_string(),
        r.other_warehouse.to_string(),
        r.sandbags.to_string(),
        r.warehouse.to_string(),
    );
    let sent = keeper.post(
        "/allocations",
        &[
            ("kind", "transfer"),
            ("unit_id", &street),
            ("to_warehouse_id", &to),
            ("priority", "urgent"),
            ("needed_by", "2026-11-29T18:00"),
            ("purpose", "应对强降雨防汛抢险"),
            ("return_due", ""),
            ("item_1", &item),
            ("qty_1", "40"),
            ("from_1", &from),
            ("item_2", ""),
            ("qty_2", ""),
        ],
    );
    let at = location(&sent);
    assert!(at.starts_with("/allocations/"), "{at}");
    at.trim_start_matches("/allocations/").to_string()
}

#[test]
fn a_street_asks_heads_decide_the_department_sends_and_the_street_counts_in() {
    let app = spawn_app();
    let (r, street) = district(&app);
    let id = ask(&app, &r, street);
    let page = format!("/allocations/{id}");
    let line = request(&app, &r, &id)["lines"][0]["id"].as_i64().unwrap();

    let mut keeper3 = signed_in(&app, "keeper3");
    let mine = keeper3.get(&page);
    assert!(mine.text.contains("DB-2026-000001") && mine.text.contains("应对强降雨防汛抢险"));
    assert!(mine.text.contains("紧急") && mine.text.contains("2026-11-29 18:00"));
    for form in ["/decisions\"", "/reserve\"", "/dispatches\""] {
        assert!(
            !mine.text.contains(form),
            "the asking keeper is offered {form}"
        );
    }
    let list = keeper3.get("/allocations?direction=out");
    assert!(list.text.contains("DB-2026-000001") && list.text.contains("防汛沙袋 40 条"));

    // The street's head approves all of it; the department's head approves 30, saying why.
    let mut head2 = signed_in(&app, "head2");
    let seen = head2.get(&page);
    assert!(seen.text.contains("申请单位负责人") && seen.text.contains("/decisions\""));
    assert!(!seen.text.contains("/dispatches\"") && !seen.text.contains("/reserve\""));
    let l = line.to_string();
    let done = head2.post(
        &format!("{page}/decisions"),
        &[
            ("line", &l),
            (&format!("qty_{line}"), "40"),
            (&format!("reason_{line}"), ""),
        ],
    );
    assert_eq!(location(&done), page);
    assert!(
        !head2.get(&page).text.contains("/decisions\""),
        "decided once"
    );

    let mut head1 = signed_in(&app, "head1");
    let seen = head1.get(&page);
    assert!(seen.text.contains("调出单位负责人") && seen.text.contains("value=\"40\""));
    let short = head1.post(
        &format!("{page}/decisions"),
        &[("line", &l), (&format!("qty_{line}"), "30")],
    );
    assert_eq!(short.status, 422, "less needs a reason");
    assert!(short.text.contains("不批准或少批时请写明理由") && short.text.contains("value=\"30\""));
    let done = head1.post(
        &format!("{page}/decisions"),
        &[
            ("line", &l),
            (&format!("qty_{line}"), "30"),
            (&format!("reason_{line}"), "留足本级防汛预备"),
        ],
    );
    assert_eq!(location(&done), page);
    let seen = head1.get(&page);
    assert!(seen.text.contains("已批准") && seen.text.contains("留足本级防汛预备"));
    assert!(
        !seen.text.contains("/dispatches\""),
        "the approver does not send what they approved (two signatures)"
    );

    // The department's keeper reserves and sends; too much comes back as typed.
    let mut keeper1 = signed_in(&app, "keeper1");
    let seen = keeper1.get(&page);
    assert!(
        !seen.text.contains("/decisions\""),
        "a keeper does not decide"
    );
    assert_eq!(
        location(&keeper1.post(&format!("{page}/reserve"), &[])),
        page
    );
    let seen = keeper1.get(&page);
    assert!(seen.text.contains("/dispatches\"") && seen.text.contains("已预留"));
    let w = r.warehouse.to_string();
    let send = |qty: &str| {
        vec![
            ("from_warehouse_id".to_string(), w.clone()),
            ("line".to_string(), l.clone()),
            (format!("qty_{line}"), qty.to_string()),
            ("carrier".to_string(), "苏E·12345 王师傅".to_string()),
        ]
    };
    let too_much = send("999");
    let too_much: Vec<(&str, &str)> = too_much.iter().map(|(k, v)| (&**k, &**v)).collect();
    let refused = keeper1.post(&format!("{page}/dispatches"), &too_much);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("不超过 30") && refused.text.contains("value=\"999\""));
    assert!(
        refused.text.contains("苏E·12345 王师傅"),
        "the carrier is kept"
    );
    let all = send("30");
    let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (&**k, &**v)).collect();
    assert_eq!(
        location(&keeper1.post(&format!("{page}/dispatches"), &all)),
        page
    );

    // The street's keeper counts 28 in: the two short are written off with the reason.
    let v = request(&app, &r, &id);
    let cid = v["consignments"][0]["id"].as_i64().unwrap();
    let batch = v["consignments"][0]["lines"][0]["batch_id"]
        .as_i64()
        .unwrap();
    let seen = keeper3.get(&page);
    assert!(seen
        .text
        .contains(&format!("name=\"count_{batch}\" value=\"30\"")));
    assert!(seen.text.contains("苏E·12345 王师傅"));
    let b = batch.to_string();
    let counted = keeper3.post(
        &format!("{page}/consignments/{cid}/receipt"),
        &[
            ("batch", &b),
            (&format!("count_{batch}"), "28"),
            ("loss_reason", "途中破损 2 条"),
        ],
    );
    assert_eq!(location(&counted), page);
    let v = request(&app, &r, &id);
    let line = &v["lines"][0];
    assert_eq!(
        (
            line["state"].as_str(),
            line["received"].as_str(),
            line["lost"].as_str()
        ),
        (Some("received"), Some("28"), Some("2"))
    );
    let seen = keeper3.get(&page);
    assert!(seen.text.contains("入库凭证") && seen.text.contains("报损凭证"));
    assert!(seen.text.contains("/reserves/movements/"));

    // On paper, and as spreadsheets.
    let paper = keeper3.get(&format!("{page}/print"));
    assert_eq!(paper.status, 200);
    for text in [
        "物资调拨单",
        "DB-2026-000001",
        "发货人",
        "承运人",
        "接收人",
        "苏E·12345 王师傅",
        "留足本级防汛预备",
    ] {
        assert!(paper.text.contains(text), "the paper lacks {text}");
    }
    let (csv, bytes) = keeper3.download("/allocations/export.csv?direction=out");
    assert_eq!(csv.status, 200);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        rows[0].starts_with("单号,类型,调令,申请状态,行状态"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].starts_with("DB-2026-000001,调拨,,办理中,已接收,滨湖街道,滨湖街道储备点,SB-50,防汛沙袋,条,40,30,0,30,28,2,0,建设局防汛物资仓库,紧急,2026-11-29 18:00"),
        "{}",
        rows[1]
    );
    let (xlsx, bytes) = keeper1.download("/allocations/export.xlsx?direction=in");
    assert_eq!(xlsx.status, 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows[0][0], Data::String("单号".into()));
    assert_eq!(rows[1][0], Data::String("DB-2026-000001".into()));
    assert_eq!(rows[1][8], Data::String("防汛沙袋".into()));
    assert_eq!(rows[1][11], Data::Float(30.0), "approved, as a number");
    assert_eq!(rows[1][14], Data::Float(28.0), "received");
}

#[test]
fn a_refused_request_comes_back_as_typed() {
    let app = spawn_app();
    let (r, street) = district(&app);
    let mut keeper = signed_in(&app, "keeper3");
    keeper.get("/allocations/new");
    let (street, to, item) = (
        street.to_string(),
        r.other_warehouse.to_string(),
        r.jackets.to_string(),
    );
    let refused = keeper.post(
        "/allocations",
        &[
            ("kind", "loan"),
            ("unit_id", &street),
            ("to_warehouse_id", &to),
            ("priority", "normal"),
            ("needed_by", "2026-11-30T08:30"),
            ("purpose", "汛期巡堤借用"),
            ("return_due", ""),
            ("item_1", &item),
            ("qty_1", "25"),
            ("from_1", ""),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("借用须填写归还日期"),
        "{}",
        refused.text
    );
    for kept in [
        "value=\"汛期巡堤借用\"",
        "value=\"25\"",
        "value=\"2026-11-30T08:30\"",
        &format!("<option value=\"{item}\" selected>"),
        "<option value=\"loan\" selected>",
    ] {
        assert!(refused.text.contains(kept), "lost {kept}");
    }
    let unknown_time = keeper.post(
        "/allocations",
        &[
            ("kind", "transfer"),
            ("unit_id", &street),
            ("to_warehouse_id", &to),
            ("priority", "normal"),
            ("needed_by", "明天"),
            ("purpose", "防汛"),
            ("item_1", &item),
            ("qty_1", "2"),
        ],
    );
    assert_eq!(unknown_time.status, 422);
    assert!(unknown_time.text.contains("需用时间"), "the field is named");
    assert_eq!(
        app.get("/api/v1/allocations", &r.admin).json(),
        json!([]),
        "nothing was stored"
    );
}

#[test]
fn the_office_orders_at_once_and_the_heads_record_their_decisions_after_the_fact() {
    let app = spawn_app();
    let (r, street) = district(&app);
    let mut keeper = signed_in(&app, "keeper3");
    assert_eq!(keeper.get("/allocations/new?order=1").status, 403);
    assert!(!keeper.get("/allocations").text.contains("?order=1"));

    let mut office = signed_in(&app, "office1");
    assert!(office
        .get("/allocations")
        .text
        .contains("/allocations/new?order=1"));
    let form = office.get("/allocations/new?order=1");
    assert!(form.text.contains("action=\"/allocations/orders\""));
    let (street, to, item, from) = (
        street.to_string(),
        r.other_warehouse.to_string(),
        r.sandbags.to_string(),
        r.warehouse.to_string(),
    );
    let ordered = office.post(
        "/allocations/orders",
        &[
            ("kind", "transfer"),
            ("unit_id", &street),
            ("to_warehouse_id", &to),
            ("priority", "urgent"),
            ("needed_by", "2026-11-28T14:00"),
            ("purpose", "堤防管涌抢险"),
            ("item_1", &item),
            ("qty_1", "60"),
            ("from_1", &from),
        ],
    );
    let page = location(&ordered);
    let seen = office.get(&page);
    assert!(seen.text.contains("DL-2026-000001") && seen.text.contains("调令"));
    assert!(seen.text.contains("已预留"), "held at once");
    assert!(
        seen.text.contains("事后补录"),
        "the decisions are recorded afterwards"
    );

    // The department's keeper sends it at once: no approval is waited for.
    let mut keeper1 = signed_in(&app, "keeper1");
    assert!(keeper1.get(&page).text.contains("/dispatches\""));
    let mut head1 = signed_in(&app, "head1");
    assert!(
        !head1.get(&page).text.contains("/decisions\""),
        "the holder records after the requester's head"
    );
    let mut head2 = signed_in(&app, "head2");
    let line = app.get(&format!("/api/v1{page}"), &r.admin).json()["lines"][0]["id"]
        .as_i64()
        .unwrap();
    let l = line.to_string();
    let done = head2.post(
        &format!("{page}/decisions"),
        &[("line", &l), (&format!("qty_{line}"), "60")],
    );
    assert_eq!(location(&done), page);
    let seen = head1.get(&page);
    assert!(seen.text.contains("/decisions\"") && seen.text.contains("事后补录"));
}

#[test]
fn a_plain_transfer_is_counted_in_on_its_own_page() {
    let app = spawn_app();
    let (r, _) = district(&app);
    let t = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "transfer_out",
        json!([{"batch_id": r.sandbag_batch, "qty": "20"}]),
        json!({"counterpart_warehouse_id": r.other_warehouse}),
    );
    assert_eq!(t.status, 201, "{}", t.text);
    let out = t.json()["id"].as_i64().unwrap();
    app.api(
        "POST",
        &format!("/api/v1/movements/{out}/countersign"),
        Some(&r.keeper2),
        None,
    );
    let cid = app.get("/api/v1/consignments", &r.other_keeper).json()[0]["id"]
        .as_i64()
        .unwrap();

    let mut sender = signed_in(&app, "keeper1");
    let road = sender.get("/reserves/consignments");
    assert!(road.text.contains("防汛沙袋 SB2026-01 20 条"));
    assert!(
        !road
            .text
            .contains(&format!("/reserves/consignments/{cid}\">清点接收")),
        "the sender does not count it in"
    );
    let mut keeper = signed_in(&app, "keeper3");
    assert!(keeper
        .get("/reserves")
        .text
        .contains("/reserves/consignments"));
    let road = keeper.get("/allocations/transit");
    assert!(road.text.contains(&format!("/reserves/consignments/{cid}")));
    let here = format!("/reserves/consignments/{cid}");
    let form = keeper.get(&here);
    let field = format!("count_{}", r.sandbag_batch);
    assert!(form
        .text
        .contains(&format!("name=\"{field}\" value=\"20\"")));
    let short = keeper.post(&format!("{here}/receipt"), &[(&field, "18")]);
    assert_eq!(short.status, 422, "{}", short.text);
    assert!(short.text.contains("短少原因") && short.text.contains("value=\"18\""));
    let done = keeper.post(
        &format!("{here}/receipt"),
        &[(&field, "18"), ("loss_reason", "两袋破损")],
    );
    assert_eq!(location(&done), here);
    let seen = keeper.get(&here);
    assert!(seen.text.contains("已接收") && seen.text.contains("入库凭证"));
    assert!(!seen.text.contains("/receipt\""), "counted once");
}

#[test]
fn coordinates_put_the_nearest_source_first_with_its_keepers_phone() {
    let app = spawn_app();
    let (r, _) = district(&app);
    let admin = &r.admin;
    let unit = r.unit;
    let far = app.post(
        "/api/v1/warehouses",
        admin,
        json!({"unit_id": unit, "name": "建设局东山仓库", "custodians": [r.custodian], "coordinates": "31.10, 120.30"}),
    );
    assert_eq!(far.status, 201, "{}", far.text);
    assert_eq!(far.json()["latitude"], json!(31.1));
    let bad = app.put(
        &format!("/api/v1/warehouses/{}/coordinates", r.warehouse),
        admin,
        json!({"coordinates": "北纬31度"}),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    for (w, at) in [
        (r.warehouse, "31.30, 120.60"),
        (r.other_warehouse, "31.32, 120.62"),
    ] {
        let set = app.put(
            &format!("/api/v1/warehouses/{w}/coordinates"),
            admin,
            json!({"coordinates": at}),
        );
        assert_eq!(set.status, 200, "{}", set.text);
    }
    let phone = app.patch(
        &format!("/api/v1/people/{}", r.custodian),
        admin,
        json!({"phone": "13800001111"}),
    );
    assert_eq!(phone.status, 200, "{}", phone.text);

    let mut head = signed_in(&app, "head1");
    let w = head.get(&format!("/reserves/warehouses/{}", r.warehouse));
    assert!(w.text.contains("31.3, 120.6") && w.text.contains("/coordinates\""));
    let set = head.post(
        &format!("/reserves/warehouses/{}/coordinates", r.warehouse),
        &[("coordinates", "31.31，120.61")],
    );
    assert_eq!(set.status, 303);
    let mut keeper = signed_in(&app, "keeper1");
    let w = keeper.get(&format!("/reserves/warehouses/{}", r.warehouse));
    assert!(w.text.contains("31.31, 120.61"));
    assert!(
        !w.text.contains("/coordinates\""),
        "a keeper does not edit the warehouse"
    );

    let mut street = signed_in(&app, "keeper3");
    let found = street.get(&format!(
        "/allocations/sources?item_id={}&to_warehouse_id={}",
        r.sandbags, r.other_warehouse
    ));
    assert_eq!(found.status, 200, "{}", found.text);
    assert!(found.text.contains("km") && found.text.contains("tel:13800001111"));
    assert!(found.text.contains("全区可用 100 条"));
    let anywhere = street.get(&format!(
        "/allocations/sources?item_id={}&to_warehouse_id=",
        r.sandbags
    ));
    assert_eq!(anywhere.status, 200, "a destination left at “—” is none");
    assert!(found.text.contains(&format!(
        "/allocations/new?item_id={}&amp;from_warehouse_id={}",
        r.sandbags, r.warehouse
    )));
}

#[test]
fn a_loan_is_extended_by_the_lender_and_given_back_by_the_borrower() {
    let app = spawn_app();
    let (r, street) = district(&app);
    receive(&app, &r, r.jacket_batch, "10");
    let asked = app.post(
        "/api/v1/allocations",
        &r.other_keeper,
        json!({"kind": "loan", "unit_id": street, "to_warehouse_id": r.other_warehouse, "priority": "normal",
               "needed_by": "2026-11-28T08:00:00Z", "purpose": "巡堤借用救生衣", "return_due": "2026-11-30",
               "lines": [{"item_id": r.jackets, "qty": "2", "from_warehouse_id": r.warehouse}]}),
    );
    assert_eq!(asked.status, 201, "{}", asked.text);
    let id = asked.json()["id"].as_i64().unwrap();
    let line = asked.json()["lines"][0]["id"].as_i64().unwrap();
    let (head2, _) = (app.token("head2", PASSWORD), ());
    let decide = |token: &str| {
        let d = app.post(
            &format!("/api/v1/allocations/{id}/decisions"),
            token,
            json!({"lines": [{"line_id": line, "qty": "2"}]}),
        );
        assert_eq!(d.status, 200, "{}", d.text);
    };
    decide(&head2);
    decide(&r.head);
    let held = app.post(
        &format!("/api/v1/allocations/{id}/reserve"),
        &r.keeper,
        json!({}),
    );
    assert_eq!(held.status, 200, "{}", held.text);
    let sent = app.post(
        &format!("/api/v1/allocations/{id}/dispatches"),
        &r.keeper,
        json!({"from_warehouse_id": r.warehouse, "lines": [{"line_id": line, "qty": "2"}]}),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    let cid = sent.json()["consignments"][0]["id"].as_i64().unwrap();
    let got = app.post(
        &format!("/api/v1/allocations/{id}/consignments/{cid}/receipt"),
        &r.other_keeper,
        json!({}),
    );
    assert_eq!(got.status, 200, "{}", got.text);
    let receipt = request(&app, &r, &id.to_string())["consignments"][0]["receipt_movement_id"]
        .as_i64()
        .unwrap();
    let signed = app.api(
        "POST",
        &format!("/api/v1/movements/{receipt}/countersign"),
        Some(&r.admin),
        None,
    );
    assert_eq!(signed.status, 200, "{}", signed.text);

    app.clock.advance(chrono::Duration::days(3));
    let page = format!("/allocations/{id}");
    let mut borrower = signed_in(&app, "keeper3");
    let loans = borrower.get("/allocations/loans");
    assert!(loans.text.contains("JY-2026-000001") && loans.text.contains("逾期 1 天"));
    assert!(loans.text.contains("救生衣 2 件"));
    let seen = borrower.get(&page);
    assert!(seen.text.contains("/returns\"") && !seen.text.contains("/extension\""));

    let mut lender = signed_in(&app, "keeper1");
    let seen = lender.get(&page);
    assert!(seen.text.contains("/extension\"") && !seen.text.contains("/returns\""));
    let early = lender.post(
        &format!("{page}/extension"),
        &[("return_due", "2026-11-29")],
    );
    assert_eq!(early.status, 422, "{}", early.text);
    assert!(early.text.contains("value=\"2026-11-29\""), "kept as typed");
    let later = lender.post(
        &format!("{page}/extension"),
        &[("return_due", "2026-12-05")],
    );
    assert_eq!(location(&later), page);
    let loans = lender.get("/allocations/loans");
    assert!(loans.text.contains("2026-12-05") && !loans.text.contains("逾期 1 天"));

    let l = line.to_string();
    let back = |loss: &str| {
        vec![
            ("line".to_string(), l.clone()),
            (format!("good_{line}"), "1".to_string()),
            (format!("damaged_{line}"), String::new()),
            (format!("lost_{line}"), "1".to_string()),
            ("note".to_string(), "一件完好归还".to_string()),
            ("loss_reason".to_string(), loss.to_string()),
        ]
    };
    let no_reason = back("");
    let no_reason: Vec<(&str, &str)> = no_reason.iter().map(|(k, v)| (&**k, &**v)).collect();
    let refused = borrower.post(&format!("{page}/returns"), &no_reason);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("丢失经过") && refused.text.contains("value=\"一件完好归还\""));
    let with_reason = back("巡堤时落水遗失");
    let with_reason: Vec<(&str, &str)> = with_reason.iter().map(|(k, v)| (&**k, &**v)).collect();
    assert_eq!(
        location(&borrower.post(&format!("{page}/returns"), &with_reason)),
        page
    );
    let seen = borrower.get(&page);
    assert!(seen.text.contains("归还记录") && seen.text.contains("一件完好归还"));

    // The lender counts the jacket that came back.
    let v = request(&app, &r, &id.to_string());
    let back_cid = v["consignments"][1]["id"].as_i64().unwrap();
    let seen = lender.get(&page);
    assert!(seen
        .text
        .contains(&format!("/consignments/{back_cid}/receipt")));
    let b = r.jacket_batch.to_string();
    let counted = lender.post(
        &format!("{page}/consignments/{back_cid}/receipt"),
        &[("batch", &b), (&format!("count_{b}"), "1")],
    );
    assert_eq!(location(&counted), page);
    let paper = lender.get(&format!("{page}/print"));
    assert!(paper.text.contains("物资借用单") && paper.text.contains("2026-12-05"));
}
