//! Server time of allocation on SQLite (the embedded default) at district scale: the sourcing view for an
//! item held in 200 warehouses (usable stock, counts, custodians, distance), and the whole path of one line —
//! ask, both decisions, reserve, dispatch, count in — as throughput. Run: `cargo bench --bench allocation`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use standby::allocation::model::{LineAsk, Priority, RequestKind};
use standby::allocation::service::asking::{self, RequestInput};
use standby::allocation::service::deciding::{self, DecisionInput};
use standby::allocation::service::fulfil::{self, SendLine};
use standby::allocation::service::sourcing;
use standby::config::Config;
use standby::db::{self, Backend, Pool};
use standby::inventory::model::{
    BatchInput, ItemInput, LineRequest, MovementKind, Ownership, Quantity, WarehouseInput,
};
use standby::inventory::service::{catalogue, ledger, warehouses};
use standby::inventory::store::ledger::Receipt;
use standby::org::model::{
    Actor, Grant, NewAccount, Password, PersonPatch, Role, UnitKind, UnitPatch,
};
use standby::org::service::{accounts, auth, people, units};

const WAREHOUSES: usize = 200;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0)
        .single()
        .unwrap()
}

fn account(c: &mut db::DbConn, name: &str) -> Actor {
    let new = NewAccount {
        username: name.into(),
        password: Password::parse("bench password", name).unwrap(),
        person_id: None,
        language: standby::i18n::Lang::Zh,
        grants: vec![Grant {
            role: Role::Administrator,
            unit_id: None,
        }],
    };
    accounts::create(c, None, now(), new).unwrap();
    auth::actor_by_username(c, name).unwrap()
}

/// 20 units with 10 warehouses each (coordinates around 吴江), each holding 1,000,000 sandbags of its own
/// batch (one in ten partly reserved); two administrators who take turns signing.
fn fixture(path: &str, cfg: &Config) -> (Pool, Actor, Actor, i64, Vec<i64>) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let pool = db::connect(&Backend::Sqlite(path.into()), 4).unwrap();
    let c = &mut pool.get().unwrap();
    db::migrate(c).unwrap();
    let (one, two) = (account(c, "admin1"), account(c, "admin2"));
    let item = ItemInput::parse(
        "FX-SD-50",
        "防汛沙袋",
        "50kg",
        "条",
        "3",
        None,
        false,
        Some("12.5"),
    )
    .unwrap();
    let item = catalogue::add_item(c, &one, now(), item).unwrap().id;
    let mut ids = Vec::new();
    for u in 0..20 {
        let patch = UnitPatch::parse(
            Some(&format!("街道{u:02}")),
            Some(UnitKind::Street),
            Some(None),
            None,
            None,
            None,
        )
        .unwrap();
        let unit = units::create(c, &one, now(), patch).unwrap().id;
        let person = PersonPatch::parse(
            Some(unit),
            Some(&format!("保管员{u:02}")),
            None,
            Some("13800000000"),
            None,
            None,
        )
        .unwrap();
        let keeper = people::create(c, &one, now(), person).unwrap().id;
        for w in 0..WAREHOUSES / 20 {
            let n = u * (WAREHOUSES / 20) + w;
            let input = WarehouseInput::parse(unit, &format!("储备点{n:03}"), "", 90, vec![keeper])
                .unwrap()
                .at(&format!(
                    "{}, {}",
                    31.0 + n as f64 / 500.0,
                    120.5 + (n % 17) as f64 / 100.0
                ))
                .unwrap();
            let wh = warehouses::create(c, &one, now(), input)
                .unwrap()
                .warehouse
                .id;
            let batch = BatchInput::parse(
                &format!("SD-{n:03}"),
                "",
                None,
                None,
                Ownership::Government,
                None,
            )
            .unwrap();
            let batch = catalogue::add_batch(c, &one, now(), item, batch)
                .unwrap()
                .id;
            let receipt = ledger::MovementRequest {
                warehouse_id: wh,
                kind: MovementKind::Purchase,
                reason: "汛前储备".into(),
                emergency: false,
                counterpart_warehouse_id: None,
                lines: vec![LineRequest {
                    batch_id: batch,
                    qty: Quantity::units(1_000_000),
                    out: None,
                }],
                receipt: Receipt::default(),
            };
            let m = ledger::record(c, &one, now(), cfg, receipt).unwrap();
            ledger::countersign(c, &two, now(), cfg.timezone, m.movement.id).unwrap();
            ids.push(wh);
        }
    }
    (pool, one, two, item, ids)
}

fn bench(b: &mut Criterion) {
    let cfg = Config::from_vars(Vec::new()).unwrap();
    let (pool, one, two, item, whs) = fixture("target/bench-allocation.db", &cfg);
    let conn = &mut pool.get().unwrap();
    let today = now().date_naive();
    let mut g = b.benchmark_group("allocation (200 warehouses)");
    g.measurement_time(Duration::from_secs(8)).sample_size(30);
    g.bench_function("sourcing view of an item held in 200 warehouses", |b| {
        b.iter(|| sourcing::sourcing(conn, &one, item, Some(whs[0]), today).unwrap())
    });
    let (from, to) = (whs[1], whs[199]);
    let unit = standby::inventory::store::warehouses::find(conn, to)
        .unwrap()
        .unwrap()
        .unit_id;
    g.bench_function(
        "one line asked, decided twice, reserved, sent and counted in",
        |b| {
            b.iter(|| {
                let ask = RequestInput {
                    kind: RequestKind::Transfer,
                    unit_id: unit,
                    to_warehouse_id: to,
                    priority: Priority::Urgent,
                    needed_by: now() + chrono::Duration::hours(4),
                    purpose: "基准测试".into(),
                    return_due: None,
                    lines: vec![LineAsk {
                        item_id: item,
                        qty: Quantity::units(10),
                        from_warehouse_id: Some(from),
                    }],
                };
                let v = asking::create(conn, &one, now(), &cfg, ask).unwrap();
                let (id, line) = (v.request.id, v.lines[0].id);
                let all = [DecisionInput {
                    line_id: line,
                    qty: Quantity::units(10),
                    reason: String::new(),
                }];
                deciding::decide(conn, &one, now(), cfg.timezone, id, &all).unwrap();
                deciding::decide(conn, &one, now(), cfg.timezone, id, &all).unwrap();
                fulfil::reserve(conn, &two, now(), cfg.timezone, id, None).unwrap();
                let sent = fulfil::dispatch(
                    conn,
                    &two,
                    now(),
                    &cfg,
                    id,
                    from,
                    &[SendLine {
                        line_id: line,
                        qty: Quantity::units(10),
                    }],
                    "",
                )
                .unwrap();
                let cid = sent.consignments[0].consignment.id;
                fulfil::receive(conn, &two, now(), cfg.timezone, id, cid, &[], "").unwrap()
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
