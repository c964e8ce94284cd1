//! The `standby` command itself: configuration errors, `migrate`, `user add`, `job`.

use std::process::Command;

use crate::helpers::spawn_app;

fn standby() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_standby"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("STANDBY_LOG", "error");
    c
}

#[test]
fn bad_configuration_stops_start_up_naming_the_variable() {
    let dir = std::env::temp_dir().join(format!("standby_cli_{}", std::process::id()));
    let cases = [
        ("STANDBY_TIMEZONE", "Mars/Olympus"),
        ("STANDBY_BIND", "not-an-address"),
        ("STANDBY_DATABASE_URL", "mysql://localhost/x"),
        ("STANDBY_SECRET", "too short"),
        ("STANDBY_SMTP_URL", "smtp//mail.example.com:587"),
        ("STANDBY_JOB_DIGEST", "0 8 * * *"),
    ];
    for (var, value) in cases {
        let out = standby()
            .current_dir(std::env::temp_dir())
            .env(var, value)
            .arg("serve")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}={value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(var), "{var}: {err}");
    }
    assert!(!dir.exists());
}

#[test]
fn an_unreachable_postgres_url_fails_without_creating_a_sqlite_file() {
    let dir = std::env::temp_dir().join(format!("standby_cli_pg_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = standby()
        .current_dir(&dir)
        .env(
            "STANDBY_DATABASE_URL",
            "postgres://nobody@127.0.0.1:1/nothing",
        )
        .env("STANDBY_DATA_DIR", dir.join("data"))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("STANDBY_DATABASE_URL") || err.contains("PostgreSQL"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        left.iter().all(|n| n != "standby.db"),
        "no SQLite file may appear: {left:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn user_add_creates_an_account_that_can_sign_in() {
    let app = spawn_app();
    let out = standby()
        .env("STANDBY_DATABASE_URL", &app.database_url)
        .env("STANDBY_DATA_DIR", &app.data_dir)
        .args([
            "user",
            "add",
            "dutyleader",
            "--password",
            "from the command line",
            "--role",
            "duty_leader",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = app.token("dutyleader", "from the command line");
    let me = app.get("/api/v1/me", &token).json();
    assert_eq!(me["roles"][0]["role"], "duty_leader");

    let dup = standby()
        .env("STANDBY_DATABASE_URL", &app.database_url)
        .env("STANDBY_DATA_DIR", &app.data_dir)
        .args([
            "user",
            "add",
            "dutyleader",
            "--password",
            "from the command line",
        ])
        .output()
        .unwrap();
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already taken"));

    let admin = app.admin_token();
    let audit = app
        .get("/api/v1/audit?entity=account&action=create", &admin)
        .json();
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["actor_name"] == "system" && r["after"]["username"] == "dutyleader"));
}

#[test]
fn migrate_is_idempotent() {
    let app = spawn_app();
    for _ in 0..2 {
        let out = standby()
            .env("STANDBY_DATABASE_URL", &app.database_url)
            .arg("migrate")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("applied 0 migration(s)"));
    }
}

/// The demo loads on whatever day someone first tries the service: the office's first hour of a month
/// (its roster runs into the next year before the calendar holds that year), New Year's Eve, the end of a
/// short February, midsummer and the last day of a quarter.
#[test]
fn the_demo_loads_whatever_the_day() {
    use chrono::{TimeZone, Utc};
    let instants = [
        (2026, 11, 30, 16), // 1 December, 00:30 in Shanghai
        (2026, 12, 31, 15),
        (2027, 2, 28, 16),
        (2027, 6, 15, 2),
        (2027, 9, 30, 17),
    ];
    for (y, m, d, h) in instants {
        let app = spawn_app();
        let now = Utc.with_ymd_and_hms(y, m, d, h, 30, 0).unwrap();
        let (state, cfg) = (app.state.clone(), app.state.config.clone());
        let loaded =
            app.block_on(async move { state.db(move |c| standby::demo::load(c, now, &cfg)).await });
        assert!(loaded.is_ok(), "the demo at {now}: {loaded:?}");
    }
}

#[test]
fn the_demo_district_loads_once_and_its_accounts_work() {
    let app = spawn_app();
    let run = || {
        standby()
            .env("STANDBY_DATABASE_URL", &app.database_url)
            .env("STANDBY_DATA_DIR", &app.data_dir)
            .arg("demo")
            .output()
            .unwrap()
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The command loaded the demo as of the real time; the service is looked at then too (leave, shifts and
    // deadlines are laid out around that day).
    app.clock.advance(chrono::Utc::now() - app.clock_now());
    let admin = app.admin_token();
    // The org's 15 units and the 8 departments and streets the circulars demo adds.
    assert_eq!(app.get("/api/v1/units", &admin).json()["total"], 23);
    let staff = app.token("shenlh", standby::org::demo::DEMO_PASSWORD);
    let sent = app.get("/api/v1/circulars?folder=sent", &staff).json();
    let t = &sent[0]["tally"];
    assert_eq!(
        (
            t["units"].as_i64(),
            t["acknowledged"].as_i64(),
            t["replied"].as_i64()
        ),
        (Some(15), Some(12), Some(9)),
        "the flood-season duty circular: {sent}"
    );
    assert_eq!(app.get("/api/v1/people", &admin).json()["total"], 45);
    let keeper = app.token("jianggp", standby::org::demo::DEMO_PASSWORD);
    let me = app.get("/api/v1/me", &keeper).json();
    assert_eq!(me["roles"][0]["role"], "warehouse_keeper");
    let units = app
        .get("/api/v1/units?q=%E5%BB%BA%E8%AE%BE%E5%B1%80", &admin)
        .json();
    assert_eq!(
        me["roles"][0]["unit_id"], units["items"][0]["id"],
        "the keeper is scoped to 建设局"
    );

    let reserves = app.get("/api/v1/warehouses", &admin).json();
    let named = |name: &str| {
        reserves
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {reserves}"))
            .clone()
    };
    assert_eq!(reserves.as_array().unwrap().len(), 3, "{reserves}");
    let (main, street) = (
        named("建设局东太湖防汛物资仓库"),
        named("滨湖街道应急物资储备点"),
    );
    assert_eq!(
        main["countersignature_owed"], 1,
        "the demo's emergency issue owes its signature: {main}"
    );
    assert!(
        main["open_stocktake"].is_null() && street["open_stocktake"].is_i64(),
        "the street point is being counted"
    );

    // Allocation: the street's request half on the road, the hotel's loan overdue, the office's order held.
    let requests = app.get("/api/v1/allocations", &admin).json();
    assert_eq!(requests.as_array().unwrap().len(), 3, "{requests}");
    // (Due back the day before the demo was loaded: overdue by the real clock, not the test's.)
    let loans = app.get("/api/v1/loans", &admin).json();
    assert_eq!(
        (
            loans[0]["unit"].clone(),
            loans[0]["lines"][0]["received"].clone()
        ),
        (
            serde_json::json!("东太湖温泉大酒店"),
            serde_json::json!("1")
        ),
        "{loans}"
    );
    assert_eq!(
        app.get("/api/v1/consignments", &admin)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let ledger = app.get("/api/v1/ledger/verify", &admin).json();
    assert!(
        ledger["differences"].as_array().unwrap().is_empty()
            && ledger["chain_breaks"].as_array().unwrap().is_empty(),
        "{ledger}"
    );

    // The readiness board tells its story: one team ready, one short, one that cannot turn out.
    let board = app.get("/api/v1/teams", &admin).json();
    let count = |state: &str| board["summary"][state].as_i64();
    assert_eq!(
        (count("ready"), count("short"), count("not_ready")),
        (Some(1), Some(1), Some(1)),
        "{board}"
    );
    let captain = app.token("fanyq", standby::org::demo::DEMO_PASSWORD);
    let waiting = app.get("/api/v1/leaves", &captain).json();
    assert_eq!(
        waiting.as_array().unwrap().len(),
        1,
        "a member's leave waits for the captain"
    );

    // Duty: the office's roster published this month and next, and the coming holiday (approved; its own
    // roster, or part of next month's when it falls then), 建设局's
    // day/night flood roster with its flood season, a swap waiting for approval.
    let rosters = app.get("/api/v1/duty/rosters", &admin).json();
    let names: Vec<&str> = rosters
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["东太湖度假区总值班", "建设局防汛值班"]);
    let office = app
        .get(
            &format!("/api/v1/duty/rosters/{}", rosters[0]["id"]),
            &admin,
        )
        .json();
    let plans = office["plans"].as_array().unwrap();
    assert!(
        plans.len() >= 2 && plans.iter().all(|p| p["state"] == "published"),
        "{plans:?}"
    );
    assert!(
        plans.iter().any(|p| p["holiday"] == true),
        "the coming holiday's roster: {plans:?}"
    );
    let flood = app
        .get(
            &format!("/api/v1/duty/rosters/{}", rosters[1]["id"]),
            &admin,
        )
        .json();
    assert_eq!(flood["periods"][0]["kind"], "flood");
    let changes = app
        .get(
            &format!("/api/v1/duty/changes?roster_id={}", rosters[0]["id"]),
            &admin,
        )
        .json();
    assert_eq!(
        changes[0]["state"], "agreed",
        "a swap waits for approval: {changes}"
    );

    let again = run();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already loaded"));
}

#[test]
fn ledger_verify_passes_on_clean_books_and_fails_on_tampering() {
    use diesel::RunQueryDsl;
    let app = spawn_app();
    let verify = || {
        standby()
            .env("STANDBY_DATABASE_URL", &app.database_url)
            .env("STANDBY_DATA_DIR", &app.data_dir)
            .args(["ledger", "verify"])
            .output()
            .unwrap()
    };
    let out = standby()
        .env("STANDBY_DATABASE_URL", &app.database_url)
        .env("STANDBY_DATA_DIR", &app.data_dir)
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ok = verify();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stderr).contains("the books match"));

    let mut conn = app.state.pool.get().unwrap();
    diesel::sql_query("UPDATE balances SET qty = qty + 1000 WHERE batch_id = (SELECT MIN(batch_id) FROM balances)").execute(&mut *conn).unwrap();
    let bad = verify();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("BALANCE"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn a_job_runs_once_from_the_command_line_and_an_unknown_one_is_refused() {
    let app = spawn_app();
    let run = |name: &str| {
        standby()
            .env("STANDBY_DATABASE_URL", &app.database_url)
            .env("STANDBY_DATA_DIR", &app.data_dir)
            .env("STANDBY_MAIL_TRANSPORT", "memory")
            .args(["job", name, "--at", "2026-11-29T00:00:00Z"])
            .output()
            .unwrap()
    };
    let ok = run("digest");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stderr).contains("digest: 0"));
    let bad = run("nap");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no job `nap`"));
}

/// A backup taken while receipts and emergency issues are being posted restores to a database whose every
/// ledger and balance verifies, holding what had been committed when it was taken.
#[test]
fn a_backup_taken_under_write_load_restores_and_verifies() {
    use serde_json::json;
    let app = spawn_app();
    let r = crate::notify::setup(&app).r; // people and the unit with addresses
    crate::inventory::receive(&app, &r, r.sandbag_batch, "100000");
    let backup = std::env::temp_dir().join(format!("standby_backup_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&backup);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let posted = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let m = crate::inventory::movement(
                        &app,
                        &r.keeper,
                        r.warehouse,
                        "use",
                        json!([{"batch_id": r.sandbag_batch, "qty": "1"}]),
                        json!({"emergency": true}),
                    );
                    assert_eq!(m.status, 201, "{}", m.text);
                    posted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        let taken = match app.database_url.strip_prefix("sqlite://") {
            Some(_) => {
                let mut conn = app.state.pool.get().unwrap();
                standby::db::backup(&mut conn, &backup)
            }
            None => {
                let mut conn = app.state.pool.get().unwrap();
                let refused = standby::db::backup(&mut conn, &backup).unwrap_err();
                assert!(refused.to_string().contains("pg_dump"), "{refused}");
                Ok(())
            }
        };
        std::thread::sleep(std::time::Duration::from_millis(300));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        taken.unwrap();
    });
    if !app.database_url.starts_with("sqlite://") {
        return; // PostgreSQL: pg_dump, exercised by the README's procedure, not by this suite.
    }
    let posted = posted.into_inner();
    assert!(posted > 10, "the writers were busy: {posted}");
    // Restore: the copy is a database file a fresh instance starts on.
    let out = standby()
        .env(
            "STANDBY_DATABASE_URL",
            format!("sqlite://{}", backup.display()),
        )
        .env("STANDBY_DATA_DIR", std::env::temp_dir())
        .args(["ledger", "verify"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("every chain holds"), "{said}");
    let movements: usize = said
        .split(" warehouse(s), ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        movements >= 2 && movements <= 2 + posted,
        "a snapshot of what was committed: {movements} of {} movements",
        2 + posted
    );
    let again = standby()
        .env("STANDBY_DATABASE_URL", app.database_url.clone())
        .env("STANDBY_DATA_DIR", std::env::temp_dir())
        .arg("backup")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
    let _ = std::fs::remove_file(&backup);
}

#[test]
fn the_audit_trail_outlives_housekeeping() {
    let app = spawn_app();
    let admin = app.admin_token();
    app.create_unit(&admin, "区安委办", "office", None);
    let before = app.audit_count(&admin);
    app.clock.advance(chrono::Duration::days(400));
    let report = app
        .block_on(standby::app::prune(&app.state, app.clock_now()))
        .unwrap();
    assert_eq!(report.failures, 0);
    let admin = app.admin_token();
    assert!(
        app.audit_count(&admin) > before,
        "nothing pruned, a year on (the sign-in adds one)"
    );
}

fn signs_in(database_url: &str, username: &str, password: &str) -> bool {
    let pool =
        standby::db::connect(&standby::db::Backend::from_url(database_url).unwrap(), 1).unwrap();
    let throttle = standby::org::model::Throttle::default();
    standby::org::service::auth::sign_in(
        &mut pool.get().unwrap(),
        chrono::Utc::now(),
        username,
        password,
        "127.0.0.1",
        &throttle,
    )
    .is_ok()
}

#[test]
fn the_demo_on_an_empty_database_tells_the_administrators_password_and_a_reset_works() {
    let dir = std::env::temp_dir().join(format!("standby_cli_demo_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("standby.db").display());
    let out = standby()
        .env("STANDBY_DATABASE_URL", &url)
        .env("STANDBY_DATA_DIR", dir.join("data"))
        .arg("demo")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    let password = err
        .split("username admin, password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("the password is printed: {err}"));
    assert!(
        signs_in(&url, "admin", password),
        "the printed password works"
    );

    let reset = standby()
        .env("STANDBY_DATABASE_URL", &url)
        .env("STANDBY_DATA_DIR", dir.join("data"))
        .args([
            "user",
            "password",
            "admin",
            "--password",
            "a new one for admin",
        ])
        .output()
        .unwrap();
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert!(signs_in(&url, "admin", "a new one for admin"));
    assert!(
        !signs_in(&url, "admin", password),
        "the old one no longer works"
    );
    let unknown = standby()
        .env("STANDBY_DATABASE_URL", &url)
        .args(["user", "password", "nobody", "--password", "whatever it is"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn links_made_by_the_command_line_use_the_base_url_the_service_runs_with() {
    let site = "https://standby.yjj.example.gov.cn";
    // The serving process is configured with the public address and records it.
    let app = crate::helpers::spawn_app_with(&[("STANDBY_BASE_URL", site)]);
    let r = crate::notify::setup(&app).r; // people and the unit with addresses
    let b = app.post(
        &format!("/api/v1/items/{}/batches", r.jackets),
        &r.keeper,
        serde_json::json!({"batch_no": "LJ-EXP", "ownership": "government", "expiry_date": "2026-12-20"}),
    );
    crate::inventory::receive(&app, &r, b.json()["id"].as_i64().unwrap(), "5");
    // A scan run by hand from the command line, which knows no STANDBY_BASE_URL of its own.
    let out = standby()
        .env("STANDBY_DATABASE_URL", &app.database_url)
        .env("STANDBY_DATA_DIR", &app.data_dir)
        .args(["job", "scan"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("STANDBY_BASE_URL is not set"), "{err}");
    let made = crate::notify::notices(&app, &r.admin, "kind=batch_expiry");
    assert!(!made.is_empty());
    for n in &made {
        assert!(n["link"].as_str().unwrap().starts_with(site), "{n}");
    }

    // With no public address set or recorded anywhere, the command line says links would lead nowhere.
    let bare = spawn_app();
    let out = standby()
        .env("STANDBY_DATABASE_URL", &bare.database_url)
        .env("STANDBY_DATA_DIR", &bare.data_dir)
        .args(["job", "scan"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("STANDBY_BASE_URL is not set"));
}
