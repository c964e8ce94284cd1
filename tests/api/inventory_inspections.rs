//! Equipment inspection and maintenance (检查维护) through the real app: inspections mark and clear "needs
//! repair", equipment needing repair is not issued, loaned, transferred, reserved or countersigned out except
//! by an emergency issue whose voucher records the override, bad input and other units are refused with
//! nothing changed, reminders of due and overdue inspections reach the custodians over SMTP, and the pages.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::inventory::{movement, on_hand, receive, reserve, verify, Reserve};
use crate::inventory_reservations::stock_row;
use crate::notify::{notices, setup, smtp_app, KEEPER1};
use crate::smtp::SmtpServer;

/// A pump item inspected every 30 days, one batch of it received into the reserve's warehouse: (item, batch).
fn pump(app: &TestApp, r: &Reserve) -> (i64, i64) {
    let item = app.post(
        "/api/v1/items",
        &r.keeper,
        json!({"code": "SB-200", "name": "抽水泵", "uom": "台", "category_code": "2", "inspection_interval_days": 30}),
    );
    assert_eq!(item.status, 201, "{}", item.text);
    assert_eq!(item.json()["inspection_interval_days"], 30);
    let item = item.json()["id"].as_i64().unwrap();
    let batch = app.post(
        &format!("/api/v1/items/{item}/batches"),
        &r.keeper,
        json!({"batch_no": "SB-2023-A", "ownership": "government"}),
    );
    assert_eq!(batch.status, 201, "{}", batch.text);
    let batch = batch.json()["id"].as_i64().unwrap();
    receive(app, r, batch, "4");
    (item, batch)
}

fn inspect(
    app: &TestApp,
    token: &str,
    warehouse: i64,
    batch: i64,
    body: Value,
) -> crate::helpers::Resp {
    let mut body = body;
    body["warehouse_id"] = json!(warehouse);
    app.post(&format!("/api/v1/batches/{batch}/inspections"), token, body)
}

fn equipment(app: &TestApp, r: &Reserve) -> Vec<Value> {
    let list = app.get(
        &format!("/api/v1/warehouses/{}/inspections", r.warehouse),
        &r.keeper,
    );
    assert_eq!(list.status, 200, "{}", list.text);
    list.json().as_array().unwrap().clone()
}

fn flagged(app: &TestApp, r: &Reserve, batch: i64) -> bool {
    stock_row(app, r, batch)["needs_repair"].as_bool().unwrap()
}

fn broken(app: &TestApp, r: &Reserve, batch: i64) {
    let b = inspect(
        app,
        &r.keeper,
        r.warehouse,
        batch,
        json!({"result": "needs_repair", "findings": "柴油机启动困难"}),
    );
    assert_eq!(b.status, 201, "{}", b.text);
}

#[test]
fn inspections_set_the_next_due_date_and_mark_and_clear_needs_repair() {
    let app = spawn_app();
    let r = reserve(&app);
    let (_, batch) = pump(&app, &r);
    let before = equipment(&app, &r);
    assert_eq!(before.len(), 1, "only equipment with an interval is listed");
    assert_eq!(
        (
            before[0]["next_due"].as_str(),
            before[0]["due"].as_str(),
            before[0]["last_inspected_on"].as_null()
        ),
        (Some("2026-12-28"), Some("current"), Some(())),
        "before any inspection the interval counts from registration"
    );

    let ok = inspect(
        &app,
        &r.keeper,
        r.warehouse,
        batch,
        json!({"inspected_on": "2026-11-01", "result": "ok"}),
    );
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.json()["inspected_by_name"], "蒋国平");
    let after = &equipment(&app, &r)[0];
    assert_eq!(
        (
            after["next_due"].as_str(),
            after["due"].as_str(),
            after["days_left"].as_i64()
        ),
        (Some("2026-12-01"), Some("due_soon"), Some(3)),
        "due within the week"
    );

    broken(&app, &r, batch);
    assert!(
        flagged(&app, &r, batch),
        "the stock row says it needs repair"
    );
    let now = &equipment(&app, &r)[0];
    assert_eq!(
        (
            now["needs_repair"].as_bool(),
            now["last_result"].as_str(),
            now["next_due"].as_str()
        ),
        (Some(true), Some("needs_repair"), Some("2026-12-28"))
    );
    let repaired = inspect(
        &app,
        &r.keeper2,
        r.warehouse,
        batch,
        json!({"result": "repaired", "findings": "更换启动电机，试机正常"}),
    );
    assert_eq!(repaired.status, 201, "{}", repaired.text);
    assert!(!flagged(&app, &r, batch));

    let history = app
        .get(&format!("/api/v1/batches/{batch}/inspections"), &r.keeper)
        .json();
    let results: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["repaired", "needs_repair", "ok"], "latest first");
    assert_eq!(history[0]["inspected_by_name"], "马春梅");
    let audited = app.get("/api/v1/audit?entity=inspection", &r.admin).json();
    assert_eq!(audited["total"], 3);
    let batch_changes = app
        .get(
            &format!("/api/v1/audit?entity=batch&entity_id={batch}"),
            &r.admin,
        )
        .json();
    assert_eq!(batch_changes["total"], 3, "registered, marked, cleared");
}

#[test]
fn equipment_needing_repair_goes_out_only_by_an_emergency_issue_which_records_the_override() {
    let app = spawn_app();
    let r = reserve(&app);
    let (item, batch) = pump(&app, &r);
    // Recorded while it was fine, waiting for its second signature.
    let waiting = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": batch, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(waiting.status, 201, "{}", waiting.text);
    let waiting = waiting.json()["id"].as_i64().unwrap();
    broken(&app, &r, batch);

    for (kind, extra) in [
        ("use", json!({})),
        ("loan", json!({})),
        (
            "transfer_out",
            json!({"counterpart_warehouse_id": r.other_warehouse}),
        ),
    ] {
        let refused = movement(
            &app,
            &r.keeper,
            r.warehouse,
            kind,
            json!([{"batch_id": batch, "qty": "1"}]),
            extra,
        );
        assert_eq!(refused.status, 409, "{kind}: {}", refused.text);
        assert!(
            refused.text.contains("SB-2023-A 检查结果为待修"),
            "{}",
            refused.text
        );
    }
    let sign = app.api(
        "POST",
        &format!("/api/v1/movements/{waiting}/countersign"),
        Some(&r.keeper2),
        None,
    );
    assert_eq!(sign.status, 409, "found broken since: {}", sign.text);
    let held = app.post(
        &format!("/api/v1/warehouses/{}/reservations", r.warehouse),
        &r.keeper,
        json!({"batch_id": batch, "qty": "1", "purpose": "滨湖街道排涝"}),
    );
    assert_eq!(held.status, 409, "{}", held.text);
    assert!(held.text.contains("待修"), "{}", held.text);
    let by_item = app.post(
        &format!("/api/v1/warehouses/{}/reservations", r.warehouse),
        &r.keeper,
        json!({"item_id": item, "qty": "1", "purpose": "滨湖街道排涝"}),
    );
    assert_eq!(by_item.status, 409, "nothing usable: {}", by_item.text);
    let suggested = app.get(
        &format!(
            "/api/v1/warehouses/{}/fefo?item_id={item}&qty=1",
            r.warehouse
        ),
        &r.keeper,
    );
    assert_eq!(suggested.json(), json!([]));
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, batch),
        4_000,
        "nothing moved"
    );

    let urgent = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": batch, "qty": "1"}]),
        json!({"emergency": true, "reason": "东太湖大堤管涌抢险排水"}),
    );
    assert_eq!(urgent.status, 201, "{}", urgent.text);
    assert_eq!(urgent.json()["repair_override"], "SB-2023-A");
    assert_eq!(on_hand(&app, &r.keeper, r.warehouse, batch), 3_000);
    let id = urgent.json()["id"].as_i64().unwrap();
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let page = keeper.get(&format!("/reserves/movements/{id}"));
    assert!(
        page.text.contains("带病出库") && page.text.contains("SB-2023-A"),
        "the voucher shows the override"
    );
    let audit = app
        .get(
            &format!("/api/v1/audit?entity=movement&entity_id={id}"),
            &r.admin,
        )
        .json();
    assert_eq!(audit["items"][0]["after"]["repair_override"], "SB-2023-A");

    let fixed = inspect(
        &app,
        &r.keeper,
        r.warehouse,
        batch,
        json!({"result": "ok", "findings": "复检合格"}),
    );
    assert_eq!(fixed.status, 201, "{}", fixed.text);
    let sign = app.api(
        "POST",
        &format!("/api/v1/movements/{waiting}/countersign"),
        Some(&r.keeper2),
        None,
    );
    assert_eq!(sign.status, 200, "repaired, it goes: {}", sign.text);
    assert_eq!(sign.json()["repair_override"], "");
    let report = verify(&app, &r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty(),
        "{report}"
    );
}

#[test]
fn bad_inspections_are_refused_with_422_and_change_nothing() {
    let app = spawn_app();
    let r = reserve(&app);
    let (item, batch) = pump(&app, &r);
    let first = inspect(
        &app,
        &r.keeper,
        r.warehouse,
        batch,
        json!({"inspected_on": "2026-11-20", "result": "ok"}),
    );
    assert_eq!(first.status, 201);
    let audit = app.audit_count(&r.admin);
    for (body, status, says) in [
        (
            json!({"inspected_on": "2026-11-29", "result": "ok"}),
            422,
            "不能晚于今天",
        ),
        (
            json!({"inspected_on": "2026-11-19", "result": "ok"}),
            422,
            "不能早于",
        ),
        (json!({"result": "broken"}), 422, "broken"),
        (
            json!({"result": "needs_repair", "findings": "  "}),
            422,
            "写明",
        ),
        (
            json!({"result": "repaired", "findings": "换了零件"}),
            409,
            "没有待修标记",
        ),
    ] {
        let r2 = inspect(&app, &r.keeper, r.warehouse, batch, body.clone());
        assert_eq!(r2.status, status, "{body}: {}", r2.text);
        assert!(r2.text.contains(says), "{body}: {}", r2.text);
    }
    let elsewhere = inspect(
        &app,
        &r.keeper,
        r.warehouse,
        r.sandbag_batch,
        json!({"result": "ok"}),
    );
    assert_eq!(elsewhere.status, 422, "not held here: {}", elsewhere.text);
    let none = inspect(
        &app,
        &r.keeper,
        r.warehouse,
        99_999,
        json!({"result": "ok"}),
    );
    assert_eq!(none.status, 404);
    for (body, path) in [
        (
            json!({"inspection_interval_days": 0}),
            format!("/api/v1/items/{item}"),
        ),
        (
            json!({"inspection_interval_days": 3651}),
            format!("/api/v1/items/{item}"),
        ),
    ] {
        let p = app.patch(&path, &r.keeper, body);
        assert_eq!(p.status, 422, "{}", p.text);
    }
    let new = app.post(
        "/api/v1/items",
        &r.keeper,
        json!({"code": "FDJ-1", "name": "发电机", "uom": "台", "category_code": "2", "inspection_interval_days": -5}),
    );
    assert_eq!(new.status, 422, "{}", new.text);
    assert_eq!(app.audit_count(&r.admin), audit, "nothing was written");
    assert!(!flagged(&app, &r, batch));
    let history = app.get(&format!("/api/v1/batches/{batch}/inspections"), &r.keeper);
    assert_eq!(history.json().as_array().unwrap().len(), 1);

    let cleared = app.patch(
        &format!("/api/v1/items/{item}"),
        &r.keeper,
        json!({"inspection_interval_days": null}),
    );
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert!(cleared.json()["inspection_interval_days"].is_null());
    assert!(
        equipment(&app, &r).is_empty(),
        "no longer inspected at intervals"
    );
}

#[test]
fn only_those_who_move_a_warehouses_stock_record_its_inspections() {
    let app = spawn_app();
    let r = reserve(&app);
    let (item, batch) = pump(&app, &r);
    let other = inspect(
        &app,
        &r.other_keeper,
        r.warehouse,
        batch,
        json!({"result": "ok"}),
    );
    assert_eq!(other.status, 403, "{}", other.text);
    let list = app.get(
        &format!("/api/v1/warehouses/{}/inspections", r.warehouse),
        &r.other_keeper,
    );
    assert_eq!(list.status, 403);
    let (_, office) = app.create_account(&r.admin, "office1", None, &[("office_staff", None)]);
    assert_eq!(
        app.get(
            &format!("/api/v1/warehouses/{}/inspections", r.warehouse),
            &office
        )
        .status,
        200,
        "the office sees"
    );
    assert_eq!(
        inspect(&app, &office, r.warehouse, batch, json!({"result": "ok"})).status,
        403,
        "but does not record"
    );
    let (_, viewer) = app.create_account(&r.admin, "viewer1", None, &[("viewer", None)]);
    let patch = app.patch(
        &format!("/api/v1/items/{item}"),
        &viewer,
        json!({"inspection_interval_days": 60}),
    );
    assert_eq!(
        patch.status, 403,
        "the catalogue is kept by keepers and the office"
    );
    assert_eq!(
        inspect(&app, &r.head, r.warehouse, batch, json!({"result": "ok"})).status,
        201,
        "the unit's head may"
    );
    let seen = |token: &str| {
        app.get(&format!("/api/v1/batches/{batch}/inspections"), token)
            .json()
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(seen(&r.keeper), 1);
    assert_eq!(
        seen(&r.other_keeper),
        0,
        "inspections elsewhere are not shown"
    );
}

#[test]
fn due_and_overdue_inspections_reach_the_custodians_over_smtp_once_each() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let s = setup(&app);
    let (_, batch) = pump(&app, &s.r);
    app.scan();
    assert!(
        notices(&app, &s.r.admin, "kind=inspection_due").is_empty(),
        "not due yet"
    );

    app.clock.advance(Duration::days(26)); // 2026-12-24: due 2026-12-28, 4 days left
    app.scan();
    let due = notices(&app, &s.r.admin, "kind=inspection_due");
    assert_eq!(
        due.len(),
        2,
        "custodians in Chinese and in English: {due:?}"
    );
    let key = format!("inspection_due:{}:{batch}:2026-12-28:", s.r.warehouse);
    assert!(
        due.iter()
            .all(|n| n["dedupe_key"].as_str().unwrap().starts_with(&key)),
        "one occasion per batch and due date, per language: {due:?}"
    );
    app.scan();
    assert_eq!(
        notices(&app, &s.r.admin, "kind=inspection_due").len(),
        2,
        "once"
    );

    app.clock.advance(Duration::days(5)); // 2026-12-29: a day late
    app.scan();
    assert_eq!(
        notices(&app, &s.r.admin, "kind=inspection_overdue").len(),
        2
    );
    app.deliver();
    let subjects: Vec<String> = smtp
        .received()
        .iter()
        .map(|m| m.parsed().subject().unwrap().to_string())
        .collect();
    assert!(
        subjects.iter().any(|s| s
            == "【设备检查】抽水泵（批次 SB-2023-A）应于 2026-12-28 检查，还有 4 天 — 建设局防汛物资仓库"),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.starts_with(
            "【设备检查逾期】抽水泵（批次 SB-2023-A）应于 2026-12-28 检查，已逾期 1 天"
        )),
        "{subjects:?}"
    );
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("[Inspection overdue] 抽水泵")),
        "{subjects:?}"
    );
    let to_keeper = smtp
        .received()
        .into_iter()
        .filter(|m| m.to.iter().any(|t| t == KEEPER1))
        .count();
    assert!(to_keeper >= 2, "the custodian hears both");

    // Found needing repair, it is out of service: no further inspection reminders about it.
    broken(&app, &s.r, batch);
    app.clock.advance(Duration::days(40));
    app.scan();
    let later: Vec<Value> = notices(&app, &s.r.admin, "kind=inspection_overdue");
    assert_eq!(later.len(), 2, "{later:?}");
}

#[test]
fn keepers_inspect_on_the_pages_and_a_refused_form_keeps_what_was_typed() {
    let app = spawn_app();
    let r = reserve(&app);
    let (item, batch) = pump(&app, &r);
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", PASSWORD);
    let stock = keeper.get(&format!("/reserves/warehouses/{}", r.warehouse));
    assert!(stock
        .text
        .contains(&format!("/reserves/warehouses/{}/inspections", r.warehouse)));
    let list = keeper.get(&format!("/reserves/warehouses/{}/inspections", r.warehouse));
    assert_eq!(list.status, 200);
    assert!(
        list.text.contains("抽水泵") && list.text.contains("2026-12-28"),
        "{}",
        list.text
    );
    let here = format!("/reserves/warehouses/{}/inspections/{batch}", r.warehouse);
    let page = keeper.get(&here);
    assert_eq!(page.status, 200);
    assert!(page.text.contains("尚无检查记录"));

    let refused = keeper.post(
        &here,
        &[
            ("inspected_on", "2026-11-27"),
            ("result", "needs_repair"),
            ("findings", ""),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("请写明发现的问题"),
        "{}",
        refused.text
    );
    assert!(
        refused.text.contains("value=\"2026-11-27\""),
        "the date typed is kept"
    );
    assert!(refused
        .text
        .contains("value=\"needs_repair\" required checked"));

    let done = keeper.post(
        &here,
        &[
            ("inspected_on", "2026-11-27"),
            ("result", "needs_repair"),
            ("findings", "叶轮磨损"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.text);
    let after = keeper.get(&here);
    assert!(after.text.contains("叶轮磨损") && after.text.contains("已登记检查"));
    let stock = keeper.get(&format!("/reserves/warehouses/{}", r.warehouse));
    assert!(
        stock.text.contains("tag off\" href=\"/reserves/warehouses"),
        "the stock shows 待修"
    );
    let form = keeper.get(&format!(
        "/reserves/warehouses/{}/movements/new?kind=use",
        r.warehouse
    ));
    assert!(form.text.contains("待修，仅限紧急出库"));

    let item_page = format!("/reserves/items/{item}");
    keeper.get(&item_page);
    let bad = keeper.post(
        &format!("{item_page}/inspection"),
        &[("inspection_interval_days", "0")],
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("1–3650"), "{}", bad.text);
    assert!(bad.text.contains("value=\"0\""), "kept as typed");
    let set = keeper.post(
        &format!("{item_page}/inspection"),
        &[("inspection_interval_days", "90")],
    );
    assert_eq!(set.status, 303, "{}", set.text);
    let now = app.get(&format!("/api/v1/items/{item}"), &r.keeper).json();
    assert_eq!(now["inspection_interval_days"], 90);

    let mut other = app.browser();
    other.sign_in("keeper3", PASSWORD);
    assert_eq!(other.get(&here).status, 403);
}

#[test]
fn allocation_sends_equipment_needing_repair_only_on_an_emergency_order_and_sources_count_it_apart()
{
    use crate::allocation::{alloc, approved, needed_by};
    let app = spawn_app();
    let a = alloc(&app);
    let (id, line) = approved(&app, &a, "100");
    let held = app.post(
        &format!("/api/v1/allocations/{id}/reserve"),
        &a.r.keeper,
        json!({}),
    );
    assert_eq!(held.status, 200, "{}", held.text);
    let order = app.post("/api/v1/allocations/orders", &a.office, json!({
        "kind": "transfer", "unit_id": a.street, "to_warehouse_id": a.r.other_warehouse, "priority": "urgent",
        "needed_by": needed_by(&app), "purpose": "滨湖圩堤管涌，区防指调令",
        "lines": [{"item_id": a.r.sandbags, "qty": "50", "from_warehouse_id": a.r.warehouse}]
    }));
    assert_eq!(order.status, 201, "{}", order.text);
    let (oid, oline) = (
        order.json()["id"].as_i64().unwrap(),
        order.json()["lines"][0]["id"].as_i64().unwrap(),
    );
    // Found needing repair after both were reserved.
    broken(&app, &a.r, a.r.sandbag_batch);
    let send = |request: i64, line: i64, qty: &str| {
        app.post(
            &format!("/api/v1/allocations/{request}/dispatches"),
            &a.r.keeper,
            json!({"from_warehouse_id": a.r.warehouse, "lines": [{"line_id": line, "qty": qty}]}),
        )
    };
    let refused = send(id, line, "100");
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(refused.text.contains("检查结果为待修"), "{}", refused.text);
    let urgent = send(oid, oline, "50");
    assert_eq!(
        urgent.status, 200,
        "an emergency order takes it: {}",
        urgent.text
    );
    let out = urgent.json()["consignments"][0]["out_movement_id"]
        .as_i64()
        .unwrap();
    let voucher = app
        .get(&format!("/api/v1/movements/{out}"), &a.r.keeper)
        .json();
    assert_eq!(voucher["repair_override"], "SB2026-01", "{voucher}");

    let sources = app.get(
        &format!(
            "/api/v1/items/{}/sources?to_warehouse_id={}",
            a.r.sandbags, a.r.other_warehouse
        ),
        &a.r.other_keeper,
    );
    assert_eq!(sources.status, 200, "{}", sources.text);
    let here = &sources.json()["sources"][0];
    assert_eq!(
        (here["usable"].as_str(), here["needs_repair"].as_str()),
        (Some("0"), Some("250")),
        "{here}"
    );
    let report = verify(&app, &a.r.admin);
    assert!(
        report["differences"].as_array().unwrap().is_empty(),
        "{report}"
    );
}
