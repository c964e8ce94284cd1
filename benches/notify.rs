//! Delivery under load: 10,000 due notices sent over SMTP to a local server (the test SMTP server, in
//! process) by the real delivery job on SQLite. Prints messages per second, the time from due to accepted
//! (p50/p99/max), the longest single delivery run against the delivery tick, and peak memory.
//! `cargo bench --bench notify` (`NOTICES=…`, `STANDBY_SMTP_POOL_SIZE=…` to vary).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/api/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use standby::notify::model::{Recipient, REQUESTED, TEST};
use standby::notify::render::TestMail;
use standby::notify::service::{enqueue_each, Outgoing};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and only checks that it builds.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n: usize = std::env::var("NOTICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let pool = std::env::var("STANDBY_SMTP_POOL_SIZE").unwrap_or_else(|_| "4".into());
    let server = smtp::SmtpServer::start();
    let dir = std::env::temp_dir().join(format!("standby-notify-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = standby::config::Config::from_vars(vec![
        ("STANDBY_DATA_DIR".into(), dir.display().to_string()),
        ("STANDBY_SMTP_URL".into(), server.url()),
        ("STANDBY_SMTP_POOL_SIZE".into(), pool.clone()),
        ("STANDBY_ADMIN_PASSWORD".into(), "bench-password-1".into()),
    ])
    .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (state, _) = rt
        .block_on(standby::app::prepare(
            config,
            Arc::new(standby::clock::SystemClock),
            false,
        ))
        .unwrap();

    let started = Instant::now();
    let now = Utc::now();
    let cfg = state.config.clone();
    let outs: Vec<Outgoing> = (0..n)
        .map(|i| Outgoing {
            kind: &TEST,
            key: format!("bench:{i}"),
            unit_id: None,
            path: "/notices".into(),
            people: Vec::new(),
            to_unit: false,
            addresses: vec![Recipient {
                address: format!("duty{i}@jsj.example.cn"),
                name: "值班员".into(),
                person_id: None,
                reason: &REQUESTED,
                lang: standby::i18n::Lang::Zh,
            }],
            content: Box::new(TestMail {
                unit: "区建设局".into(),
                by: "bench".into(),
                at: "2026-11-28 10:00".into(),
            }),
        })
        .collect();
    let created = rt
        .block_on(state.db(move |c| enqueue_each(c, &cfg, now, &outs)))
        .unwrap();
    let enqueue = started.elapsed();
    println!(
        "enqueued {created} notices in {:.2} s ({:.0}/s, rendered from templates)",
        enqueue.as_secs_f64(),
        created as f64 / enqueue.as_secs_f64()
    );

    // The scheduler's delivery tick, run back to back as ticks would fire until the queue is empty.
    let tick = 5.0;
    let started = Instant::now();
    let mut longest = 0.0_f64;
    let mut runs = 0;
    loop {
        let t = Instant::now();
        let report = rt
            .block_on(standby::notify::jobs::deliver(&state, Utc::now()))
            .unwrap();
        longest = longest.max(t.elapsed().as_secs_f64());
        runs += 1;
        if report.sent == 0 {
            break;
        }
    }
    let total = started.elapsed().as_secs_f64();
    let arrived = server.received().len();
    assert_eq!(arrived, n, "every notice arrived once");

    let mut latencies: Vec<f64> = rt
        .block_on(state.db(|c| {
            use diesel::prelude::*;
            use standby::db::schema::notices::dsl::*;
            Ok(notices
                .select((due_at, sent_at))
                .load::<(chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)>(c)?)
        }))
        .unwrap()
        .into_iter()
        .map(|(due, sent)| (sent.unwrap() - due).num_milliseconds() as f64 / 1000.0)
        .collect();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    println!(
        "delivered {arrived} over SMTP (pool {pool}) in {total:.2} s: {:.0} messages/s; {runs} runs, the longest {longest:.2} s (tick {tick} s)",
        arrived as f64 / total
    );
    println!(
        "due → accepted: p50 {:.2} s, p99 {:.2} s, max {:.2} s; peak RSS {:.0} MB (the in-process SMTP server keeps every message)",
        at(0.5),
        at(0.99),
        at(1.0),
        peak_rss_mb()
    );
    drop(state);
    let _ = std::fs::remove_dir_all(&dir);
}
