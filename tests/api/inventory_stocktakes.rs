//! Stocktakes, bins and the account-matching dashboard through the API.

use serde_json::json;

use crate::helpers::spawn_app;
use crate::inventory::{movement, on_hand, receive, reserve};

#[test]
fn a_stocktake_runs_from_blind_count_to_approved_adjustment() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "500");
    receive(&app, &r, r.jacket_batch, "40");
    let st = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
        &r.keeper,
        json!({"blind": true}),
    );
    assert_eq!(st.status, 201, "{}", st.text);
    let st = st.json();
    let id = st["id"].as_i64().unwrap();
    assert_eq!(st["lines"].as_array().unwrap().len(), 2);
    assert!(
        st["lines"][0]["book"].is_null(),
        "a blind count hides the book from the counter"
    );
    assert!(
        app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json()["lines"][0]["book"]
            .is_string(),
        "the approver sees it"
    );

    let blocked = movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    assert_eq!(
        blocked.status, 409,
        "stock does not move during a count: {}",
        blocked.text
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
            &r.keeper,
            json!({})
        )
        .status,
        409,
        "one count at a time"
    );

    let lines = app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json()["lines"].clone();
    let line = |batch: i64| {
        lines
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["batch_id"] == batch)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (sand, jacket) = (line(r.sandbag_batch), line(r.jacket_batch));
    // Two counters split the sandbags; the jackets are short by two.
    for (token, qty) in [(&r.keeper, "300"), (&r.keeper2, "199")] {
        assert_eq!(
            app.post(
                &format!("/api/v1/stocktake-lines/{sand}/counts"),
                token,
                json!({"qty": qty})
            )
            .status,
            204
        );
    }
    assert_eq!(
        app.post(
            &format!("/api/v1/stocktake-lines/{jacket}/counts"),
            &r.keeper,
            json!({"qty": "37"})
        )
        .status,
        204
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktake-lines/{jacket}/recount"),
            Some(&r.keeper2),
            None
        )
        .status,
        204
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/stocktake-lines/{jacket}/counts"),
            &r.keeper2,
            json!({"qty": "38"})
        )
        .status,
        204
    );

    let early = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{id}/approve"),
        Some(&r.head),
        None,
    );
    assert_eq!(
        early.status, 409,
        "differences need reasons: {}",
        early.text
    );
    for l in [sand, jacket] {
        assert_eq!(
            app.api(
                "PUT",
                &format!("/api/v1/stocktake-lines/{l}/reason"),
                Some(&r.keeper),
                Some(json!({"reason": "lost", "note": "汛期借出未登记"}))
            )
            .status,
            204
        );
    }
    let view = app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json();
    let sand_view = view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == sand)
        .unwrap()
        .clone();
    assert_eq!(
        (
            sand_view["counted"].as_str(),
            sand_view["variance"].as_str()
        ),
        (Some("499"), Some("-1"))
    );
    let counters: Vec<(&str, &str)> = sand_view["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["qty"].as_str().unwrap()))
        .collect();
    assert_eq!(
        counters,
        vec![("蒋国平", "300"), ("马春梅", "199")],
        "the page says who counted what"
    );

    let (_, head2) = app.create_account(
        &r.admin,
        "keeperhead",
        None,
        &[
            ("unit_head", Some(r.unit)),
            ("warehouse_keeper", Some(r.unit)),
        ],
    );
    let own = app.post(
        &format!("/api/v1/warehouses/{}/stocktakes", r.other_warehouse),
        &r.other_keeper,
        json!({}),
    );
    assert_eq!(own.status, 201);
    let approved = app.api(
        "POST",
        &format!("/api/v1/stocktakes/{id}/approve"),
        Some(&head2),
        None,
    );
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert_eq!(approved.json()["state"], "approved");
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.sandbag_batch),
        499_000
    );
    assert_eq!(
        on_hand(&app, &r.keeper, r.warehouse, r.jacket_batch),
        38_000
    );
    let adj = app
        .get(
            &format!(
                "/api/v1/movements?warehouse_id={}&kind=count_loss",
                r.warehouse
            ),
            &r.keeper,
        )
        .json();
    assert_eq!(adj["items"][0]["voucher_no"], "PD-2026-000001");
    assert_eq!(
        app.post(
            &format!("/api/v1/stocktake-lines/{sand}/counts"),
            &r.keeper,
            json!({"qty": "1"})
        )
        .status,
        409,
        "a finished stocktake is immutable"
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktakes/{id}/approve"),
            Some(&r.head),
            None
        )
        .status,
        409,
        "approved only once"
    );
    assert_eq!(
        movement(
            &app,
            &r.keeper,
            r.warehouse,
            "use",
            json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
            json!({})
        )
        .status,
        201,
        "stock moves again"
    );
    let _ = r.sandbags;
}

#[test]
fn the_opener_cannot_approve_their_own_count() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "5");
    let id = app
        .post(
            &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
            &r.head,
            json!({}),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let line = app.get(&format!("/api/v1/stocktakes/{id}"), &r.head).json()["lines"][0]["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/stocktake-lines/{line}/counts"),
        &r.keeper,
        json!({"qty": "5"}),
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktakes/{id}/approve"),
            Some(&r.head),
            None
        )
        .status,
        409
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/stocktakes/{id}/cancel"),
            Some(&r.keeper),
            None
        )
        .json()["state"],
        "cancelled"
    );
}

#[test]
fn bins_locate_stock_and_split_the_count_sheet() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "10");
    receive(&app, &r, r.jacket_batch, "10");
    let put = |batch: i64, bin: &str| {
        app.api(
            "PUT",
            &format!("/api/v1/warehouses/{}/stock/{batch}/bin", r.warehouse),
            Some(&r.keeper),
            Some(json!({"bin": bin})),
        )
        .status
    };
    assert_eq!(put(r.sandbag_batch, "A-01"), 204);
    assert_eq!(put(r.jacket_batch, "B-02"), 204);
    assert_eq!(put(9999, "A-01"), 404, "no stock of that batch here");
    assert_eq!(
        app.api(
            "PUT",
            &format!(
                "/api/v1/warehouses/{}/stock/{}/bin",
                r.warehouse, r.sandbag_batch
            ),
            Some(&r.other_keeper),
            Some(json!({"bin": "X"}))
        )
        .status,
        403
    );
    let stock = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", r.warehouse),
            &r.keeper,
        )
        .json();
    assert!(stock.as_array().unwrap().iter().any(|s| s["bin"] == "A-01"));
    let st = app
        .post(
            &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
            &r.keeper,
            json!({}),
        )
        .json();
    let bins: Vec<&str> = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["bin"].as_str().unwrap())
        .collect();
    assert_eq!(bins, vec!["A-01", "B-02"], "the sheet follows the layout");
    let mut b = app.browser();
    b.sign_in("keeper1", crate::helpers::PASSWORD);
    let part = b.get(&format!("/reserves/stocktakes/{}?bin=A-01", st["id"]));
    assert!(
        part.text.contains("防汛沙袋") && !part.text.contains("救生衣 "),
        "only bin A-01"
    );
    let group = b.get(&format!(
        "/reserves/stocktakes/{}/print?category=2",
        st["id"]
    ));
    assert!(
        group.text.contains("救生衣") && !group.text.contains("防汛沙袋"),
        "only item group 2"
    );
}

#[test]
fn the_dashboard_shows_norms_expiry_and_waiting_signatures() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "800");
    let soon = app
        .post(
            &format!("/api/v1/items/{}/batches", r.jackets),
            &r.keeper,
            json!({"batch_no": "LJ-SOON", "ownership": "government", "expiry_date": "2027-01-15"}),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    receive(&app, &r, soon, "5");
    movement(
        &app,
        &r.keeper,
        r.warehouse,
        "use",
        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
        json!({}),
    );
    let put = |item: i64, q: &str| {
        app.api(
            "PUT",
            &format!("/api/v1/warehouses/{}/norms/{item}", r.warehouse),
            Some(&r.head),
            Some(json!({"required": q})),
        )
        .status
    };
    assert_eq!(put(r.sandbags, "1000"), 204);
    assert_eq!(put(r.jackets, "5"), 204);
    let all = app.get("/api/v1/warehouses", &r.head).json();
    let w = all
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["warehouse_id"] == r.warehouse)
        .unwrap();
    assert_eq!(w["custodians"], json!(["蒋国平", "马春梅"]));
    assert_eq!(w["awaiting_countersignature"], 1);
    assert_eq!(w["expiring_90"], 1);
    assert_eq!(w["expiring_30"], 0);
    assert_eq!(
        w["compliance_percent"], 50,
        "sandbags 800 of 1000, jackets 5 of 5"
    );
    assert_eq!(w["stocktake_overdue"], false);
    assert_eq!(w["value_fen"], 805 * 1250);
    assert_eq!(put(r.jackets, "x"), 422);
}
