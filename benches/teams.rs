//! Server time of the teams area's reads on SQLite (the embedded default) at district scale: the readiness
//! board and the search by capability over 200 teams and 5,000 members, each with certificates (some lapsed)
//! and some on leave, and one team's page. Run: `cargo bench --bench teams`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use standby::db::{self, Backend, Pool};
use standby::org::model::{
    Actor, Grant, NewAccount, Password, PersonPatch, Role, UnitKind, UnitPatch,
};
use standby::org::service::{accounts, auth, people, units};
use standby::teams::model::{
    CertificateInput, LeaveInput, LeaveKind, MemberInput, MemberRole, MemberStatus, TeamInput,
    TeamKind,
};
use standby::teams::service::{certificates, leaves, members, readiness, teams};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
const TEAMS: usize = 200;
const MEMBERS: usize = 25;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0)
        .single()
        .unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 200 teams of 25 members in 20 units; every member holds a water-rescue certificate (one in ten
/// lapsed) and one in twenty is on approved leave today.
fn fixture(path: &str) -> Pool {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let pool = db::connect(&Backend::Sqlite(path.into()), 4).unwrap();
    let c = &mut pool.get().unwrap();
    db::migrate(c).unwrap();
    let new = NewAccount {
        username: "office".into(),
        password: Password::parse("bench password", "office").unwrap(),
        person_id: None,
        language: standby::i18n::Lang::Zh,
        grants: vec![Grant {
            role: Role::OfficeStaff,
            unit_id: None,
        }],
    };
    accounts::create(c, None, now(), new).unwrap();
    // The office records everything (leave needs an account that asked for it).
    let system = auth::actor_by_username(c, "office").unwrap();
    for u in 0..20 {
        let patch = UnitPatch::parse(
            Some(&format!("救援单位{u:02}")),
            Some(UnitKind::RescueTeam),
            Some(None),
            None,
            None,
            None,
        )
        .unwrap();
        let unit = units::create(c, &system, now(), patch).unwrap().id;
        for t in 0..TEAMS / 20 {
            let n = u * (TEAMS / 20) + t;
            let input = TeamInput::parse(
                unit,
                &format!("救援队{n:03}"),
                TeamKind::Professional,
                "",
                (Some(31.0 + n as f64 / 1000.0), Some(120.6)),
                "0512-63981212",
                20,
                vec!["water_rescue".into(), "flood".into()],
            )
            .unwrap();
            let team = teams::create(c, &system, now(), input).unwrap().id;
            for m in 0..MEMBERS {
                let patch = PersonPatch::parse(
                    Some(unit),
                    Some(&format!("队员{n:03}-{m:02}")),
                    None,
                    Some(&format!("138{n:04}{m:04}")),
                    None,
                    None,
                )
                .unwrap();
                let person = people::create(c, &system, now(), patch).unwrap().id;
                let role = if m == 0 {
                    MemberRole::Captain
                } else {
                    MemberRole::Member
                };
                let member = MemberInput::parse(
                    person,
                    role,
                    day("2024-01-01"),
                    MemberStatus::InPost,
                    None,
                    None,
                    "",
                )
                .unwrap();
                members::add(c, &system, now(), team, member).unwrap();
                let expires = if m % 10 == 9 {
                    day("2026-10-01")
                } else {
                    day("2028-01-01")
                };
                let cert = CertificateInput::parse(
                    person,
                    "water_rescue",
                    &format!("SJ-{n:03}-{m:02}"),
                    "",
                    (day("2024-01-01"), Some(expires)),
                    day("2026-11-28"),
                )
                .unwrap();
                certificates::add(c, &system, now(), cert, None).unwrap();
                if m % 20 == 7 {
                    let leave = LeaveInput::parse(
                        person,
                        LeaveKind::Annual,
                        day("2026-11-27"),
                        day("2026-11-30"),
                        "",
                        day("2026-11-28"),
                    )
                    .unwrap();
                    let l = leaves::request(c, &system, now(), leave).unwrap();
                    leaves::decide(c, &system, now(), l.id, leaves::Decision::Approve, "").unwrap();
                }
            }
        }
    }
    pool
}

fn bench(c: &mut Criterion) {
    let pool = fixture("target/bench-teams.db");
    let office = Actor::system();
    let today = day("2026-11-28");
    let conn = &mut pool.get().unwrap();
    let mut g = c.benchmark_group("teams (200 teams, 5,000 members)");
    g.measurement_time(Duration::from_secs(8)).sample_size(30);
    g.bench_function("readiness board", |b| {
        b.iter(|| readiness::statuses(conn, &office, today).unwrap())
    });
    g.bench_function("search water_rescue near a point", |b| {
        b.iter(|| {
            readiness::search(
                conn,
                &office,
                today,
                "water_rescue",
                Some((31.1, 120.6)),
                false,
            )
            .unwrap()
        })
    });
    g.bench_function("one team's page", |b| {
        b.iter(|| teams::get(conn, &office, 100, now(), TZ).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
