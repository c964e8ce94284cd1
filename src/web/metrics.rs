//! Prometheus text metrics: requests by route and status, a latency histogram, pool usage.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
}

/// Request counters shared by all workers.
#[derive(Debug, Default)]
pub struct Metrics(Mutex<Inner>);

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut m) = self.0.lock() else { return };
        *m.requests
            .entry((method.into(), route.into(), status))
            .or_default() += 1;
        let h = m.latency.entry((method.into(), route.into())).or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
    }

    /// The exposition text, with the pool's state appended.
    pub fn render(&self, pool_open: u32, pool_idle: u32, pool_max: u32) -> String {
        let mut out = String::new();
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        if let Ok(m) = self.0.lock() {
            out.push_str(
                "# HELP standby_http_requests_total HTTP requests by method, route and status.\n",
            );
            out.push_str("# TYPE standby_http_requests_total counter\n");
            for ((method, route, status), n) in &m.requests {
                let _ = writeln!(out, "standby_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}", esc(route));
            }
            out.push_str("# HELP standby_http_request_duration_seconds HTTP request latency.\n");
            out.push_str("# TYPE standby_http_request_duration_seconds histogram\n");
            for ((method, route), h) in &m.latency {
                let labels = format!("method=\"{method}\",route=\"{}\"", esc(route));
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(out, "standby_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}", h.counts[i]);
                }
                let _ = writeln!(
                    out,
                    "standby_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "standby_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "standby_http_request_duration_seconds_count{{{labels}}} {}",
                    h.count
                );
            }
        }
        out.push_str(
            "# HELP standby_db_pool_connections Database connections open, idle and allowed.\n",
        );
        out.push_str("# TYPE standby_db_pool_connections gauge\n");
        let _ = writeln!(
            out,
            "standby_db_pool_connections{{state=\"open\"}} {pool_open}"
        );
        let _ = writeln!(
            out,
            "standby_db_pool_connections{{state=\"idle\"}} {pool_idle}"
        );
        let _ = writeln!(
            out,
            "standby_db_pool_connections{{state=\"in_use\"}} {}",
            pool_open.saturating_sub(pool_idle)
        );
        let _ = writeln!(
            out,
            "standby_db_pool_connections{{state=\"max\"}} {pool_max}"
        );
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
        let text = m.render(2, 1, 8);
        assert!(text.contains(
            r#"standby_http_requests_total{method="GET",route="/api/v1/units/{id}",status="200"} 1"#
        ));
        assert!(text.contains(r#"le="0.025"} 0"#));
        assert!(text.contains(r#"le="0.05"} 1"#));
        assert!(text.contains(r#"standby_db_pool_connections{state="in_use"} 1"#));
    }
}
