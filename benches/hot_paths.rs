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

fn token_validation(c: &mut Criterion) {
    let store = TokenStore::new(3600, None);
    let now = Utc::now();
    let tokens: Vec<String> = (0..1000)
        .map(|_| store.issue("admin", now).access_token)
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
    token_validation,
    session_lookup,
    engine_with_thousands_of_runs
);
criterion_main!(benches);
