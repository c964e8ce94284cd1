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
use crate::inventory::{receive, reserve, Reserve};

/// The reserve with 100 sandbags in the department's warehouse, a head of the street and office staff.
pub fn district(app: &TestApp) -> (Reserve, i64) {
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

pub fn signed_in<'a>(app: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = app.browser();
    let r = b.sign_in(username, PASSWORD);
    assert_eq!(r.status, 303, "{username}: {}", r.text);
    b
}

/// Where a form sent the browser.
pub fn location(r: &Resp) -> String {
    assert_eq!(r.status, 303, "{}", r.text);
    r.header("location").unwrap().to_string()
}

/// The request as the API shows it to the administrator.
pub fn request(app: &TestApp, r: &Reserve, id: &str) -> Value {
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
