//! Hot paths of the reserves on SQLite (the embedded default): posting a movement, reading balances at
//! 10,000 and 1,000,000 ledger rows, verifying 1,000,000 movements, approving a 10,000-line stocktake.
//! Run: `cargo bench --bench ledger`. Large ledgers are seeded with bulk SQL but real chain hashes, so
//! verification does all its work. The 1M database is kept at target/bench-ledger.db for
//! `standby ledger verify` timing.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use diesel::RunQueryDsl;
use standby::db::{self, Backend, DbConn, Pool};
use standby::inventory::model::{
    chain_hash, ChainEntry, Line, LineRequest, MovementKind, Quantity, WarehouseInput,
};
use standby::inventory::service::{ledger, stocktakes, verify, warehouses};
use standby::inventory::store::{catalogue as cat_store, warehouses as wh_store};
use standby::org::model::{Actor, Grant, NewAccount, Password, PersonPatch, Role, UnitPatch};
use standby::org::service::{accounts, auth, people, units};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

struct Fixture {
    pool: Pool,
    keeper: Actor,
    head: Actor,
    unit: i64,
    person: i64,
    item: i64,
    config: standby::config::Config,
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0)
        .single()
        .unwrap()
}

fn fixture(path: &str) -> Fixture {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let pool = db::connect(&Backend::Sqlite(path.into()), 4).unwrap();
    let c = &mut pool.get().unwrap();
    db::migrate(c).unwrap();
    let system = Actor::system();
    let unit = units::create(
        c,
        &system,
        now(),
        UnitPatch::parse(
            Some("建设局"),
            Some(standby::org::model::UnitKind::Department),
            Some(None),
            None,
            None,
            None,
        )
        .unwrap(),
    )
    .unwrap()
    .id;
    let person = people::create(
        c,
        &system,
        now(),
        PersonPatch::parse(Some(unit), Some("蒋国平"), None, None, None, None).unwrap(),
    )
    .unwrap()
    .id;
    for (name, role) in [("keeper", Role::WarehouseKeeper), ("head", Role::UnitHead)] {
        let new = NewAccount {
            username: name.into(),
            password: Password::parse("bench password", name).unwrap(),
            person_id: None,
            language: standby::i18n::Lang::Zh,
            grants: vec![Grant {
                role,
                unit_id: Some(unit),
            }],
        };
        accounts::create(c, None, now(), new).unwrap();
    }
    let keeper = auth::actor_by_username(c, "keeper").unwrap();
    let head = auth::actor_by_username(c, "head").unwrap();
    let input = standby::inventory::model::ItemInput::parse(
        "SD",
        "防汛沙袋",
        "",
        "条",
        "3",
        None,
        false,
        Some("3.50"),
    )
    .unwrap()
    // Issued in thousandths below, so the bench's sandbags go by weight.
    .divisible(Some(true))
    .unwrap();
    let item = standby::inventory::service::catalogue::add_item(c, &keeper, now(), input)
        .unwrap()
        .id;
    Fixture {
        config: standby::config::Config::from_vars(Vec::new()).unwrap(),
        pool,
        keeper,
        head,
        unit,
        person,
        item,
    }
}

fn warehouse(f: &Fixture, name: &str) -> i64 {
    let c = &mut f.pool.get().unwrap();
    warehouses::create(
        c,
        &f.head,
        now(),
        WarehouseInput::parse(f.unit, name, "", 90, vec![f.person]).unwrap(),
    )
    .unwrap()
    .warehouse
    .id
}

fn batches(f: &Fixture, prefix: &str, n: usize) -> Vec<i64> {
    let c = &mut f.pool.get().unwrap();
    db::write_tx(c, |c| {
        (0..n)
            .map(|i| {
                let b = standby::inventory::model::BatchInput::parse(
                    &format!("{prefix}{i}"),
                    "",
                    None,
                    None,
                    standby::inventory::model::Ownership::Government,
                    None,
                )
                .unwrap();
                cat_store::insert_batch(c, f.item, &b, db::db_time(now())).map(|b| b.id)
            })
            .collect::<Result<Vec<_>, db::WriteError>>()
    })
    .unwrap()
}

/// Appends `n` posted receipts of 1 unit each to `batch` in `warehouse`, with real chain hashes, in bulk.
fn seed_ledger(f: &Fixture, warehouse: i64, batch: i64, n: i64) {
    let c = &mut f.pool.get().unwrap();
    let at = db::db_time(now());
    let at_sql = at.format("%Y-%m-%d %H:%M:%S").to_string();
    db::write_tx(c, |c: &mut DbConn| -> Result<(), diesel::result::Error> {
        let (mut seq, mut prev) = {
            let w = wh_store::find(c, warehouse)?.unwrap();
            (w.chain_seq, w.chain_head)
        };
        let first_id: i64 = diesel::sql_query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM movements").get_result::<Count>(c)?.n;
        let mut chunk_m = Vec::new();
        let mut chunk_l = Vec::new();
        for id in first_id..first_id + n {
            seq += 1;
            let voucher = format!("RK-2026-B{warehouse}-{seq:07}");
            let lines = [Line { item_id: f.item, batch_id: batch, qty: Quantity::units(1) }];
            let hash = chain_hash(&prev, &ChainEntry { warehouse_id: warehouse, seq, kind: "purchase", voucher_no: &voucher, posted_at: at, lines: &lines });
            chunk_m.push(format!(
                "({id},{warehouse},{},'purchase','{voucher}','','posted',FALSE,{},'{at_sql}',{},'{at_sql}','{at_sql}',{seq},'{prev}','{hash}')",
                f.unit, f.keeper.account_id, f.head.account_id
            ));
            chunk_l.push(format!("({id},{},{batch},1000)", f.item));
                        prev = hash;
            if chunk_m.len() == 500 {
                flush(c, &mut chunk_m, &mut chunk_l)?;
            }
        }
        flush(c, &mut chunk_m, &mut chunk_l)?;
        diesel::sql_query(format!("UPDATE warehouses SET chain_seq = {seq}, chain_head = '{prev}' WHERE id = {warehouse}")).execute(c)?;
        diesel::sql_query(format!(
            "INSERT INTO balances (warehouse_id, batch_id, item_id, qty) VALUES ({warehouse},{batch},{},{}) \
             ON CONFLICT (warehouse_id, batch_id) DO UPDATE SET qty = balances.qty + excluded.qty",
            f.item,
            n * 1000
        ))
        .execute(c)?;
        Ok(())
    })
    .unwrap();
}

/// Appends one posted receipt with a line of `qty` for each batch, with its real chain hash, in bulk.
fn seed_voucher(f: &Fixture, warehouse: i64, batches: &[i64], qty: Quantity) {
    let c = &mut f.pool.get().unwrap();
    let at = db::db_time(now());
    let at_sql = at.format("%Y-%m-%d %H:%M:%S").to_string();
    db::write_tx(c, |c: &mut DbConn| -> Result<(), diesel::result::Error> {
        let w = wh_store::find(c, warehouse)?.unwrap();
        let (seq, prev) = (w.chain_seq + 1, w.chain_head);
        let id: i64 = diesel::sql_query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM movements").get_result::<Count>(c)?.n;
        let voucher = format!("RK-2026-V{warehouse}");
        let lines: Vec<Line> = batches.iter().map(|b| Line { item_id: f.item, batch_id: *b, qty }).collect();
        let hash = chain_hash(&prev, &ChainEntry { warehouse_id: warehouse, seq, kind: "purchase", voucher_no: &voucher, posted_at: at, lines: &lines });
        diesel::sql_query(format!(
            "INSERT INTO movements (id, warehouse_id, unit_id, kind, voucher_no, reason, state, emergency, created_by, created_at, \
             countersigned_by, countersigned_at, posted_at, seq, prev_hash, hash) VALUES \
             ({id},{warehouse},{},'purchase','{voucher}','','posted',FALSE,{},'{at_sql}',{},'{at_sql}','{at_sql}',{seq},'{prev}','{hash}')",
            f.unit, f.keeper.account_id, f.head.account_id
        ))
        .execute(c)?;
        for chunk in batches.chunks(500) {
            let values: Vec<String> = chunk.iter().map(|b| format!("({id},{},{b},{})", f.item, qty.milli())).collect();
            diesel::sql_query(format!("INSERT INTO movement_lines (movement_id, item_id, batch_id, qty) VALUES {}", values.join(","))).execute(c)?;
            let values: Vec<String> = chunk.iter().map(|b| format!("({warehouse},{b},{},{})", f.item, qty.milli())).collect();
            diesel::sql_query(format!("INSERT INTO balances (warehouse_id, batch_id, item_id, qty) VALUES {}", values.join(","))).execute(c)?;
        }
        diesel::sql_query(format!("UPDATE warehouses SET chain_seq = {seq}, chain_head = '{hash}' WHERE id = {warehouse}")).execute(c)?;
        Ok(())
    })
    .unwrap();
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn flush(
    c: &mut DbConn,
    m: &mut Vec<String>,
    l: &mut Vec<String>,
) -> Result<(), diesel::result::Error> {
    if m.is_empty() {
        return Ok(());
    }
    diesel::sql_query(format!(
        "INSERT INTO movements (id, warehouse_id, unit_id, kind, voucher_no, reason, state, emergency, created_by, created_at, \
         countersigned_by, countersigned_at, posted_at, seq, prev_hash, hash) VALUES {}",
        m.join(",")
    ))
    .execute(c)?;
    diesel::sql_query(format!(
        "INSERT INTO movement_lines (movement_id, item_id, batch_id, qty) VALUES {}",
        l.join(",")
    ))
    .execute(c)?;
    m.clear();
    l.clear();
    Ok(())
}

fn benches(c: &mut Criterion) {
    let path = format!("{}/target/bench-ledger.db", env!("CARGO_MANIFEST_DIR"));
    let f = fixture(&path);

    // Posting: an emergency issue is one use case that posts at once (balance, chain, audit).
    let hot = warehouse(&f, "过账库");
    let hot_batch = batches(&f, "HOT", 1)[0];
    seed_ledger(&f, hot, hot_batch, 1_000_000 / 1000); // stock to issue from
    let mut g = c.benchmark_group("post_movement");
    g.bench_function("emergency_issue_sqlite", |b| {
        let conn = &mut f.pool.get().unwrap();
        b.iter(|| {
            let req = ledger::MovementRequest {
                warehouse_id: hot,
                kind: MovementKind::Use,
                reason: "bench".into(),
                emergency: true,
                counterpart_warehouse_id: None,
                lines: vec![LineRequest {
                    batch_id: hot_batch,
                    qty: Quantity::from_milli(1),
                    out: None,
                }],
                receipt: Default::default(),
            };
            ledger::record(conn, &f.keeper, now(), &f.config, req).unwrap()
        })
    });
    g.finish();

    // Reading a balance must not depend on the length of the ledger.
    let small = warehouse(&f, "一万行库");
    let big = warehouse(&f, "百万行库");
    let small_batch = batches(&f, "S", 1)[0];
    let big_batch = batches(&f, "B", 1)[0];
    seed_ledger(&f, small, small_batch, 10_000);
    let started = std::time::Instant::now();
    seed_ledger(&f, big, big_batch, 1_000_000);
    eprintln!(
        "seeded 1,000,000 movements in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let mut g = c.benchmark_group("read_balance");
    for (label, w, b) in [
        ("10k_ledger_rows", small, small_batch),
        ("1M_ledger_rows", big, big_batch),
    ] {
        g.bench_function(label, |bench| {
            let conn = &mut f.pool.get().unwrap();
            bench.iter(|| standby::inventory::store::ledger::balance(conn, w, b).unwrap())
        });
        g.bench_function(format!("warehouse_stock_{label}"), |bench| {
            let conn = &mut f.pool.get().unwrap();
            bench.iter(|| standby::inventory::store::ledger::stock(conn, w, None, None).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("verify");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    g.bench_function("1M_movements", |bench| {
        let conn = &mut f.pool.get().unwrap();
        let w = wh_store::find(conn, big).unwrap().unwrap();
        bench.iter(|| {
            let report = verify::verify(conn, std::slice::from_ref(&w)).unwrap();
            assert!(report.ok() && report.movements == 1_000_000);
        })
    });
    g.finish();

    // Approving a 10,000-line stocktake: every line counted one short, so 10,000 loss lines post.
    let st_w = warehouse(&f, "盘点库");
    let st_batches = batches(&f, "ST", 10_000);
    seed_voucher(&f, st_w, &st_batches, Quantity::units(1000));
    let mut g = c.benchmark_group("stocktake");
    g.sample_size(10).measurement_time(Duration::from_secs(60));
    g.bench_function("approve_10000_lines", |bench| {
        bench.iter_batched(
            || {
                let conn = &mut f.pool.get().unwrap();
                let st = stocktakes::open(conn, &f.keeper, now(), st_w, false, "").unwrap();
                db::write_tx(conn, |c| {
                    for l in &st.lines {
                        let book = l.book.map_or(0, |q| q.milli());
                        standby::inventory::store::stocktakes::add_count(
                            c,
                            l.id,
                            f.keeper.account_id,
                            book - 1000,
                            book,
                            db::db_time(now()),
                        )?;
                        standby::inventory::store::stocktakes::set_reason(
                            c,
                            l.id,
                            Some(standby::inventory::model::VarianceReason::Lost),
                            "",
                        )?;
                    }
                    Ok::<_, diesel::result::Error>(())
                })
                .unwrap();
                st.stocktake.id
            },
            |id| {
                let conn = &mut f.pool.get().unwrap();
                stocktakes::approve(conn, &f.head, now(), TZ, id).unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(hwm) = status.lines().find(|l| l.starts_with("VmHWM")) {
        eprintln!("peak memory of the benchmark process: {hwm}");
    }
}

criterion_group!(ledger_benches, benches);
criterion_main!(ledger_benches);
