//! Prometheus text metrics: requests by route, method and status, a latency histogram, failures of
//! background work by kind and area, pool usage. Requests are counted with atomics under a read lock, so
//! counting never serialises requests (a write lock is taken only the first time a route or status is seen).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, RwLock};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "OTHER",
];

#[derive(Debug, Default)]
struct Series {
    statuses: RwLock<Vec<(u16, AtomicU64)>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Series {
    fn observe(&self, status: u16, seconds: f64) {
        let counted = self.statuses.read().is_ok_and(|s| {
            s.iter()
                .find(|(code, _)| *code == status)
                .map(|(_, n)| n.fetch_add(1, Relaxed))
                .is_some()
        });
        if !counted {
            if let Ok(mut s) = self.statuses.write() {
                match s.iter().find(|(code, _)| *code == status) {
                    Some((_, n)) => {
                        n.fetch_add(1, Relaxed);
                    }
                    None => s.push((status, AtomicU64::new(1))),
                }
            }
        }
        self.count.fetch_add(1, Relaxed);
        self.sum_micros.fetch_add((seconds * 1e6) as u64, Relaxed);
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.buckets[i].fetch_add(1, Relaxed);
            }
        }
    }
}

type Route = [Series; METHODS.len()];

/// A value an area reports at each reminder scan (e.g. gaps ahead on a roster).
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    /// The metric's name (`standby_…`).
    pub name: &'static str,
    /// Its one-line help text.
    pub help: &'static str,
    /// Its labels.
    pub labels: Vec<(&'static str, String)>,
    pub value: f64,
}

/// Counters shared by all workers and jobs.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: RwLock<HashMap<String, Box<Route>>>,
    failures: Mutex<BTreeMap<(&'static str, String), u64>>,
    gauges: RwLock<BTreeMap<&'static str, Vec<Gauge>>>,
}

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let m = METHODS
            .iter()
            .position(|x| *x == method)
            .unwrap_or(METHODS.len() - 1);
        if let Ok(routes) = self.routes.read() {
            if let Some(r) = routes.get(route) {
                r[m].observe(status, seconds);
                return;
            }
        }
        if let Ok(mut routes) = self.routes.write() {
            routes.entry(route.to_string()).or_default()[m].observe(status, seconds);
        }
    }

    /// Counts a failure of background work: `what` failed (a reminder source, say) in `area`.
    pub fn count_failure(&self, what: &'static str, area: &str) {
        if let Ok(mut f) = self.failures.lock() {
            *f.entry((what, area.to_string())).or_default() += 1;
        }
    }

    /// How many failures of `what` in `area` were counted.
    pub fn failures(&self, what: &'static str, area: &str) -> u64 {
        self.failures
            .lock()
            .ok()
            .and_then(|f| f.get(&(what, area.to_string())).copied())
            .unwrap_or(0)
    }

    /// Replaces an area's gauges with what its latest scan found.
    pub fn set_gauges(&self, area: &'static str, gauges: Vec<Gauge>) {
        if let Ok(mut g) = self.gauges.write() {
            g.insert(area, gauges);
        }
    }

    /// The exposition text, with the pool's state appended.
    pub fn render(&self, pool_open: u32, pool_idle: u32, pool_max: u32) -> String {
        let mut out = String::new();
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let mut requests = String::new();
        let mut latency = String::new();
        if let Ok(routes) = self.routes.read() {
            let mut names: Vec<&String> = routes.keys().collect();
            names.sort();
            for name in names {
                for (m, series) in routes[name].iter().enumerate() {
                    let count = series.count.load(Relaxed);
                    if count == 0 {
                        continue;
                    }
                    let labels = format!("method=\"{}\",route=\"{}\"", METHODS[m], esc(name));
                    if let Ok(statuses) = series.statuses.read() {
                        let mut statuses: Vec<(u16, u64)> = statuses
                            .iter()
                            .map(|(s, n)| (*s, n.load(Relaxed)))
                            .collect();
                        statuses.sort_unstable();
                        for (status, n) in statuses {
                            let _ = writeln!(
                                requests,
                                "standby_http_requests_total{{{labels},status=\"{status}\"}} {n}"
                            );
                        }
                    }
                    for (i, bound) in BUCKETS.iter().enumerate() {
                        let _ = writeln!(
                            latency,
                            "standby_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                            series.buckets[i].load(Relaxed)
                        );
                    }
                    let sum = series.sum_micros.load(Relaxed) as f64 / 1e6;
                    let _ = writeln!(
                        latency,
                        "standby_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}\n\
                         standby_http_request_duration_seconds_sum{{{labels}}} {sum}\n\
                         standby_http_request_duration_seconds_count{{{labels}}} {count}"
                    );
                }
            }
        }
        out.push_str(
            "# HELP standby_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE standby_http_requests_total counter\n");
        out.push_str(&requests);
        out.push_str("# HELP standby_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE standby_http_request_duration_seconds histogram\n");
        out.push_str(&latency);
        out.push_str(
            "# HELP standby_failures_total Background work that failed, by what and area.\n",
        );
        out.push_str("# TYPE standby_failures_total counter\n");
        if let Ok(f) = self.failures.lock() {
            for ((what, area), n) in f.iter() {
                let _ = writeln!(
                    out,
                    "standby_failures_total{{what=\"{what}\",area=\"{}\"}} {n}",
                    esc(area)
                );
            }
        }
        out.push_str(
            "# HELP standby_db_pool_connections Database connections open, idle and allowed.\n",
        );
        out.push_str("# TYPE standby_db_pool_connections gauge\n");
        let in_use = pool_open.saturating_sub(pool_idle);
        let _ = writeln!(
            out,
            "standby_db_pool_connections{{state=\"open\"}} {pool_open}\n\
             standby_db_pool_connections{{state=\"idle\"}} {pool_idle}\n\
             standby_db_pool_connections{{state=\"in_use\"}} {in_use}\n\
             standby_db_pool_connections{{state=\"max\"}} {pool_max}"
        );
        if let Ok(g) = self.gauges.read() {
            let mut all: Vec<&Gauge> = g.values().flatten().collect();
            all.sort_by(|a, b| a.name.cmp(b.name));
            let mut last = "";
            for gauge in all {
                if gauge.name != last {
                    let _ = writeln!(
                        out,
                        "# HELP {} {}\n# TYPE {} gauge",
                        gauge.name, gauge.help, gauge.name
                    );
                    last = gauge.name;
                }
                let labels: Vec<String> = gauge
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}=\"{}\"", esc(v)))
                    .collect();
                let _ = writeln!(
                    out,
                    "{}{{{}}} {}",
                    gauge.name,
                    labels.join(","),
                    gauge.value
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_counted_by_route_and_lands_in_every_bucket_at_or_above_its_latency() {
        let m = Metrics::default();
        m.observe("GET", "/api/v1/units/{id}", 200, 0.03);
        m.observe("GET", "/api/v1/units/{id}", 404, 0.001);
        m.observe("GET", "/api/v1/units/{id}", 200, 0.002);
        let text = m.render(2, 1, 8);
        assert!(text.contains(
            r#"standby_http_requests_total{method="GET",route="/api/v1/units/{id}",status="200"} 2"#
        ));
        assert!(text.contains(r#"status="404"} 1"#));
        assert!(text.contains(r#"le="0.025"} 2"#));
        assert!(text.contains(r#"le="0.05"} 3"#));
        assert!(text.contains(r#"standby_db_pool_connections{state="in_use"} 1"#));
    }

    #[test]
    fn failures_of_background_work_are_counted_by_area() {
        let m = Metrics::default();
        m.count_failure("reminder_source", "inventory");
        m.count_failure("reminder_source", "inventory");
        assert_eq!(m.failures("reminder_source", "inventory"), 2);
        assert!(m
            .render(0, 0, 1)
            .contains(r#"standby_failures_total{what="reminder_source",area="inventory"} 2"#));
    }
}
