//! Spreadsheets: importing the catalogue and opening balances (all or nothing), exporting balances,
//! the ledger and stocktake results.

use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};
use crate::inventory::{receive, reserve};

fn post_file(
    app: &crate::helpers::TestApp,
    token: &str,
    bytes: &[u8],
    content_type: &str,
) -> crate::helpers::Resp {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(&app.url("/api/v1/imports"))
        .header("Authorization", &format!("Bearer {token}"))
        .content_type(content_type)
        .send(bytes)
        .unwrap();
    let status = resp.status().as_u16();
    crate::helpers::Resp {
        status,
        text: resp.body_mut().read_to_string().unwrap(),
        headers: Default::default(),
    }
}

fn get_bytes(app: &crate::helpers::TestApp, token: &str, path: &str) -> (u16, String, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .get(&app.url(path))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        resp.status().as_u16(),
        ct,
        resp.body_mut().read_to_vec().unwrap(),
    )
}

#[test]
fn a_gbk_csv_from_chinese_excel_imports_the_catalogue_and_opening_balances() {
    let app = spawn_app();
    let r = reserve(&app);
    let csv = "物资编码,品名,规格型号,计量单位,分类代码,保质期天数,单价,批号,厂商,生产日期,有效期至,权属,储备库,期初数量\r\n\
               FX-SB-200,抽水泵,200m³/h,台,2,,18500,SB-2023-A,江苏亚太泵业,2023/5/1,,政府储备,建设局防汛物资仓库,8\r\n\
               SH-KQS-01,饮用水,550ml×24瓶,箱,1,365,28,KQS-2026-11,苏州太湖饮品,2026-11-01,,协议储备,建设局防汛物资仓库,300\r\n\
               SH-KQS-01,饮用水,550ml×24瓶,箱,1,365,28,KQS-2026-11,苏州太湖饮品,2026-11-01,,协议储备,建设局防汛物资仓库,20.5\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let resp = post_file(&app, &r.keeper, &gbk, "text/csv");
    assert_eq!(resp.status, 201, "{}", resp.text);
    let summary = resp.json();
    assert_eq!(
        (
            summary["rows"].as_i64(),
            summary["items_created"].as_i64(),
            summary["batches_created"].as_i64()
        ),
        (Some(3), Some(2), Some(2))
    );
    assert_eq!(summary["vouchers"], json!(["QC-2026-000001"]));
    let pending = app
        .get(
            &format!(
                "/api/v1/movements?warehouse_id={}&state=pending",
                r.warehouse
            ),
            &r.keeper,
        )
        .json();
    let id = pending["items"][0]["id"].as_i64().unwrap();
    let voucher = app
        .get(&format!("/api/v1/movements/{id}"), &r.keeper)
        .json();
    let qtys: Vec<&str> = voucher["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["qty"].as_str().unwrap())
        .collect();
    assert_eq!(qtys, vec!["8", "320.5"], "the same batch twice is summed");
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{id}/countersign"),
            Some(&r.keeper2),
            None
        )
        .status,
        200
    );
    let water = app.get("/api/v1/items?q=SH-KQS", &r.keeper).json()["items"][0].clone();
    assert_eq!(water["shelf_life_days"], 365);
    let batches = app
        .get(&format!("/api/v1/items/{}/batches", water["id"]), &r.keeper)
        .json();
    assert_eq!(
        batches[0]["expiry_date"], "2027-11-01",
        "expiry from production date and shelf life"
    );
}

#[test]
fn one_bad_row_means_nothing_is_written_and_every_error_is_named() {
    let app = spawn_app();
    let r = reserve(&app);
    let before = app.get("/api/v1/items", &r.keeper).json()["total"].clone();
    let csv = "\u{feff}物资编码,品名,计量单位,分类代码,批号,储备库,期初数量\n\
               NEW-1,帐篷,顶,1,ZP-1,建设局防汛物资仓库,10\n\
               NEW-2,发电机,台,7,,,\n\
               NEW-3,手电,只,2,SD-1,不存在的库,5\n\
               NEW-4,头盔,顶,2,TK-1,建设局防汛物资仓库,abc\n";
    let resp = post_file(&app, &r.keeper, csv.as_bytes(), "text/csv");
    assert_eq!(resp.status, 422, "{}", resp.text);
    let body = resp.json();
    assert_eq!(body["error"]["code"], "invalid_rows");
    let rows: Vec<(i64, String)> = body["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![(3, "分类代码".to_string()), (5, "期初数量".to_string())],
        "cell rules first; {body}"
    );
    assert_eq!(
        app.get("/api/v1/items", &r.keeper).json()["total"],
        before,
        "nothing written"
    );

    let only_db_errors = "物资编码,品名,计量单位,分类代码,批号,储备库,期初数量\nNEW-1,帐篷,顶,1,ZP-1,建设局防汛物资仓库,10\nNEW-3,手电,只,2,SD-1,不存在的库,5\n";
    let resp = post_file(&app, &r.keeper, only_db_errors.as_bytes(), "text/csv");
    assert_eq!(resp.status, 422);
    assert_eq!(resp.json()["error"]["rows"][0]["row"], 3);
    assert_eq!(
        app.get("/api/v1/items", &r.keeper).json()["total"],
        before,
        "the valid first row was rolled back too"
    );
    assert_eq!(app.get("/api/v1/movements", &r.keeper).json()["total"], 0);
    assert_eq!(
        post_file(
            &app,
            &r.other_keeper,
            only_db_errors
                .lines()
                .take(2)
                .collect::<Vec<_>>()
                .join("\n")
                .as_bytes(),
            "text/csv"
        )
        .status,
        422,
        "another unit's keeper cannot stock this warehouse"
    );
}

#[test]
fn balances_ledger_and_stocktake_export_as_csv_and_xlsx_and_read_back() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.diesel_batch, "120.5");
    let (status, ct, csv) = get_bytes(
        &app,
        &r.keeper,
        &format!("/api/v1/warehouses/{}/export?format=csv", r.warehouse),
    );
    assert_eq!((status, ct.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.contains("柴油") && text.contains("120.5") && text.contains("1506.25"),
        "{text}"
    );

    let (status, _, xlsx) = get_bytes(
        &app,
        &r.keeper,
        &format!(
            "/api/v1/warehouses/{}/export?what=ledger&format=xlsx",
            r.warehouse
        ),
    );
    assert_eq!(status, 200);
    let grid = standby::sheets::read_grid(&xlsx).unwrap();
    assert_eq!(grid[0][0], "凭证号");
    assert_eq!(grid[1][0], "RK-2026-000001");
    assert_eq!(grid[1][8], "120.5");

    let st = app
        .post(
            &format!("/api/v1/warehouses/{}/stocktakes", r.warehouse),
            &r.keeper,
            json!({}),
        )
        .json();
    let line = st["lines"][0]["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/stocktake-lines/{line}/counts"),
        &r.keeper,
        json!({"qty": "119"}),
    );
    let (status, _, sheet) = get_bytes(
        &app,
        &r.keeper,
        &format!("/api/v1/stocktakes/{}/export?format=csv", st["id"]),
    );
    assert_eq!(status, 200);
    let text = String::from_utf8(sheet).unwrap();
    assert!(text.contains("120.5,119,-1.5,-18.75"), "{text}");
    assert_eq!(
        get_bytes(
            &app,
            &r.other_keeper,
            &format!("/api/v1/warehouses/{}/export", r.warehouse)
        )
        .0,
        403
    );
    assert_eq!(
        get_bytes(
            &app,
            &r.keeper,
            &format!("/api/v1/warehouses/{}/export?format=pdf", r.warehouse)
        )
        .0,
        400,
        "an export format outside the documented csv and xlsx is a bad query"
    );
}

#[test]
fn the_import_page_takes_an_upload_and_lists_errors() {
    let app = spawn_app();
    let r = reserve(&app);
    let mut b = app.browser();
    b.sign_in("keeper1", PASSWORD);
    let page = b.get("/reserves/items");
    assert!(page.text.contains("multipart/form-data"));
    let csrf = b.csrf.clone().unwrap();
    let boundary = "XBOUNDARYX";
    let file = "物资编码,品名,计量单位,分类代码\nBAD,坏行,个,9\n";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let resp = b.post_multipart("/reserves/import", boundary, body.as_bytes());
    assert_eq!(resp.status, 422, "{}", resp.text);
    assert!(resp.text.contains("分类代码") && resp.text.contains("<td>2</td>"));
    let forged = body.replace(&csrf, "forged");
    assert_eq!(
        b.post_multipart("/reserves/import", boundary, forged.as_bytes())
            .status,
        403
    );
    let _ = r.sandbags;
}

/// 1.4 KB of XLSX with values in A1 and XFD1048576: the reader once densified the declared range and the
/// allocation of 512 GiB aborted the whole process.
pub(crate) fn corner_to_corner_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "物资编码").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn a_hostile_workbook_is_refused_with_422_and_the_service_stays_up() {
    let app = spawn_app();
    let r = reserve(&app);
    let hostile = corner_to_corner_xlsx();
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    // Someone who may not import is refused before the file is even opened.
    let (_, viewer) = app.create_account(&r.admin, "viewer1", None, &[("viewer", None)]);
    let refused = post_file(&app, &viewer, &hostile, xlsx);
    assert_eq!(refused.status, 403, "{}", refused.text);
    let resp = post_file(&app, &r.keeper, &hostile, xlsx);
    assert_eq!(resp.status, 422, "{}", resp.text);
    let body: serde_json::Value = serde_json::from_str(&resp.text).unwrap();
    assert_eq!(body["error"]["field"], "file");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("100000 行"),
        "the message states the limit: {}",
        resp.text
    );
    // The same file through the upload page.
    let mut b = app.browser();
    b.sign_in("keeper1", PASSWORD);
    b.get("/reserves/items");
    let csrf = b.csrf.clone().unwrap();
    let boundary = "XBOUNDARYX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\nContent-Type: {xlsx}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&hostile);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let page = b.post_multipart("/reserves/import", boundary, &body);
    assert_eq!(page.status, 422, "{}", page.text);
    assert!(page.text.contains("100000 行"), "{}", page.text);
    assert_eq!(app.api("GET", "/healthz", None, None).status, 200);
    assert_eq!(app.get("/api/v1/items", &r.keeper).status, 200);
}

#[test]
fn a_download_is_named_for_what_it_holds_and_its_columns_fit_their_content() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "12");
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", crate::helpers::PASSWORD);
    let resp = keeper.get(&format!("/reserves/warehouses/{}/export.xlsx", r.warehouse));
    assert_eq!(resp.status, 200);
    let disposition = resp.header("content-disposition").unwrap().to_string();
    let expected: String = "建设局防汛物资仓库-库存-"
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect::<String>()
        .replace("%2D", "-");
    assert!(disposition.contains(&expected), "{disposition}");
    assert!(disposition.contains(".xlsx"));

    let (_, _, xlsx) = get_bytes(
        &app,
        &r.keeper,
        &format!("/api/v1/warehouses/{}/export?format=xlsx", r.warehouse),
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    let widths: Vec<f64> = sheet
        .split("width=\"")
        .skip(1)
        .filter_map(|w| w.split('"').next()?.parse().ok())
        .collect();
    assert!(widths.len() > 3, "{sheet}");
    let (min, max) = widths
        .iter()
        .fold((f64::MAX, 0.0_f64), |(a, b), w| (a.min(*w), b.max(*w)));
    assert!(
        max > min,
        "columns sized to their content, not all alike: {widths:?}"
    );
}

#[test]
fn a_long_ledger_streams_every_line_in_voucher_order_in_both_formats() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.diesel_batch, "1000");
    // More vouchers than one page of the download (200), some waiting for a countersignature.
    for i in 0..430 {
        let m = crate::inventory::movement(
            &app,
            &r.keeper,
            r.warehouse,
            "use",
            json!([{"batch_id": r.diesel_batch, "qty": "0.5"}]),
            if i % 3 == 0 {
                json!({})
            } else {
                json!({"emergency": true})
            },
        );
        assert_eq!(m.status, 201, "{}", m.text);
    }
    let path = |format: &str| {
        format!(
            "/api/v1/warehouses/{}/export?what=ledger&format={format}",
            r.warehouse
        )
    };
    let (status, _, csv) = get_bytes(&app, &r.keeper, &path("csv"));
    assert_eq!(status, 200);
    // Rows as a spreadsheet shows them: an empty cell at the end of a row is no cell.
    let rows = |bytes: &[u8]| -> Vec<Vec<String>> {
        let mut grid = standby::sheets::read_grid(bytes).unwrap();
        for row in &mut grid {
            while row.last().is_some_and(|c| c.is_empty()) {
                row.pop();
            }
        }
        grid
    };
    let grid = rows(&csv);
    let (status, _, xlsx) = get_bytes(&app, &r.keeper, &path("xlsx"));
    assert_eq!(status, 200);
    assert!(rows(&xlsx) == grid, "the same rows in both formats");
    assert_eq!(grid.len(), 1 + 431, "the header and every voucher line");
    let vouchers: Vec<&str> = grid[1..].iter().map(|row| row[0].as_str()).collect();
    assert_eq!(vouchers[0], "RK-2026-000001");
    let mut sorted = vouchers[1..].to_vec();
    sorted.sort();
    assert_eq!(vouchers[1..], sorted[..], "in voucher order");
    sorted.dedup();
    assert_eq!(sorted.len(), 430, "no voucher twice, none missing");
    assert!(grid[1..]
        .iter()
        .all(|row| row[8] == "1000" || row[8] == "-0.5"));
    assert_eq!(
        get_bytes(&app, &r.other_keeper, &path("csv")).0,
        403,
        "refused before the first byte, as a status"
    );
    let mut keeper = app.browser();
    keeper.sign_in("keeper1", crate::helpers::PASSWORD);
    let page = keeper.get(&format!("/reserves/warehouses/{}/ledger.csv", r.warehouse));
    assert_eq!(page.status, 200);
    assert!(
        rows(page.text.as_bytes()) == grid,
        "the page's download is the API's"
    );
    let pdf = keeper.get(&format!("/reserves/warehouses/{}/ledger.pdf", r.warehouse));
    assert_eq!(pdf.status, 404);
}
