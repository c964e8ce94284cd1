//! Demo reserves for the demo district: the flood-control warehouse of 建设局 along Taihu and the reserve
//! point of 滨湖街道, with sandbags, pumps, boats, life jackets, generators, medical kits and food; some stock
//! near expiry, a receipt awaiting its second signature, an emergency issue owing its signature, a
//! stocktake in progress, and equipment inspections (pumps due this week, generators inspected fine, a boat
//! needing repair). Everything goes through the ordinary services, signed by the demo's keepers.

use chrono::{DateTime, Duration, Utc};

use crate::clock::today;
use crate::config::Config;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    BatchInput, InspectionInput, ItemInput, LineRequest, MovementKind, Ownership, Quantity,
    WarehouseInput,
};
use crate::inventory::service::{catalogue, inspections, ledger, stocktakes, transit, warehouses};
use crate::inventory::store::ledger::Receipt;
use crate::org::demo::{person_id, unit_id};
use crate::org::service::auth::actor_by_username;

/// (code, name, spec, unit of measure, category, shelf life in days, unit price in yuan)
type ItemRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<i32>,
    &'static str,
);
/// (item code, batch no, maker, produced days ago, expires in days (None: from shelf life), custodian)
type BatchRow<'a> = (&'a str, &'a str, &'a str, Option<i64>, Option<i64>, i64);

const ITEMS: &[ItemRow] = &[
    (
        "FX-SD-50",
        "防汛沙袋",
        "50×80cm 编织袋装砂",
        "条",
        "3",
        None,
        "3.50",
    ),
    ("FX-BZD-01", "编织袋", "60×90cm", "条", "3", None, "0.80"),
    (
        "FX-SB-200",
        "抽水泵",
        "200m³/h 柴油机泵",
        "台",
        "2",
        None,
        "18500",
    ),
    (
        "FX-CFZ-01",
        "冲锋舟",
        "7.2m 玻璃钢，配 40 马力船外机",
        "艘",
        "2",
        None,
        "68000",
    ),
    (
        "FX-JSY-01",
        "救生衣",
        "成人款 浮力≥113N",
        "件",
        "2",
        Some(1825),
        "85",
    ),
    (
        "FX-JSQ-01",
        "救生圈",
        "2.5kg 橡塑",
        "只",
        "2",
        Some(1825),
        "60",
    ),
    (
        "DL-FDJ-30",
        "柴油发电机组",
        "30kW 移动式",
        "台",
        "2",
        None,
        "42000",
    ),
    (
        "ZM-YJD-01",
        "应急照明灯",
        "LED 强光 可充电",
        "只",
        "2",
        None,
        "260",
    ),
    (
        "SH-ZP-01",
        "救灾帐篷",
        "12m² 单帐篷",
        "顶",
        "1",
        None,
        "1450",
    ),
    (
        "SH-KQS-01",
        "饮用水",
        "550ml×24瓶",
        "箱",
        "1",
        Some(365),
        "28",
    ),
    (
        "SH-FBSP-01",
        "方便食品",
        "压缩饼干 5kg/箱",
        "箱",
        "1",
        Some(730),
        "160",
    ),
    (
        "YL-JJB-01",
        "急救包",
        "家庭应急包 含止血带",
        "个",
        "2",
        Some(1095),
        "120",
    ),
    ("NY-CY-0", "柴油", "0# 桶装", "升", "3", Some(730), "7.85"),
    ("GC-SS-01", "砂石料", "中粗砂", "吨", "3", None, "95"),
];

/// Items inspected at intervals (检查周期, days): pumps and generators monthly, boats quarterly.
const INSPECTED: &[(&str, i32)] = &[("FX-SB-200", 30), ("DL-FDJ-30", 30), ("FX-CFZ-01", 90)];

/// Loads the demo reserves (after the demo organisation). Returns a summary line.
pub fn load(conn: &mut DbConn, now: DateTime<Utc>, cfg: &Config) -> ServiceResult<String> {
    let tz = cfg.timezone;
    let keeper = actor_by_username(conn, "jianggp")?;
    let keeper2 = actor_by_username(conn, "macm")?;
    let head = actor_by_username(conn, "yaoj")?;
    let street_keeper = actor_by_username(conn, "jinxd")?;
    let street_head = actor_by_username(conn, "sunlei")?;
    let day = today(now, tz);

    let mut item_ids = Vec::new();
    for (code, name, spec, uom, cat, shelf, price) in ITEMS {
        let input = ItemInput::parse(
            code,
            name,
            spec,
            uom,
            cat,
            *shelf,
            shelf.is_some(),
            Some(price),
        )?
        .inspection(INSPECTED.iter().find(|i| i.0 == *code).map(|i| i.1))?;
        item_ids.push(catalogue::add_item(conn, &keeper, now, input)?.id);
    }
    let item = |code: &str| {
        ITEMS
            .iter()
            .position(|i| i.0 == code)
            .map(|p| item_ids[p])
            .ok_or_else(|| ServiceError::Internal(format!("demo item {code}")))
    };

    let (jiang, ma, jin) = (
        person_id(conn, "蒋国平")?,
        person_id(conn, "马春梅")?,
        person_id(conn, "金晓东")?,
    );
    let (construction, binhu) = (unit_id(conn, "建设局")?, unit_id(conn, "滨湖街道")?);
    let main = warehouses::create(
        conn,
        &head,
        now,
        WarehouseInput::parse(
            construction,
            "建设局东太湖防汛物资仓库",
            "东太湖大堤 3 号闸站东侧",
            90,
            vec![jiang, ma],
        )?,
    )?
    .warehouse;
    let street = warehouses::create(
        conn,
        &street_head,
        now,
        WarehouseInput::parse(
            binhu,
            "滨湖街道应急物资储备点",
            "滨湖街道社区服务中心地下一层",
            30,
            vec![jin],
        )?,
    )?
    .warehouse;

    let batches: &[BatchRow] = &[
        (
            "FX-SD-50",
            "SD-2025-汛前",
            "吴江编织袋厂",
            Some(200),
            None,
            jiang,
        ),
        (
            "FX-BZD-01",
            "BZD-2025-01",
            "吴江编织袋厂",
            Some(300),
            None,
            jiang,
        ),
        (
            "FX-SB-200",
            "SB-2023-A",
            "江苏亚太泵业",
            Some(900),
            None,
            ma,
        ),
        (
            "FX-CFZ-01",
            "CFZ-2022-01",
            "无锡海鹰艇业",
            Some(1400),
            None,
            ma,
        ),
        (
            "FX-JSY-01",
            "JSY-2024-03",
            "江苏华东救生",
            Some(600),
            None,
            ma,
        ),
        (
            "FX-JSY-01",
            "JSY-2021-06",
            "江苏华东救生",
            Some(1800),
            Some(25),
            ma,
        ),
        (
            "DL-FDJ-30",
            "FDJ-2024-01",
            "常州康明斯动力",
            Some(500),
            None,
            jiang,
        ),
        (
            "ZM-YJD-01",
            "YJD-2025-02",
            "苏州星光照明",
            Some(250),
            None,
            jiang,
        ),
        (
            "SH-ZP-01",
            "ZP-2024-05",
            "常熟救灾帐篷厂",
            Some(560),
            None,
            ma,
        ),
        (
            "SH-KQS-01",
            "KQS-2025-12",
            "苏州太湖饮品",
            Some(345),
            None,
            jiang,
        ),
        (
            "SH-FBSP-01",
            "FBSP-2024-11",
            "上海应急食品",
            Some(740),
            None,
            jiang,
        ),
        (
            "YL-JJB-01",
            "JJB-2024-01",
            "江苏康健医疗",
            Some(1040),
            None,
            ma,
        ),
        (
            "NY-CY-0",
            "CY-2026-09",
            "中石化吴江油库",
            Some(70),
            None,
            jiang,
        ),
        (
            "GC-SS-01",
            "SS-2026-04",
            "太湖砂石料场",
            Some(220),
            None,
            jiang,
        ),
    ];
    let mut batch_ids = Vec::new();
    for (code, no, maker, made_ago, expires_in, custodian) in batches {
        let produced = made_ago.map(|d| day - Duration::days(d));
        let expiry = expires_in.map(|d| day + Duration::days(d));
        let input = BatchInput::parse(
            no,
            maker,
            produced,
            expiry,
            Ownership::Government,
            Some(*custodian),
        )?;
        batch_ids.push(catalogue::add_batch(conn, &keeper, now, item(code)?, input)?.id);
    }
    let line = |i: usize, qty: &str| -> ServiceResult<LineRequest> {
        Ok(LineRequest {
            batch_id: batch_ids[i],
            qty: Quantity::parse_positive("qty", qty)?,
            out: None,
        })
    };

    let receipt = ledger::MovementRequest {
        warehouse_id: main.id,
        kind: MovementKind::Purchase,
        reason: "2026 年汛前物资储备采购（政府储备）".into(),
        emergency: false,
        counterpart_warehouse_id: None,
        lines: vec![
            line(0, "4500")?,
            line(1, "8000")?,
            line(2, "8")?,
            line(3, "3")?,
            line(4, "240")?,
            line(5, "60")?,
            line(6, "4")?,
            line(7, "120")?,
            line(8, "40")?,
            line(9, "300")?,
            line(10, "80")?,
            line(11, "150")?,
            line(12, "1200.5")?,
            line(13, "85.25")?,
        ],
        receipt: Receipt {
            supplier: "苏州市吴中区防汛物资供应站".into(),
            document_no: "SH-2026-0412".into(),
            received_on: Some(today(now, tz)),
        },
    };
    let r = ledger::record(conn, &keeper, now, cfg, receipt)?;
    ledger::countersign(conn, &keeper2, now, tz, r.movement.id)?;

    let emergency = ledger::MovementRequest {
        warehouse_id: main.id,
        kind: MovementKind::Use,
        reason: "东太湖大堤 K3+200 管涌抢险，现场先行调用".into(),
        emergency: true,
        counterpart_warehouse_id: None,
        lines: vec![line(0, "300")?],
        receipt: Receipt::default(),
    };
    ledger::record(conn, &keeper, now, cfg, emergency)?;

    let transfer = ledger::MovementRequest {
        warehouse_id: main.id,
        kind: MovementKind::TransferOut,
        reason: "按需调拨：滨湖街道安置点饮用水与帐篷".into(),
        emergency: false,
        counterpart_warehouse_id: Some(street.id),
        lines: vec![line(9, "60")?, line(8, "10")?, line(11, "30")?],
        receipt: Receipt::default(),
    };
    let t = ledger::record(conn, &keeper, now, cfg, transfer)?;
    ledger::countersign(conn, &head, now, tz, t.movement.id)?;
    // The street's keeper counts it in; the street's head gives the receipt its second signature.
    let on_road = transit::list(conn, &street_keeper, true)?;
    if let Some(c) = on_road.first() {
        let got = transit::receive(conn, &street_keeper, now, tz, c.consignment.id, "", &[], "")?;
        if let Some(receipt) = got.receipt {
            ledger::countersign(conn, &street_head, now, tz, receipt.movement.id)?;
        }
    }

    let donation = ledger::MovementRequest {
        warehouse_id: main.id,
        kind: MovementKind::Donation,
        reason: "苏州东太湖燃气有限公司捐赠应急照明灯".into(),
        emergency: false,
        counterpart_warehouse_id: None,
        lines: vec![line(7, "50")?],
        receipt: Receipt {
            supplier: "苏州东太湖燃气有限公司".into(),
            document_no: String::new(),
            received_on: None,
        },
    };
    ledger::record(conn, &keeper, now, cfg, donation)?;

    for (code, required) in [
        ("FX-SD-50", "5000"),
        ("FX-JSY-01", "200"),
        ("FX-SB-200", "10"),
        ("SH-KQS-01", "200"),
    ] {
        warehouses::set_norm(
            conn,
            &head,
            now,
            main.id,
            item(code)?,
            Quantity::parse("required", required)?,
        )?;
    }
    warehouses::set_norm(
        conn,
        &street_head,
        now,
        street.id,
        item("SH-KQS-01")?,
        Quantity::parse("required", "50")?,
    )?;

    // (batch, inspected days ago, result, findings): the pumps fall due this week.
    for (i, ago, result, findings) in [
        (2, 26, "ok", "汛前试机：启动、出水正常，更换机油"),
        (6, 3, "ok", "带载试运行 30 分钟，电压频率正常"),
        (3, 10, "needs_repair", "2 号艇船外机启动困难，已报厂家维修"),
    ] {
        let input = InspectionInput::parse(day - Duration::days(ago), result, findings)?;
        inspections::record(conn, &keeper, now, tz, main.id, batch_ids[i], input)?;
    }

    let st = stocktakes::open(conn, &street_keeper, now, street.id, true, "月度盘点")?;
    if let Some(first) = st.lines.first() {
        stocktakes::count(
            conn,
            &street_keeper,
            now,
            first.id,
            Quantity::parse("qty", "58")?,
        )?;
    }
    Ok(format!("demo reserves loaded: 2 warehouses, {} items, {} batches, 6 vouchers, a stocktake in progress, 3 inspections", ITEMS.len(), batches.len()))
}
