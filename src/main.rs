//! The `standby` command: parse arguments, load configuration, hand over.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use standby::config::Config;

#[derive(Parser)]
#[command(
    name = "standby",
    version,
    about = "Emergency reserves, rescue teams, duty and drills for a district emergency office"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages, the API and the scheduler (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts from the command line.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load a realistic demo district (units, people, accounts, reserves) into an empty database.
    Demo,
    /// Ledger controls.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Copy the running SQLite database to a new file, consistently (PostgreSQL: use pg_dump, see the README).
    Backup {
        /// Where to write the copy (must not exist yet).
        path: std::path::PathBuf,
    },
    /// Run one scheduled job now, whatever its schedule: scan, deliver, digest, presence, verify or prune.
    Job {
        /// The job.
        name: String,
        /// Run as of this instant (RFC 3339) instead of now, e.g. to send a missed digest.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Recompute every balance from the ledger and re-check every warehouse's hash chain; exits 1 on any difference.
    Verify,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account.
    Add {
        /// Login name (3–32 lower-case letters, digits, . _ -).
        username: String,
        /// Password; generated and printed when omitted.
        #[arg(long)]
        password: Option<String>,
        /// Role as `role` (whole district) or `role@UNIT_ID`; repeat for several.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Link the account to this person.
        #[arg(long)]
        person: Option<i64>,
    },
    /// Set a new password for an account (ends its sessions and API tokens): for an administrator who is
    /// locked out.
    Password {
        /// The account's login name.
        username: String,
        /// The new password; generated and printed when omitted.
        #[arg(long)]
        password: Option<String>,
    },
}

/// A serving process keeps glibc to two malloc arenas. Left alone, glibc gives threads that allocate at
/// the same time arenas of their own (up to eight per core) and keeps each one's high-water mark: under mixed
/// load that held 115 MB and rising where two arenas hold 65 MB (BENCHMARKS.md, issue 11). The setting is
/// read only at start, so the process starts itself again with it (same PID, same arguments) unless the
/// environment already chose a value.
#[cfg(target_os = "linux")]
fn with_two_malloc_arenas() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    if let Ok(me) = std::env::current_exe() {
        let failed = std::process::Command::new(me)
            .args(std::env::args_os().skip(1))
            .env("MALLOC_ARENA_MAX", "2")
            .exec();
        eprintln!("standby: could not restart with two malloc arenas ({failed}); going on without");
    }
}

#[cfg(not(target_os = "linux"))]
fn with_two_malloc_arenas() {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, None | Some(Command::Serve)) {
        with_two_malloc_arenas();
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STANDBY_LOG")
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let configured = Config::from_env().and_then(|c| {
        let areas = standby::app::Areas::new(&c)?;
        Ok((c, areas))
    });
    let (config, areas) = match configured {
        Ok(c) => c,
        Err(e) => {
            eprintln!("standby: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    // Jobs and commands: their blocking work needs no more threads than the pool has connections.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(config.pool_size as usize + 2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("standby: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => standby::app::run(config, areas).await,
            Command::Migrate => migrate(config).await,
            Command::User {
                command:
                    UserCommand::Add {
                        username,
                        password,
                        roles,
                        person,
                    },
            } => user_add(config, username, password, roles, person).await,
            Command::User {
                command: UserCommand::Password { username, password },
            } => user_password(config, username, password).await,
            Command::Demo => demo(config).await,
            Command::Ledger {
                command: LedgerCommand::Verify,
            } => verify_ledger(config).await,
            Command::Job { name, at } => job(config, &areas, &name, at).await,
            Command::Backup { path } => backup(config, path).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("standby: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn job(
    config: Config,
    areas: &standby::app::Areas,
    name: &str,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> anyhow::Result<()> {
    let job = areas
        .jobs
        .find(name)
        .ok_or_else(|| anyhow::anyhow!("no job `{name}`; choose one of {}", areas.jobs.names()))?;
    let (state, _) =
        standby::app::prepare(config, Arc::new(standby::clock::SystemClock), false).await?;
    let report = standby::jobs::run(&state, job, at.unwrap_or_else(|| state.now())).await?;
    eprintln!("{}: {report}", job.name);
    Ok(())
}

async fn backup(config: Config, path: std::path::PathBuf) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let pool = standby::db::connect(&config.database, 1).context("STANDBY_DATABASE_URL")?;
        let started = std::time::Instant::now();
        standby::db::backup(&mut *pool.get()?, &path)?;
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "backed up to {} ({:.1} MB) in {:.2}s",
            path.display(),
            size as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        Ok(())
    })
    .await?
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let pool = standby::db::connect(&config.database, 1).context("STANDBY_DATABASE_URL")?;
        let mut conn = pool.get()?;
        let applied = standby::db::migrate(&mut conn)?;
        eprintln!(
            "applied {} migration(s): {}",
            applied.len(),
            applied.join(", ")
        );
        Ok(())
    })
    .await?
}

async fn user_add(
    config: Config,
    username: String,
    password: Option<String>,
    roles: Vec<String>,
    person: Option<i64>,
) -> anyhow::Result<()> {
    use standby::org::model::{GrantInput, NewAccount};
    let (state, _) =
        standby::app::prepare(config, Arc::new(standby::clock::SystemClock), false).await?;
    let generated = password.is_none();
    let password = match password {
        Some(p) => p,
        None => {
            standby::org::credentials::random_token(12).map_err(|e| anyhow::anyhow!("{e:?}"))?
        }
    };
    let parsed: Vec<(String, Option<i64>)> = roles
        .iter()
        .map(|r| match r.split_once('@') {
            Some((role, unit)) => unit
                .parse::<i64>()
                .map(|u| (role.to_string(), Some(u)))
                .map_err(|_| anyhow::anyhow!("--role {r}: the unit must be a number")),
            None => Ok((r.clone(), None)),
        })
        .collect::<anyhow::Result<_>>()?;
    let grants: Vec<GrantInput<'_>> = parsed
        .iter()
        .map(|(role, unit_id)| GrantInput {
            role,
            unit_id: *unit_id,
        })
        .collect();
    let new = NewAccount::parse(&username, &password, person, None, &grants)
        .map_err(|e| anyhow::anyhow!("{}", e.message(standby::i18n::Lang::En)))?;
    let now = state.now();
    let account = state
        .db(move |c| standby::org::service::accounts::create(c, None, now, new))
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message(standby::i18n::Lang::En)))?;
    eprintln!(
        "created account {} (id {})",
        account.account.username, account.account.id
    );
    if generated {
        eprintln!("password: {password}");
    }
    Ok(())
}

async fn user_password(
    config: Config,
    username: String,
    password: Option<String>,
) -> anyhow::Result<()> {
    let (state, _) =
        standby::app::prepare(config, Arc::new(standby::clock::SystemClock), false).await?;
    let generated = password.is_none();
    let password = match password {
        Some(p) => p,
        None => {
            standby::org::credentials::random_token(12).map_err(|e| anyhow::anyhow!("{e:?}"))?
        }
    };
    let (now, pw) = (state.now(), password.clone());
    let account = state
        .db(move |c| {
            let system = standby::org::model::Actor::system();
            standby::org::service::accounts::reset_password(c, &system, now, &username, &pw)
        })
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message(standby::i18n::Lang::En)))?;
    eprintln!(
        "new password set for {}; its sessions and API tokens are ended",
        account.account.username
    );
    if generated {
        eprintln!("password: {password}");
    }
    Ok(())
}

async fn demo(config: Config) -> anyhow::Result<()> {
    let (state, generated) =
        standby::app::prepare(config, Arc::new(standby::clock::SystemClock), false).await?;
    if let Some(password) = generated {
        eprintln!(
            "created the administrator account: username admin, password {password} (shown once)"
        );
    }
    let (now, cfg) = (state.now(), state.config.clone());
    let summary = state
        .db(move |c| standby::demo::load(c, now, &cfg))
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message(standby::i18n::Lang::En)))?;
    eprintln!("{summary}");
    Ok(())
}

async fn verify_ledger(config: Config) -> anyhow::Result<()> {
    let (state, _) =
        standby::app::prepare(config, Arc::new(standby::clock::SystemClock), false).await?;
    let started = std::time::Instant::now();
    let report = state
        .db(standby::inventory::service::verify::verify_all)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message(standby::i18n::Lang::En)))?;
    eprintln!(
        "checked {} warehouse(s), {} movement(s) in {:.2}s",
        report.warehouses,
        report.movements,
        started.elapsed().as_secs_f64()
    );
    for b in &report.chain_breaks {
        eprintln!(
            "CHAIN   warehouse {} seq {} {}: {}",
            b.warehouse_id, b.seq, b.voucher_no, b.problem
        );
    }
    for d in &report.differences {
        eprintln!(
            "BALANCE warehouse {} batch {}: book {} but ledger {}",
            d.warehouse_id, d.batch_id, d.book, d.ledger
        );
    }
    if report.ok() {
        eprintln!("the books match the ledger and every chain holds");
        Ok(())
    } else {
        anyhow::bail!(
            "{} chain break(s), {} balance difference(s)",
            report.chain_breaks.len(),
            report.differences.len()
        )
    }
}
