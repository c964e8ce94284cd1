//! The demo's allocations: 滨湖街道 asked 建设局 for 2,000 sandbags and 2 pumps against a flood warning
//! (approved, half sent and on the road); the hotel borrowed a generator that was due back yesterday; the
//! office ordered life jackets to 滨湖街道 at once (held, not yet sent).

use chrono::{DateTime, Duration, Utc};

use crate::allocation::model::{LineAsk, Priority, RequestKind};
use crate::allocation::service::asking::{self, RequestInput};
use crate::allocation::service::deciding::{self, DecisionInput};
use crate::allocation::service::fulfil::{self, SendLine};
use crate::allocation::service::RequestView;
use crate::clock::today;
use crate::config::Config;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{Quantity, WarehouseInput};
use crate::inventory::service::warehouses;
use crate::inventory::store::{catalogue as cat_store, warehouses as wh_store};
use crate::org::demo::{person_id, unit_id};
use crate::org::model::Actor;
use crate::org::service::auth::actor_by_username;

fn item(conn: &mut DbConn, code: &str) -> ServiceResult<i64> {
    cat_store::find_item_by_code(conn, code)?
        .map(|i| i.id)
        .ok_or_else(|| ServiceError::Internal(format!("demo item {code}")))
}

fn q(n: &str) -> ServiceResult<Quantity> {
    Quantity::parse_positive("qty", n)
}

/// Both heads approve every line in full (the requester's head, or office staff in its place).
fn approve_all(
    conn: &mut DbConn,
    heads: [&Actor; 2],
    now: DateTime<Utc>,
    cfg: &Config,
    v: &RequestView,
) -> ServiceResult<()> {
    for head in heads {
        let all: Vec<DecisionInput> = v
            .lines
            .iter()
            .map(|l| DecisionInput {
                line_id: l.id,
                qty: l.requested,
                reason: String::new(),
            })
            .collect();
        deciding::decide(conn, head, now, cfg.timezone, v.request.id, &all)?;
    }
    Ok(())
}

/// Loads the demo allocations (after the demo reserves). Returns a summary line.
pub fn load(conn: &mut DbConn, now: DateTime<Utc>, cfg: &Config) -> ServiceResult<String> {
    let tz = cfg.timezone;
    let keeper = actor_by_username(conn, "jianggp")?;
    let keeper2 = actor_by_username(conn, "macm")?;
    let head = actor_by_username(conn, "yaoj")?;
    let street_head = actor_by_username(conn, "sunlei")?;
    let street_keeper = actor_by_username(conn, "jinxd")?;
    let office = actor_by_username(conn, "shenlh")?;
    let hotel_keeper = actor_by_username(conn, "hanx")?;
    let by_name = |conn: &mut DbConn, name: &str| -> ServiceResult<i64> {
        wh_store::all(conn)?
            .into_iter()
            .find(|w| w.name == name)
            .map(|w| w.id)
            .ok_or_else(|| ServiceError::Internal(format!("demo warehouse {name}")))
    };
    let main = by_name(conn, "建设局东太湖防汛物资仓库")?;
    let street = by_name(conn, "滨湖街道应急物资储备点")?;
    let (binhu, hotel) = (
        unit_id(conn, "滨湖街道")?,
        unit_id(conn, "东太湖温泉大酒店")?,
    );
    let (sandbags, pumps) = (item(conn, "FX-SD-50")?, item(conn, "FX-SB-200")?);
    let (generator, jackets) = (item(conn, "DL-FDJ-30")?, item(conn, "FX-JSY-01")?);

    // The flood warning: asked this morning, approved, reserved, half of it on the road.
    let ask = RequestInput {
        kind: RequestKind::Transfer,
        unit_id: binhu,
        to_warehouse_id: street,
        priority: Priority::Urgent,
        needed_by: now + Duration::hours(4),
        purpose: "暴雨橙色预警：加固滨湖圩堤、低洼小区排涝".into(),
        return_due: None,
        lines: vec![
            LineAsk {
                item_id: sandbags,
                qty: q("2000")?,
                from_warehouse_id: Some(main),
            },
            LineAsk {
                item_id: pumps,
                qty: q("2")?,
                from_warehouse_id: Some(main),
            },
        ],
    };
    let v = asking::create(conn, &street_keeper, now, cfg, ask)?;
    approve_all(conn, [&street_head, &head], now, cfg, &v)?;
    fulfil::reserve(conn, &keeper, now, tz, v.request.id, None)?;
    let half: Vec<SendLine> = v
        .lines
        .iter()
        .map(|l| SendLine {
            line_id: l.id,
            qty: if l.item_id == sandbags {
                Quantity::units(1000)
            } else {
                Quantity::units(1)
            },
        })
        .collect();
    fulfil::dispatch(
        conn,
        &keeper,
        now,
        cfg,
        v.request.id,
        main,
        &half,
        "苏E·A1234 王建国 13806250123",
    )?;

    // The hotel's generator, lent ten days ago for a power cut and due back yesterday.
    let han = person_id(conn, "韩雪")?;
    let hotel_store = warehouses::create(
        conn,
        &Actor::system(),
        now,
        WarehouseInput::parse(
            hotel,
            "东太湖温泉大酒店应急物资点",
            "酒店地下车库 B2 设备间",
            90,
            vec![han],
        )?,
    )?
    .warehouse;
    let then = now - Duration::days(10);
    let loan = RequestInput {
        kind: RequestKind::Loan,
        unit_id: hotel,
        to_warehouse_id: hotel_store.id,
        priority: Priority::Urgent,
        needed_by: then + Duration::hours(3),
        purpose: "酒店配电房检修期间应急供电".into(),
        return_due: Some(today(now, tz) - Duration::days(1)),
        lines: vec![LineAsk {
            item_id: generator,
            qty: q("1")?,
            from_warehouse_id: Some(main),
        }],
    };
    let l = asking::create(conn, &hotel_keeper, then, cfg, loan)?;
    approve_all(conn, [&office, &head], then, cfg, &l)?;
    fulfil::reserve(conn, &keeper2, then, tz, l.request.id, None)?;
    let all: Vec<SendLine> = l
        .lines
        .iter()
        .map(|x| SendLine {
            line_id: x.id,
            qty: x.requested,
        })
        .collect();
    let sent = fulfil::dispatch(
        conn,
        &keeper2,
        then,
        cfg,
        l.request.id,
        main,
        &all,
        "酒店自提 韩雪",
    )?;
    if let Some(c) = sent.consignments.first() {
        let got = fulfil::receive(
            conn,
            &hotel_keeper,
            then,
            tz,
            l.request.id,
            c.consignment.id,
            &[],
            "",
        )?;
        let receipt = got
            .consignments
            .first()
            .and_then(|c| c.consignment.receipt_movement_id);
        // The hotel has one keeper: the administrator gave the receipt its second signature.
        if let (Some(receipt), Ok(admin)) = (receipt, actor_by_username(conn, "admin")) {
            crate::inventory::service::ledger::countersign(conn, &admin, then, tz, receipt)?;
        }
    }

    // The office's emergency order: life jackets to 滨湖街道 for the evacuation, held at once.
    let order = RequestInput {
        kind: RequestKind::Transfer,
        unit_id: binhu,
        to_warehouse_id: street,
        priority: Priority::Urgent,
        needed_by: now + Duration::hours(1),
        purpose: "太湖水位超警戒：滨湖街道转移安置群众（区防指调令）".into(),
        return_due: None,
        lines: vec![LineAsk {
            item_id: jackets,
            qty: q("100")?,
            from_warehouse_id: Some(main),
        }],
    };
    asking::order(conn, &office, now, cfg, order)?;
    Ok("demo allocations loaded: 滨湖街道's sandbags and pumps half on the road, the hotel's generator loan overdue, an emergency order for life jackets held; hotel keeper: hanx".into())
}
