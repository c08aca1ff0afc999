//! Prometheus metrics of one world: requests by route, latency, tokens, world size and clock.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use metrics::{Counter, Gauge, Histogram, Key, KeyName, Label, Metadata, Recorder, Unit};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

const REQUESTS: &str = "vb365_mock_http_requests_total";
const DURATION: &str = "vb365_mock_http_request_duration_seconds";
const TOKENS_ISSUED: &str = "vb365_mock_tokens_issued_total";
const TOKENS_REJECTED: &str = "vb365_mock_tokens_rejected_total";
const FAULTS_FIRED: &str = "vb365_mock_faults_fired_total";
const WORLD_OBJECTS: &str = "vb365_mock_world_objects";
const CLOCK_OFFSET: &str = "vb365_mock_clock_offset_seconds";
const CLOCK_SPEED: &str = "vb365_mock_clock_speed";
const CLOCK_MODE: &str = "vb365_mock_clock_mode";
const ISOLATED_WORLDS: &str = "vb365_mock_isolated_worlds";
const BUILD_INFO: &str = "vb365_mock_build_info";

/// Upper bounds of the latency buckets, in seconds: a cached answer takes microseconds,
/// a large uncached page milliseconds, a world replaced through the control API seconds.
const LATENCY_BUCKETS: [f64; 14] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
    5.0,
];

/// The label of requests no route matched; their paths are not labels, so a client
/// probing random paths cannot grow the metrics without bound.
pub const UNMATCHED: &str = "unmatched";

const METADATA: Metadata<'static> =
    Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

const GRANTS: [&str; 2] = ["password", "refresh_token"];
const REJECTIONS: [&str; 4] = [
    "bearer",
    "invalid_request",
    "invalid_grant",
    "unsupported_grant_type",
];
const OBJECT_KINDS: [&str; 6] = [
    "organizations",
    "jobs",
    "sessions",
    "log_items",
    "restore_sessions",
    "licensed_users",
];
const CLOCK_MODES: [&str; 3] = ["real", "frozen", "speed"];

/// The counters and histogram of one route template and method. Requests hold on to them
/// (the response cache keeps them with each answer), so counting a request touches atomics
/// only: no label is built and no map is searched on the way.
#[derive(Debug)]
pub struct RouteMetrics {
    labels: [Label; 3],
    ok: Counter,
    /// Counters of the other statuses, made on first use; few per route.
    others: RwLock<Vec<(StatusCode, Counter)>>,
    latency: Histogram,
}

/// What the world looks like at a scrape; counted by the caller under the world's lock.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorldSize {
    pub organizations: usize,
    pub jobs: usize,
    pub sessions: usize,
    pub log_items: usize,
    pub restore_sessions: usize,
    pub licensed_users: usize,
}

/// The clock at a scrape.
#[derive(Debug, Clone, Copy)]
pub struct ClockState {
    /// `real`, `frozen` or `speed`.
    pub mode: &'static str,
    /// Virtual time less wall time.
    pub offset_seconds: f64,
    pub speed: f64,
}

/// The metrics of each route, by template, then method.
type RoutesByTemplate = HashMap<Arc<str>, Vec<(&'static str, Arc<RouteMetrics>)>>;

/// One world's metrics, kept by its own recorder rather than the process's global one, so
/// that isolated worlds (and tests running side by side) each count only their own.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    routes: RwLock<RoutesByTemplate>,
    tokens_issued: Vec<(&'static str, Counter)>,
    tokens_rejected: Vec<(&'static str, Counter)>,
    world_objects: Vec<Gauge>,
    clock_modes: Vec<Gauge>,
    clock_offset: Gauge,
    clock_speed: Gauge,
    isolated_worlds: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .unwrap_or_else(|_| unreachable!("the latency buckets are a fixed, non-empty list"))
            .build_recorder();
        describe(&recorder);
        let counter = |name: &'static str, label: &'static str, value: &'static str| {
            recorder.register_counter(
                &Key::from_parts(name, vec![Label::from_static_parts(label, value)]),
                &METADATA,
            )
        };
        let tokens_issued = GRANTS
            .iter()
            .map(|&grant| (grant, counter(TOKENS_ISSUED, "grant", grant)))
            .collect();
        let tokens_rejected = REJECTIONS
            .iter()
            .map(|&reason| (reason, counter(TOKENS_REJECTED, "reason", reason)))
            .collect();
        let gauge = |name: &'static str, labels: Vec<Label>| {
            recorder.register_gauge(&Key::from_parts(name, labels), &METADATA)
        };
        let world_objects = OBJECT_KINDS
            .iter()
            .map(|&kind| gauge(WORLD_OBJECTS, vec![Label::from_static_parts("kind", kind)]))
            .collect();
        let clock_modes = CLOCK_MODES
            .iter()
            .map(|&mode| gauge(CLOCK_MODE, vec![Label::from_static_parts("mode", mode)]))
            .collect();
        gauge(
            BUILD_INFO,
            vec![Label::from_static_parts(
                "version",
                env!("CARGO_PKG_VERSION"),
            )],
        )
        .set(1.0);
        Self {
            clock_offset: gauge(CLOCK_OFFSET, Vec::new()),
            clock_speed: gauge(CLOCK_SPEED, Vec::new()),
            isolated_worlds: gauge(ISOLATED_WORLDS, Vec::new()),
            handle: recorder.handle(),
            recorder,
            routes: RwLock::default(),
            tokens_issued,
            tokens_rejected,
            world_objects,
            clock_modes,
        }
    }

    /// The metrics of `method` on the route `template` (as the contract writes it, e.g.
    /// `/v3/JobSessions/{sessionId}/LogItems`, or [`UNMATCHED`]), made on first use.
    pub fn route(&self, method: &Method, template: &str) -> Arc<RouteMetrics> {
        let method = method_label(method);
        let known = |routes: &RoutesByTemplate| {
            routes.get(template).and_then(|methods| {
                methods
                    .iter()
                    .find(|(known, _)| *known == method)
                    .map(|(_, metrics)| metrics.clone())
            })
        };
        let found = known(&self.routes.read().unwrap_or_else(PoisonError::into_inner));
        if let Some(metrics) = found {
            return metrics;
        }
        let mut routes = self.routes.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(metrics) = known(&routes) {
            return metrics;
        }
        let template: Arc<str> = Arc::from(template);
        let labels = [
            Label::new("route", template.clone()),
            Label::from_static_parts("method", method),
            Label::from_static_parts("version", version_of(&template)),
        ];
        let metrics = Arc::new(RouteMetrics {
            ok: self.requests(&labels, StatusCode::OK),
            others: RwLock::default(),
            latency: self
                .recorder
                .register_histogram(&Key::from_parts(DURATION, labels.to_vec()), &METADATA),
            labels,
        });
        routes
            .entry(template)
            .or_default()
            .push((method, metrics.clone()));
        metrics
    }

    fn requests(&self, labels: &[Label; 3], status: StatusCode) -> Counter {
        let mut labels = labels.to_vec();
        labels.push(Label::new("status", status.as_str().to_owned()));
        self.recorder
            .register_counter(&Key::from_parts(REQUESTS, labels), &METADATA)
    }

    /// Counts one answer of `route` with `status`, which took `elapsed`.
    pub fn record(&self, route: &RouteMetrics, status: StatusCode, elapsed: Duration) {
        route.latency.record(elapsed.as_secs_f64());
        if status == StatusCode::OK {
            route.ok.increment(1);
            return;
        }
        let find = |others: &[(StatusCode, Counter)]| {
            others
                .iter()
                .find(|(known, _)| *known == status)
                .map(|(_, counter)| counter.clone())
        };
        let known = find(&route.others.read().unwrap_or_else(PoisonError::into_inner));
        let counter = known.unwrap_or_else(|| {
            let mut others = route.others.write().unwrap_or_else(PoisonError::into_inner);
            find(&others).unwrap_or_else(|| {
                let counter = self.requests(&route.labels, status);
                others.push((status, counter.clone()));
                counter
            })
        });
        counter.increment(1);
    }

    /// Counts a token handed out by the token endpoint for `grant` (`password`, `refresh_token`).
    pub fn token_issued(&self, grant: &str) {
        increment(&self.tokens_issued, grant);
    }

    /// Counts a refused token: `bearer` for a request whose token is missing, unknown or
    /// expired, or the OAuth error code the token endpoint answered with.
    pub fn token_rejected(&self, reason: &str) {
        increment(&self.tokens_rejected, reason);
    }

    /// Counts a fault rule that fired, by its id. Rules are few (the control API keeps at
    /// most a hundred), so their ids cannot grow the series without bound.
    pub fn fault_fired(&self, rule: &str) {
        self.recorder
            .register_counter(
                &Key::from_parts(FAULTS_FIRED, vec![Label::new("rule", rule.to_owned())]),
                &METADATA,
            )
            .increment(1);
    }

    /// The metrics in Prometheus' text format, with the world's size and clock as given.
    pub fn render(&self, size: WorldSize, clock: ClockState, isolated_worlds: usize) -> String {
        let counts = [
            size.organizations,
            size.jobs,
            size.sessions,
            size.log_items,
            size.restore_sessions,
            size.licensed_users,
        ];
        for (gauge, count) in self.world_objects.iter().zip(counts) {
            gauge.set(count as f64);
        }
        for (gauge, mode) in self.clock_modes.iter().zip(CLOCK_MODES) {
            gauge.set(if mode == clock.mode { 1.0 } else { 0.0 });
        }
        self.clock_offset.set(clock.offset_seconds);
        self.clock_speed.set(clock.speed);
        self.isolated_worlds.set(isolated_worlds as f64);
        self.handle.render()
    }

    /// Moves recorded latencies into the histograms, so that they do not pile up between
    /// scrapes; the server calls it every few seconds.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }
}

/// The method as a label: the methods HTTP defines by name, `other` for the rest, so that
/// a client inventing methods cannot grow the metrics without bound.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    const LABELS: [&str; 9] = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN
        .iter()
        .position(|known| known == method)
        .map_or("other", |at| LABELS[at])
}

fn increment(counters: &[(&'static str, Counter)], label: &str) {
    if let Some((_, counter)) = counters.iter().find(|(known, _)| *known == label) {
        counter.increment(1);
    }
}

/// The API version a route template belongs to (`v3`..`v8`), or `none` for the control
/// API and unmatched requests.
fn version_of(template: &str) -> &'static str {
    const VERSIONS: [&str; 6] = ["v3", "v4", "v5", "v6", "v7", "v8"];
    let first = template.split('/').nth(1).unwrap_or_default();
    VERSIONS
        .into_iter()
        .find(|version| version.eq_ignore_ascii_case(first))
        .unwrap_or("none")
}

fn describe(recorder: &PrometheusRecorder) {
    let counters = [
        (
            REQUESTS,
            "Requests answered, by route template, method, API version and status.",
        ),
        (
            TOKENS_ISSUED,
            "Access tokens issued by the token endpoint, by grant type.",
        ),
        (
            TOKENS_REJECTED,
            "Tokens refused: bearer tokens missing, unknown or expired, and token requests refused, by OAuth error.",
        ),
        (FAULTS_FIRED, "Requests a fault rule answered, by rule id."),
    ];
    for (name, help) in counters {
        recorder.describe_counter(
            KeyName::from_const_str(name),
            Some(Unit::Count),
            help.into(),
        );
    }
    recorder.describe_histogram(
        KeyName::from_const_str(DURATION),
        Some(Unit::Seconds),
        "Time from a request's arrival to its answer, by route template, method and API version."
            .into(),
    );
    let gauges = [
        (WORLD_OBJECTS, "Objects in the served world, by kind."),
        (
            CLOCK_OFFSET,
            "The virtual clock less wall time, in seconds.",
        ),
        (
            CLOCK_SPEED,
            "How many virtual seconds pass per wall second in speed mode.",
        ),
        (CLOCK_MODE, "The clock's mode: 1 for the current one."),
        (ISOLATED_WORLDS, "Isolated worlds served by this process."),
        (BUILD_INFO, "The emulator's version."),
    ];
    for (name, help) in gauges {
        recorder.describe_gauge(KeyName::from_const_str(name), None, help.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_is_counted_by_status_under_its_template() {
        let metrics = Metrics::new();
        let route = metrics.route(&Method::GET, "/v3/JobSessions/{sessionId}/LogItems");
        metrics.record(&route, StatusCode::OK, Duration::from_micros(20));
        metrics.record(&route, StatusCode::OK, Duration::from_micros(20));
        metrics.record(&route, StatusCode::NOT_FOUND, Duration::from_micros(20));
        let text = metrics.render(
            WorldSize::default(),
            ClockState {
                mode: "frozen",
                offset_seconds: 0.0,
                speed: 1.0,
            },
            0,
        );
        let line = |status: &str| {
            format!(
                "{REQUESTS}{{route=\"/v3/JobSessions/{{sessionId}}/LogItems\",method=\"GET\",version=\"v3\",status=\"{status}\"}}"
            )
        };
        assert!(text.contains(&format!("{} 2\n", line("200"))), "{text}");
        assert!(text.contains(&format!("{} 1\n", line("404"))), "{text}");
    }

    #[test]
    fn the_same_route_and_method_share_their_counters() {
        let metrics = Metrics::new();
        let first = metrics.route(&Method::GET, "/v3/Jobs");
        let again = metrics.route(&Method::GET, "/v3/Jobs");
        let posted = metrics.route(&Method::POST, "/v3/Jobs");
        assert!(Arc::ptr_eq(&first, &again));
        assert!(!Arc::ptr_eq(&first, &posted));
    }

    #[test]
    fn invented_methods_share_one_label() {
        let metrics = Metrics::new();
        let first = metrics.route(&Method::from_bytes(b"BREW").unwrap(), UNMATCHED);
        let second = metrics.route(&Method::from_bytes(b"WHEN").unwrap(), UNMATCHED);
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(method_label(&Method::DELETE), "DELETE");
    }

    #[test]
    fn versions_come_from_the_template() {
        assert_eq!(version_of("/v8/Jobs"), "v8");
        assert_eq!(version_of("/__admin/world"), "none");
        assert_eq!(version_of(UNMATCHED), "none");
    }
}
