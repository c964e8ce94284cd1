//! Server time of the district's drill compliance report on SQLite (the embedded default) at district scale:
//! 500 units (classified by sector), 2,000 plans of every level and frequency, and five years of evaluated
//! drills (some plans skipping periods, so some are overdue). Units and plans are made through the ordinary
//! services; the drills are written through the store in one transaction to keep the set-up short.
//! Run: `cargo bench --bench drills`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs
)]

use std::time::Duration;

use chrono::{Months, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use standby::config::Config;
use standby::db::{self, Backend, Pool};
use standby::drills::model::{
    DrillContent, DrillForm, DrillGrade, DrillSector, DrillState, EvaluationInput, PlanInput,
    PlanLevel, PlanRaw, SchemeInput, SchemeText,
};
use standby::drills::service::{compliance, registry};
use standby::drills::store::drills as drill_store;
use standby::error::ServiceError;
use standby::org::model::{Actor, Grant, NewAccount, Password, Role, UnitKind, UnitPatch};
use standby::org::service::{accounts, auth, units};

const UNITS: usize = 500;
const PLANS: usize = 2_000;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0)
        .single()
        .unwrap()
}

fn fixture(path: &str) -> (Pool, Actor, usize) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let pool = db::connect(&Backend::Sqlite(path.into()), 4).unwrap();
    let c = &mut pool.get().unwrap();
    db::migrate(c).unwrap();
    let new = NewAccount {
        username: "admin1".into(),
        password: Password::parse("bench password", "admin1").unwrap(),
        person_id: None,
        language: standby::i18n::Lang::Zh,
        grants: vec![Grant {
            role: Role::Administrator,
            unit_id: None,
        }],
    };
    accounts::create(c, None, now(), new).unwrap();
    let admin = auth::actor_by_username(c, "admin1").unwrap();
    let today = now().date_naive();
    let sectors = DrillSector::ALL;
    let mut unit_ids = Vec::new();
    for u in 0..UNITS {
        let kind = if u.is_multiple_of(10) {
            UnitKind::Department
        } else {
            UnitKind::Enterprise
        };
        let patch = UnitPatch::parse(
            Some(&format!("单位{u:03}")),
            Some(kind),
            Some(None),
            None,
            None,
            None,
        )
        .unwrap();
        let unit = units::create(c, &admin, now(), patch).unwrap().id;
        let sector = if kind == UnitKind::Department {
            DrillSector::Government
        } else {
            sectors[1 + u % (sectors.len() - 1)]
        };
        registry::set_profile(c, &admin, now(), unit, sector, None).unwrap();
        unit_ids.push(unit);
    }
    let levels = PlanLevel::ALL;
    let mut plans = Vec::new();
    for p in 0..PLANS {
        let unit = unit_ids[p % UNITS];
        let approved =
            NaiveDate::from_ymd_opt(2021, 1 + (p % 12) as u32, 1 + (p % 28) as u32).unwrap();
        let input = PlanInput::parse(
            unit,
            levels[p % levels.len()],
            approved,
            !p.is_multiple_of(3),
            PlanRaw {
                title: &format!("应急预案{p:04}"),
                version: "2021版",
                filing_no: &format!("备〔2021〕{p}号"),
                revision_months: Some(36),
                freq_months: None,
            },
            today,
        )
        .unwrap();
        let v = registry::create_plan(c, &admin, now(), today, chrono_tz::Asia::Shanghai, input)
            .unwrap();
        plans.push((v.plan.id, unit, approved, v.plan.freq_months as u32));
    }
    // Five years of drills: one per period, a period skipped now and then.
    let drills = db::write_tx(c, |c| -> Result<usize, ServiceError> {
        let mut n = 0;
        for (i, (plan, unit, approved, months)) in plans.iter().enumerate() {
            let mut k = 0;
            loop {
                let day = approved
                    .checked_add_months(Months::new(k * months + months / 2))
                    .unwrap();
                if day >= today {
                    break;
                }
                k += 1;
                if (i + k as usize).is_multiple_of(7) {
                    continue;
                }
                let start = Utc.from_utc_datetime(&day.and_hms_opt(1, 30, 0).unwrap());
                let scheme = SchemeInput::parse(
                    *plan,
                    None,
                    DrillContent::Comprehensive,
                    DrillForm::Live,
                    start,
                    start + chrono::Duration::hours(2),
                    SchemeText {
                        title: "综合演练",
                        scenario: "火灾疏散",
                        objectives: "10 分钟内疏散",
                        ..Default::default()
                    },
                    (Vec::new(), Vec::new()),
                )?;
                let d =
                    drill_store::insert(c, *unit, &scheme, admin.account_id, start.naive_utc())?;
                drill_store::set_state(
                    c,
                    d.id,
                    DrillState::Draft,
                    DrillState::Held,
                    start.naive_utc(),
                )?;
                let objective = drill_store::objectives(c, d.id)?[0].id;
                let e = EvaluationInput::parse(
                    DrillGrade::Good,
                    "",
                    "",
                    vec![(
                        objective,
                        standby::drills::model::ObjectiveResult::Met,
                        String::new(),
                    )],
                )?;
                drill_store::set_evaluation(c, d.id, &e, admin.account_id, start.naive_utc())?;
                n += 1;
            }
        }
        Ok(n)
    })
    .unwrap();
    (pool, admin, drills)
}

fn bench(b: &mut Criterion) {
    let cfg = Config::from_vars(Vec::new()).unwrap();
    let (pool, admin, drills) = fixture("target/bench-drills.db");
    let conn = &mut pool.get().unwrap();
    let day = now().date_naive();
    let r = compliance::report(conn, &admin, day, cfg.timezone, None).unwrap();
    println!(
        "{} units held to it, {} plans, {drills} evaluated drills; {} complying ({})",
        r.units_total,
        r.units.iter().map(|u| u.plans.len()).sum::<usize>(),
        r.units_complying,
        r.rate
    );
    let mut g = b.benchmark_group("drills (500 units, 2,000 plans, 5 years)");
    g.measurement_time(Duration::from_secs(8)).sample_size(30);
    g.bench_function("district compliance report", |b| {
        b.iter(|| compliance::report(conn, &admin, day, cfg.timezone, None).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
