//! Liveness, readiness and metrics endpoints for operators and load balancers.

use actix_web::{get, web, HttpResponse};

use super::AppState;
use crate::db;

/// The process is up.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers and every migration is applied.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ready = state.db(|c| Ok(db::migrations_current(c))).await;
    match ready {
        Ok(true) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(false) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("migrations pending"),
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unreachable"),
    }
}

/// Prometheus text exposition.
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.state();
    let mut body = state.metrics.render(
        pool.connections,
        pool.idle_connections,
        state.pool.max_size(),
    );
    // The outbox: how many notices in each state, and how late the oldest waiting one is.
    let now = state.now();
    if let Ok((counts, oldest)) = state
        .db(|c| {
            Ok((
                crate::notify::store::count_by_state(c, None)?,
                crate::notify::store::oldest_waiting(c)?,
            ))
        })
        .await
    {
        use std::fmt::Write;
        let _ = writeln!(body, "# TYPE standby_notices gauge");
        for (st, n) in counts {
            let _ = writeln!(body, "standby_notices{{state=\"{st}\"}} {n}");
        }
        let late = oldest.map_or(0.0, |t| {
            ((now.naive_utc() - t).num_milliseconds().max(0) as f64) / 1000.0
        });
        let _ = writeln!(body, "# TYPE standby_notice_oldest_due_seconds gauge");
        let _ = writeln!(body, "standby_notice_oldest_due_seconds {late}");
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}
