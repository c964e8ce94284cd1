//! The reserve pages as keepers use them: forms without JavaScript, two people signing, the count sheet.

use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};
use crate::inventory::{movement, on_hand, receive, reserve};

#[test]
fn a_keeper_receives_on_the_form_and_a_colleague_countersigns_on_the_voucher() {
    let app = spawn_app();
    let r = reserve(&app);
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let form = keeper.get(&format!(
        "/reserves/warehouses/{}/movements/new?kind=purchase",
        r.warehouse
    ));
    assert_eq!(form.status, 200);
    assert!(
        form.text.contains("SB2026-01"),
        "the form offers the batches"
    );
    let batch = r.sandbag_batch.to_string();
    let posted = keeper.post(
        &format!("/reserves/warehouses/{}/movements", r.warehouse),
        &[
            ("kind", "purchase"),
            ("reason", "汛前采购"),
            ("batch_1", &batch),
            ("qty_1", "250"),
            ("batch_2", ""),
            ("qty_2", ""),
        ],
    );
    assert_eq!(posted.status, 303, "{}", posted.text);
    let voucher_url = posted.header("location").unwrap().to_string();
    let page = keeper.get(&voucher_url);
    assert!(page.text.contains("RK-2026-000001") && page.text.contains("已登记凭证"));
    assert!(
        !page.text.contains("/countersign\""),
        "the recorder is not offered the second signature"
    );

    let mut colleague = app.browser();
    colleague.sign_in("keeper2", PASSWORD);
    let v = colleague.get(&voucher_url);
    assert!(v.text.contains("复核签字"));
    let signed = colleague.post(&format!("{voucher_url}/countersign"), &[]);
    assert_eq!(signed.status, 303);
    assert!(colleague.get(&voucher_url).text.contains("已过账"));
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        250_000
    );
    let stock = colleague.get(&format!("/reserves/warehouses/{}", r.warehouse));
    assert!(
        stock.text.contains("防汛沙袋") && stock.text.contains("<b>250</b>"),
        "{}",
        stock.text
    );

    // A bad line re-shows the form with the message and writes nothing.
    keeper.get(&format!(
        "/reserves/warehouses/{}/movements/new?kind=use",
        r.warehouse
    ));
    let bad = keeper.post(
        &format!("/reserves/warehouses/{}/movements", r.warehouse),
        &[
            ("kind", "use"),
            ("reason", "领用"),
            ("batch_1", &batch),
            ("qty_1", "9999"),
        ],
    );
    assert_eq!(bad.status, 409);
    assert!(bad.text.contains("库存不足"));
}

#[test]
fn the_dashboard_and_queue_show_what_waits() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "5"}]),
        json!({"emergency": true}),
    );
    let mut head = app.browser();
    head.sign_in("head1", PASSWORD);
    let dash = head.get("/reserves");
    assert_eq!(dash.status, 200);
    assert!(dash.text.contains("建设局防汛物资仓库") && dash.text.contains("蒋国平"));
    let queue = head.get("/reserves/queue");
    assert!(
        queue.text.contains("CK-2026-000001") && queue.text.contains("待补签"),
        "{}",
        queue.text
    );
    let verify = head.get("/reserves/verify");
    assert!(verify.text.contains("账账相符"));
}

#[test]
fn a_count_is_entered_on_the_sheet_and_approved() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "100");
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    keeper.get(&format!("/reserves/warehouses/{}", r.warehouse));
    let opened = keeper.post(
        &format!("/reserves/warehouses/{}/stocktakes", r.warehouse),
        &[("blind", "true"), ("confirm", "yes")],
    );
    assert_eq!(opened.status, 303, "{}", opened.text);
    let sheet_url = opened.header("location").unwrap().to_string();
    let sheet = keeper.get(&sheet_url);
    assert!(
        sheet.text.contains("账面 —"),
        "blind: the counter does not see the book"
    );
    let line = sheet
        .text
        .split("/reserves/stocktake-lines/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        keeper
            .post(
                &format!("/reserves/stocktake-lines/{line}/counts"),
                &[("qty", "98")]
            )
            .status,
        303
    );
    keeper.get(&sheet_url);
    assert_eq!(
        keeper
            .post(
                &format!("/reserves/stocktake-lines/{line}/reason"),
                &[("reason", "damaged"), ("note", "两袋破损")]
            )
            .status,
        303
    );

    let mut head = app.browser();
    head.sign_in("head1", PASSWORD);
    let seen = head.get(&sheet_url);
    assert!(
        seen.text.contains("账面 100") && seen.text.contains("<b>-2</b>"),
        "{}",
        seen.text
    );
    let print = head.get(&format!("{sheet_url}/print"));
    assert!(
        print.text.contains("应急物资盘点表")
            && print.text.contains("审批人签字")
            && print.text.contains("-¥25.00"),
        "value of 2 sandbags at 12.50"
    );
    assert_eq!(head.post(&format!("{sheet_url}/approve"), &[]).status, 303);
    assert!(head.get(&sheet_url).text.contains("已审批"));
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        98_000
    );
}

#[test]
fn items_and_batches_are_added_on_the_catalogue_pages() {
    let app = spawn_app();
    let r = reserve(&app);
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    keeper.get("/reserves/items");
    let r1 = keeper.post(
        "/reserves/items",
        &[
            ("code", "DL-FDJ-30"),
            ("name", "柴油发电机组"),
            ("spec", "30kW"),
            ("uom", "台"),
            ("category_code", "2"),
            ("shelf_life_days", ""),
            ("unit_price", "42000"),
            ("track_batches", "true"),
        ],
    );
    assert_eq!(r1.status, 303, "{}", r1.text);
    let item_url = r1.header("location").unwrap().to_string();
    keeper.get(&item_url);
    let b = keeper.post(
        &format!("{item_url}/batches"),
        &[
            ("batch_no", "FDJ-2026-01"),
            ("maker", "常州"),
            ("production_date", "2026-03-01"),
            ("expiry_date", ""),
            ("ownership", "agreement"),
            ("custodian_id", ""),
        ],
    );
    assert_eq!(b.status, 303, "{}", b.text);
    assert!(keeper.get(&item_url).text.contains("FDJ-2026-01"));
    let dup = keeper.post(
        "/reserves/items",
        &[
            ("code", "DL-FDJ-30"),
            ("name", "x"),
            ("spec", ""),
            ("uom", "台"),
            ("category_code", "2"),
            ("shelf_life_days", ""),
            ("unit_price", ""),
        ],
    );
    assert_eq!(dup.status, 409);
    let _ = r.jackets;
}
