//! A bare actix-web server for the side-by-side benchmark (`scripts/bench.py`): handlers that return what
//! standby's endpoints return (a unit, 50 stock rows, who is on duty now, a page of HTML, a created voucher) with no database,
//! no authentication and no middleware, so that standby's figures read as a ratio of what the framework
//! alone does on the same machine in the same run. Built from the project's own dependencies.
//!
//! Usage: `cargo run --release --bin bare -- 127.0.0.1:18090` (a binary rather than an example, so that the
//! release build does not compile the test-only dependencies examples are built with)

use actix_web::{get, post, web, App, HttpResponse, HttpServer};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct Unit {
    id: i64,
    name: &'static str,
    kind: &'static str,
    parent_id: Option<i64>,
    contact_emails: Vec<&'static str>,
    phone: &'static str,
    active: bool,
    created_at: &'static str,
    updated_at: &'static str,
}

#[derive(Serialize)]
struct StockRow {
    warehouse_id: i64,
    batch_id: i64,
    item_id: i64,
    qty: String,
    qty_milli: i64,
    item_code: String,
    item_name: &'static str,
    spec: &'static str,
    uom: &'static str,
    unit_price_fen: Option<i64>,
    batch_no: String,
    expiry_date: Option<&'static str>,
    ownership: &'static str,
    custodian_id: Option<i64>,
    quality: &'static str,
    bin: &'static str,
    book_hidden: bool,
}

#[get("/unit")]
async fn unit() -> web::Json<Unit> {
    web::Json(Unit {
        id: 3,
        name: "东太湖度假区建设局",
        kind: "department",
        parent_id: Some(1),
        contact_emails: vec!["jsj@dth.example.gov.cn"],
        phone: "0512-63981100",
        active: true,
        created_at: "2026-11-29T18:12:10.237317Z",
        updated_at: "2026-11-29T18:12:10.237317Z",
    })
}

#[get("/stock")]
async fn stock() -> web::Json<Vec<StockRow>> {
    web::Json(
        (1..=50)
            .map(|i| StockRow {
                warehouse_id: 1,
                batch_id: i,
                item_id: i,
                qty: format!("{i}.5"),
                qty_milli: i * 1000 + 500,
                item_code: format!("FX-SD-{i:02}"),
                item_name: "防汛沙袋",
                spec: "编织袋 50kg",
                uom: "条",
                unit_price_fen: Some(350),
                batch_no: format!("SB2026-{i:02}"),
                expiry_date: Some("2027-06-30"),
                ownership: "government",
                custodian_id: Some(7),
                quality: "good",
                bin: "A-01",
                book_hidden: false,
            })
            .collect(),
    )
}

#[get("/page")]
async fn page() -> HttpResponse {
    let mut html = String::from(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>物资储备</title></head><body><main>",
    );
    for i in 0..20 {
        html.push_str(&format!(
            "<div class=\"card\"><h2>建设局防汛物资仓库 {i}</h2><p>保管员：蒋国平、马春梅</p><p>下次盘点：2026-12-31</p></div>"
        ));
    }
    html.push_str("</main></body></html>");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html)
}

/// Who is on duty now on two rosters: the shift under way and the next, a leader and an officer each.
#[get("/duty")]
async fn duty() -> HttpResponse {
    let person = |id: i64, role: &str, name: &str| serde_json::json!({"person_id": id, "role": role, "name": name, "post": "值班室主任", "phone": "13806250003"});
    let shift = |id: i64, day: &str| {
        serde_json::json!({"shift_id": id, "day": day, "name": "24小时班",
            "starts_at": "2026-11-30T00:30:00Z", "ends_at": "2026-12-01T00:30:00Z",
            "leaders": [person(3, "leader", "陆志明")], "officers": [person(41, "officer", "王芳")]})
    };
    let roster = |id: i64| {
        serde_json::json!({"roster_id": id, "roster_name": "东太湖度假区总值班", "unit_id": 1,
            "unit_name": "东太湖度假区安委办", "duty_phone": "0512-63980110",
            "current": shift(30, "2026-11-30"), "next": shift(31, "2026-12-01")})
    };
    HttpResponse::Ok().json(vec![roster(1), roster(2)])
}

#[post("/post")]
async fn create(body: web::Json<Value>) -> HttpResponse {
    HttpResponse::Created().json(serde_json::json!({
        "id": 1, "voucher_no": "CK-2026-000001", "kind": body["kind"], "state": "posted",
        "lines": body["lines"], "reason": body["reason"],
    }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18090".into());
    HttpServer::new(|| {
        App::new()
            .service(unit)
            .service(stock)
            .service(page)
            .service(create)
            .service(duty)
    })
    .bind(bind)?
    .run()
    .await
}
