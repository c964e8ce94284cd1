//! Server time of the duty area on SQLite (the embedded default) at district scale: 20 units, each with a
//! 24-hour roster of 3 leaders and 7 officers. Generating a year for all 20 (four quarters each, through the
//! service: read, fill fairly, store the draft), the gap scan over 90 days on all 20 published rosters, and
//! who is on duty now read afresh (a snapshot miss). Run: `cargo bench --bench duty`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use standby::config::Config;
use standby::db::{self, Backend, Pool};
use standby::duty::model::{DutyRole, RosterInput};
use standby::duty::service::now::{on_duty, NowCache};
use standby::duty::service::plans::{self, Step};
use standby::duty::service::{gaps, rosters};
use standby::org::model::{Actor, PersonPatch, UnitKind, UnitPatch};
use standby::org::service::{people, units};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
const UNITS: usize = 20;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0)
        .single()
        .unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn config() -> Config {
    Config::from_vars(Vec::new()).unwrap()
}

/// 20 units with a roster each, published for the next 90 days; returns the pool and the roster ids.
fn fixture(path: &str) -> (Pool, Vec<i64>) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let pool = db::connect(&Backend::Sqlite(path.into()), 4).unwrap();
    let c = &mut pool.get().unwrap();
    db::migrate(c).unwrap();
    let office = Actor::system();
    let cfg = config();
    let mut ids = Vec::new();
    for u in 0..UNITS {
        let patch = UnitPatch::parse(
            Some(&format!("单位{u:02}")),
            Some(UnitKind::Department),
            Some(None),
            None,
            None,
            None,
        )
        .unwrap();
        let unit = units::create(c, &office, now(), patch).unwrap().id;
        let mut places = Vec::new();
        for p in 0..10 {
            let patch = PersonPatch::parse(
                Some(unit),
                Some(&format!("值班{u:02}-{p}")),
                Some(""),
                Some(&format!("1380625{u:02}{p:02}")),
                Some(""),
                None,
            )
            .unwrap();
            let person = people::create(c, &office, now(), patch).unwrap().id;
            places.push((
                person,
                if p < 3 {
                    DutyRole::Leader
                } else {
                    DutyRole::Officer
                },
            ));
        }
        let input = RosterInput::parse(
            unit,
            &format!("单位{u:02}总值班"),
            "08:30",
            [(1, 1), (1, 1), (1, 2)],
            "0512-63980110",
            30,
            "",
            24,
        )
        .unwrap();
        let r = rosters::create(c, &office, now(), input).unwrap();
        rosters::set_eligible(c, &office, now(), r.id, rosters::Source::People(places)).unwrap();
        let plan = plans::generate(
            c,
            &office,
            now(),
            TZ,
            r.id,
            (day("2026-11-28"), day("2027-02-25")),
        )
        .unwrap();
        plans::step(c, &cfg, &office, now(), TZ, plan.plan.id, Step::Publish, "").unwrap();
        ids.push(r.id);
    }
    (pool, ids)
}

fn bench(c: &mut Criterion) {
    let (pool, ids) = fixture("target/bench-duty.db");
    let office = Actor::system();
    let cfg = config();
    let conn = &mut pool.get().unwrap();
    let mut g = c.benchmark_group("duty (20 units, 24-hour rosters of 10 people)");
    g.measurement_time(Duration::from_secs(10)).sample_size(10);
    let quarters = [
        ("2027-03-01", "2027-05-31"),
        ("2027-06-01", "2027-08-31"),
        ("2027-09-01", "2027-11-30"),
        ("2027-12-01", "2028-02-29"),
    ];
    g.bench_function("generate a year for 20 rosters (80 quarter drafts)", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let mut made = Vec::new();
                for r in &ids {
                    for (from, to) in quarters {
                        made.push(
                            plans::generate(conn, &office, now(), TZ, *r, (day(from), day(to)))
                                .unwrap()
                                .plan
                                .id,
                        );
                    }
                }
                spent += start.elapsed();
                for p in made {
                    plans::step(conn, &cfg, &office, now(), TZ, p, Step::Discard, "").unwrap();
                }
            }
            spent
        })
    });
    g.bench_function("gap scan over 90 days, 20 rosters", |b| {
        let all = standby::duty::store::rosters::all(conn).unwrap();
        b.iter(|| {
            for r in &all {
                gaps::findings(conn, r, now(), TZ, 90).unwrap();
            }
        })
    });
    g.bench_function("who is on duty now, read afresh (20 rosters)", |b| {
        b.iter(|| on_duty(conn, &NowCache::default(), &office, now(), None).unwrap())
    });
    let cache = NowCache::default();
    g.bench_function("who is on duty now, from the snapshot", |b| {
        b.iter(|| on_duty(conn, &cache, &office, now(), None).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
