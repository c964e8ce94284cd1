//! Builds the application from its areas: the whole route table (`routes`), each area's reminder source,
//! home-page tasks and jobs (registered here, side by side), the state, the scheduler and the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_session::config::PersistentSession;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, Service};
use actix_web::{web, App, HttpResponse, HttpServer};
use anyhow::Context;

use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::jobs::{Job, Jobs};
use crate::metrics::Metrics;
use crate::notify::Reminders;
use crate::state::AppState;
use crate::web::tasks::Tasks;
use crate::web::{openapi, system};
use crate::{allocation, circulars, db, drills, duty, inventory, notify, org, teams};

mod routes;
mod secret;

use routes::{api_operations, api_routes, openapi_spec, page_routes, API_PREFIX};
pub use secret::{cookie_key, secret};

/// What the areas register: reminder sources, home-page tasks, scheduled jobs.
#[derive(Debug, Clone)]
pub struct Areas {
    /// Every area's reminders (the scan, the digest, the notice settings).
    pub reminders: Reminders,
    /// Every area's tasks for the home page.
    pub tasks: Tasks,
    /// Every scheduled job.
    pub jobs: Jobs,
    /// The duty area (its handlers share its snapshot of who is on duty).
    pub duty: Arc<duty::Area>,
    /// The circulars area (its handlers sign and check 签收 links with its key).
    pub circulars: Arc<circulars::Area>,
}

impl Areas {
    /// Each area with its own settings; a bad setting names its variable.
    pub fn new(config: &Config) -> Result<Areas, ConfigError> {
        let reserves = Arc::new(inventory::Area::new(
            inventory::reminders::Settings::from_vars(&config.vars)?,
        ));
        let teams = Arc::new(teams::Area::new(teams::reminders::Settings::from_vars(
            &config.vars,
        )?));
        let duty = Arc::new(duty::Area::new(duty::reminders::Settings::from_vars(
            &config.vars,
        )?));
        let allocation = Arc::new(allocation::Area);
        let secret = secret(config).map_err(|e| ConfigError {
            variable: "STANDBY_SECRET",
            problem: e.to_string(),
        })?;
        let circulars = Arc::new(circulars::Area::new(
            circulars::Settings::from_vars(&config.vars)?,
            &secret,
        ));
        let reminders = Reminders::new(vec![
            reserves.clone(),
            allocation.clone(),
            teams.clone(),
            duty.clone(),
            circulars.clone(),
            Arc::new(drills::Area),
        ]);
        let tasks = Tasks::new(vec![
            duty.clone(),
            circulars.clone(),
            reserves,
            allocation,
            teams,
            Arc::new(drills::Area),
        ]);
        let jobs = jobs(config, &reminders, &circulars)?;
        Ok(Areas {
            reminders,
            tasks,
            jobs,
            duty,
            circulars,
        })
    }
}

/// Every scheduled job: its name, its schedule (`STANDBY_JOB_<NAME>`, six fields in office time; empty or
/// `off` turns it off) and the area function it runs.
fn jobs(
    config: &Config,
    reminders: &Reminders,
    circulars: &Arc<circulars::Area>,
) -> Result<Jobs, ConfigError> {
    let v = &config.vars;
    let (scan, digest) = (reminders.clone(), reminders.clone());
    let escalation = circulars.as_ref().clone();
    Ok(Jobs::new(vec![
        Job::new(
            "scan",
            v.schedule("STANDBY_JOB_SCAN", "0 * * * * *")?,
            true,
            move |s, now| {
                let r = scan.clone();
                async move { notify::jobs::scan(&s, &r, now).await }
            },
        ),
        Job::new(
            "deliver",
            v.schedule("STANDBY_JOB_DELIVER", "*/5 * * * * *")?,
            false,
            |s, now| async move { notify::jobs::deliver(&s, now).await },
        ),
        Job::new(
            "digest",
            v.schedule("STANDBY_JOB_DIGEST", "0 0 8 * * *")?,
            true,
            move |s, now| {
                let r = digest.clone();
                async move {
                    notify::jobs::digest(&s, &r, now)
                        .await
                        .map(|n| format!("{n} digest(s)"))
                }
            },
        ),
        Job::new(
            "presence",
            v.schedule("STANDBY_JOB_PRESENCE", "0 * * * * *")?,
            true,
            |s, now| async move {
                let key = duty::model::CheckKey::from_secret(&secret(&s.config)?);
                duty::jobs::presence_checks(&s, key, now)
                    .await
                    .map(|n| format!("{n} unannounced presence check(s) asked"))
            },
        ),
        Job::new(
            "circulars",
            v.schedule("STANDBY_JOB_CIRCULARS", "0 */5 * * * *")?,
            true,
            move |s, now| {
                let area = escalation.clone();
                async move {
                    circulars::jobs::escalate(&s, area, now)
                        .await
                        .map(|n| format!("{n} overdue unit(s) escalated to their head"))
                }
            },
        ),
        Job::new(
            "verify",
            v.schedule("STANDBY_JOB_VERIFY", "0 30 2 * * *")?,
            true,
            |s, now| async move { inventory::jobs::verify_ledgers(&s, now).await },
        ),
        Job::new(
            "prune",
            v.schedule("STANDBY_JOB_PRUNE", "0 7 * * * *")?,
            true,
            |s, now| async move { prune(&s, now).await },
        ),
    ]))
}

/// What housekeeping forgot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PruneReport {
    /// Sign-in failures that no longer count.
    pub failures: usize,
    /// Job slots older than a week.
    pub slots: usize,
    /// Answers to one-time keys (forms, `Idempotency-Key`) older than a day.
    pub answers: usize,
}

impl std::fmt::Display for PruneReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sign-in failure(s), {} job slot(s), {} request answer(s) forgotten",
            self.failures, self.slots, self.answers
        )
    }
}

/// Housekeeping: stale sign-in failures, job slots older than a week, answers to one-time keys older than a
/// day. The audit trail is never pruned.
pub async fn prune(
    state: &AppState,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<PruneReport> {
    let throttle = state.throttle;
    Ok(state
        .db(move |c| {
            Ok(PruneReport {
                failures: org::service::auth::prune_failures(c, now, &throttle)?,
                slots: crate::jobs::prune_slots(c, now)?,
                answers: db::once::prune(c, db::db_time(now - chrono::Duration::days(1)))?,
            })
        })
        .await?)
}

/// Opens the database, applies migrations, and creates the first administrator if there is no account.
/// Returns the state and a generated admin password to show once.
pub async fn prepare(
    mut config: Config,
    clock: Arc<dyn Clock>,
    serving: bool,
) -> anyhow::Result<(AppState, Option<String>)> {
    let cfg = config.clone();
    let now = clock.now();
    let (pool, generated, base_url) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let pool = db::connect(&cfg.database, cfg.pool_size)
            .context("opening the database (STANDBY_DATABASE_URL)")?;
        let mut conn = pool
            .get()
            .context("connecting to the database (STANDBY_DATABASE_URL)")?;
        let applied = db::migrate(&mut conn)?;
        if !applied.is_empty() {
            tracing::info!(?applied, "migrations applied");
        }
        org::service::units::fill_sort_keys(&mut conn)
            .map_err(|e| anyhow::anyhow!("sorting names: {e}"))?;
        let generated =
            org::service::auth::ensure_first_admin(&mut conn, now, cfg.admin_password.as_deref())
                .map_err(|e| anyhow::anyhow!("creating the first administrator: {e}"))?;
        let base_url = settle_base_url(&mut conn, &cfg, serving, now)?;
        Ok((pool, generated, base_url))
    })
    .await??;
    config.base_url = base_url;
    let mailer = crate::mail::Mailer::new(&config.mail)?;
    let keep_callers = std::time::Duration::from_secs(config.caller_seconds);
    let state = AppState {
        pool,
        clock,
        config: Arc::new(config),
        throttle: Default::default(),
        metrics: Arc::new(Metrics::default()),
        mailer,
        instance: instance_name().into(),
        callers: Arc::new(org::callers::Callers::new(keep_callers)),
    };
    Ok((state, generated))
}

/// The public address links use, the same in every process: the configured one (recorded by the serving
/// process for the others), else the one the serving process recorded, else `http://<bind>` with a warning
/// when that is loopback (links in notices would then lead nowhere from another machine).
fn settle_base_url(
    conn: &mut db::DbConn,
    config: &Config,
    serving: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<String> {
    const KEY: &str = "base_url";
    if config.base_url_set {
        if serving {
            db::settings::put(conn, KEY, &config.base_url, db::db_time(now))?;
        }
        return Ok(config.base_url.clone());
    }
    if let Some(recorded) = db::settings::get(conn, KEY)? {
        return Ok(recorded);
    }
    if crate::config::is_loopback_url(&config.base_url) {
        tracing::warn!(base_url = %config.base_url, "STANDBY_BASE_URL is not set");
        eprintln!(
            "standby: warning: STANDBY_BASE_URL is not set, so links in notices point at {} — set it to the \
             address people open (e.g. https://standby.yjj.example.gov.cn)",
            config.base_url
        );
    }
    Ok(config.base_url.clone())
}

/// A name for this process in claims and job slots: host, process id and a random tag (several instances
/// may run on one host, and a restarted process must not inherit its predecessor's claims).
fn instance_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .unwrap_or_else(|| "standby".into());
    let tag = org::credentials::random_token(6).unwrap_or_default();
    format!("{host}-{}-{tag}", std::process::id())
}

/// The HTTP server on `listener`.
pub fn server(
    state: AppState,
    areas: &Areas,
    key: Key,
    listener: TcpListener,
) -> std::io::Result<Server> {
    let kinds: Vec<&'static str> = areas
        .reminders
        .unit_choices()
        .iter()
        .map(|k| k.code)
        .collect();
    let spec = web::Data::new(openapi::ApiSpec::lazy(api_operations, move || {
        openapi_spec(&kinds)
    }));
    let secure = state.config.secure_cookies;
    let data = web::Data::new(state);
    let reminders = web::Data::new(areas.reminders.clone());
    let tasks = web::Data::new(areas.tasks.clone());
    let duty = web::Data::from(areas.duty.clone());
    let circulars = web::Data::from(areas.circulars.clone());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let blocking_threads = (data.config.pool_size as usize).div_ceil(workers) + 1;
    let server = HttpServer::new(move || {
        let metrics = data.metrics.clone();
        let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name("standby_session".into())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .session_lifecycle(
                PersistentSession::default()
                    .session_ttl(actix_web::cookie::time::Duration::hours(12)),
            )
            .build();
        App::new()
            .app_data(data.clone())
            .app_data(reminders.clone())
            .app_data(tasks.clone())
            .app_data(duty.clone())
            .app_data(circulars.clone())
            .app_data(spec.clone())
            .service(
                web::scope(API_PREFIX)
                    .app_data(crate::web::api::query_config())
                    .app_data(crate::web::api::path_config())
                    .app_data(web::PayloadConfig::new(crate::sheets::MAX_UPLOAD))
                    .wrap(actix_web::middleware::from_fn(
                        crate::web::api::refusals_as_json,
                    ))
                    .configure(api_routes)
                    .route("/openapi.json", web::get().to(openapi::spec_json))
                    .default_service(web::to(crate::web::api::no_such_endpoint)),
            )
            .app_data(crate::web::pages::query_config())
            .app_data(crate::web::pages::path_config())
            .service(system::healthz)
            .service(system::readyz)
            .route("/metrics", web::get().to(prometheus))
            .route("/api", web::get().to(openapi::reference))
            .configure(page_routes)
            .default_service(web::to(crate::web::pages::no_such_page))
            .wrap(actix_web::middleware::from_fn(
                crate::web::pages::real_error_pages,
            ))
            .wrap(sessions)
            .wrap_fn(move |req, srv| {
                let started = Instant::now();
                let metrics = metrics.clone();
                let method = req.method().to_string();
                let fut = srv.call(req);
                async move {
                    let res = fut.await?;
                    let route = res
                        .request()
                        .match_pattern()
                        .unwrap_or_else(|| "unmatched".into());
                    metrics.observe(
                        &method,
                        &route,
                        res.status().as_u16(),
                        started.elapsed().as_secs_f64(),
                    );
                    Ok(res)
                }
            })
            .wrap(actix_web::middleware::from_fn(
                crate::web::pages::head_as_get,
            ))
    })
    // A blocking thread beyond the pool's connections would only wait for one (and keep a malloc arena).
    .worker_max_blocking_threads(blocking_threads)
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}

/// Prometheus text exposition: requests, failures of background work, the pool, and the outbox (how many
/// notices in each state, and how late the oldest waiting one is).
async fn prometheus(state: web::Data<AppState>, req: actix_web::HttpRequest) -> HttpResponse {
    if let Some(expected) = &state.config.metrics_token {
        use subtle::ConstantTimeEq;
        let given = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            return HttpResponse::Unauthorized()
                .insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Bearer"))
                .content_type("text/plain; charset=utf-8")
                .body("metrics need the configured bearer token (STANDBY_METRICS_TOKEN)\n");
        }
    }
    let pool = state.pool.state();
    let mut body = state.metrics.render(
        pool.connections,
        pool.idle_connections,
        state.pool.max_size(),
    );
    let now = state.now();
    if let Ok(gauges) = state.db(move |c| notify::service::gauges(c, now)).await {
        body.push_str(&gauges);
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}

/// `standby serve`: everything in one process until Ctrl-C or SIGTERM.
pub async fn run(config: Config, areas: Areas) -> anyhow::Result<()> {
    let key = cookie_key(&config)?;
    let bind = config.bind;
    let (state, generated) = prepare(config, Arc::new(crate::clock::SystemClock), true).await?;
    if let Some(password) = generated {
        eprintln!("\n  First start: created the administrator account.\n  username: admin\n  password: {password}\n  (shown once; change it after signing in)\n");
    }
    let listener =
        TcpListener::bind(bind).with_context(|| format!("binding STANDBY_BIND={bind}"))?;
    let _scheduler = crate::jobs::start_scheduler(state.clone(), areas.jobs.clone()).await?;
    let base = state.config.base_url.clone();
    tracing::info!(%bind, "standby is serving; open {base}/");
    eprintln!("standby is serving on http://{bind}/ (sign in at {base}/login)");
    server(state, &areas, key, listener)?.await?;
    Ok(())
}
