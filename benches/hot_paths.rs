//! In-process benchmarks of the request hot paths and of the engine under load.

use axum::body::Body;
use axum::http::Request;
use chrono::{DateTime, TimeDelta, Utc};
use clap::Parser;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tower::ServiceExt;
use vb365_mock::auth::TokenStore;
use vb365_mock::config::Config;
use vb365_mock::world::generator::{GeneratorOptions, generate};
use vb365_mock::world::{SEED_SESSION_ID, default_world};
use vb365_mock::{AppState, app, sim};

fn seed_page_through_the_router(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let config = Config::parse_from([
        "vb365-mock",
        "--static-token",
        "bench",
        "--journal-size",
        "0",
    ]);
    let router = app(AppState::new(&config, default_world()));
    let uri = format!("/v3/JobSessions/{SEED_SESSION_ID}/LogItems");
    c.bench_function("GET /__admin/health through the router (no TLS)", |b| {
        b.iter(|| {
            let request = Request::get("/__admin/health").body(Body::empty()).unwrap();
            runtime.block_on(router.clone().oneshot(request)).unwrap()
        })
    });
    c.bench_function("GET seed LogItems through the router (no TLS)", |b| {
        b.iter(|| {
            let request = Request::get(&uri)
                .header("host", "localhost:4443")
                .header("authorization", "Bearer bench")
                .body(Body::empty())
                .unwrap();
            runtime.block_on(router.clone().oneshot(request)).unwrap()
        })
    });
}

/// A 30-item page of a 20,000-item session that was never asked for before, in each
/// dialect: what an exporter walking a log pays per request, rendering included. A counter
/// in the query (ignored by the route) makes every request new to the response cache.
fn uncached_pages_through_the_router(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let config = Config::parse_from([
        "vb365-mock",
        "--static-token",
        "bench",
        "--journal-size",
        "0",
        "--clock",
        "frozen",
    ]);
    let world = generate(&GeneratorOptions {
        organizations: 1,
        jobs_per_organization: 1,
        days: 1,
        big_session_items: 20_000,
        ..GeneratorOptions::default()
    });
    let session = world
        .sessions_oldest_first()
        .max_by_key(|record| record.log.len())
        .map(|record| record.session.id)
        .unwrap();
    let router = app(AppState::new(&config, world));
    for version in ["v3", "v6", "v8"] {
        let mut request_number = 0u64;
        c.bench_function(&format!("GET a new 30-item {version} page (no TLS)"), |b| {
            b.iter(|| {
                request_number += 1;
                let offset = request_number * 30 % 19_000;
                let uri = format!(
                    "/{version}/JobSessions/{session}/LogItems?offset={offset}&limit=30&n={request_number}"
                );
                let request = Request::get(&uri)
                    .header("host", "localhost:4443")
                    .header("authorization", "Bearer bench")
                    .body(Body::empty())
                    .unwrap();
                runtime.block_on(router.clone().oneshot(request)).unwrap()
            })
        });
    }
}

fn token_validation(c: &mut Criterion) {
    let store = TokenStore::new(3600, None);
    let now = Utc::now();
    let tokens: Vec<String> = (0..1000)
        .map(|_| store.issue("admin", now, false).access_token)
        .collect();
    c.bench_function("validate a token among 1000", |b| {
        b.iter(|| store.is_valid(&tokens[500], now))
    });
}

fn session_lookup(c: &mut Criterion) {
    let world = default_world();
    c.bench_function("look up a session", |b| {
        b.iter(|| {
            world
                .session(&SEED_SESSION_ID)
                .map(|record| record.log.len())
        })
    });
}

fn engine_with_thousands_of_runs(c: &mut Criterion) {
    let options = GeneratorOptions {
        organizations: 100,
        jobs_per_organization: 20,
        days: 1,
        mailboxes_per_job: 10,
        ..GeneratorOptions::default()
    };
    let start: DateTime<Utc> = options.now;
    let mut world = generate(&options);
    let mut runs = sim::Runs::default();
    sim::advance(&mut world, &mut runs, start);
    let job_ids: Vec<_> = world.jobs.iter().map(|job| job.id).collect();
    for job_id in &job_ids {
        let _ = sim::start_job(&mut world, &mut runs, *job_id, start, None);
    }
    c.bench_function("advance 2000 running sessions by one minute", |b| {
        b.iter_batched(
            || (world.clone(), runs.clone()),
            |(mut world, mut runs)| {
                sim::advance(&mut world, &mut runs, start + TimeDelta::minutes(1))
            },
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(
    benches,
    seed_page_through_the_router,
    uncached_pages_through_the_router,
    token_validation,
    session_lookup,
    engine_with_thousands_of_runs
);
criterion_main!(benches);
