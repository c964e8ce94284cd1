//! More of the allocation pages: a loan extended by the lender and given back by the borrower, a plain
//! transfer counted in on its own page, warehouse coordinates and the nearest source with its keeper's phone.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use serde_json::json;

use crate::allocation_pages::{district, location, request, signed_in};
use crate::helpers::{spawn_app, PASSWORD};
use crate::inventory::{movement, receive};

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
