//! The rendered-response cache: a GET that was answered 200 is answered from the same bytes
//! until the world changes, so a polling client costs a lookup instead of a rendering.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::wire::JSON_CONTENT_TYPE;

/// How many distinct (host, path, query) answers are kept; past that the cache starts over,
/// which bounds its memory without bookkeeping on the hot path.
const CAPACITY: usize = 4096;
/// Bodies larger than this are rendered each time rather than kept.
const LARGEST_CACHED_BODY: usize = 256 * 1024;

#[derive(Debug)]
struct Entry {
    world_version: u64,
    body: Bytes,
}

#[derive(Debug, Default)]
pub struct ResponseCache {
    entries: RwLock<HashMap<String, Entry>>,
}

impl ResponseCache {
    fn get(&self, key: &str, world_version: u64) -> Option<Bytes> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(key)
            .filter(|entry| entry.world_version == world_version)
            .map(|entry| entry.body.clone())
    }

    fn put(&self, key: String, world_version: u64, body: Bytes) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                world_version,
                body,
            },
        );
    }
}

fn json_ok(body: Bytes) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(JSON_CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

/// Sits behind the bearer check: only an authorized GET reaches it.
pub async fn serve_cached(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let host = request
        .headers()
        .get(header::HOST)
        .map(HeaderValue::as_bytes)
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(|authority| authority.as_str().as_bytes())
        })
        .unwrap_or_default();
    let path = request
        .uri()
        .path_and_query()
        .map_or("", |path| path.as_str());
    let mut key = String::with_capacity(host.len() + path.len() + 1);
    key.push_str(&String::from_utf8_lossy(host));
    key.push(' ');
    key.push_str(path);
    let world_version = state.world.version();
    if let Some(body) = state.cache.get(&key, world_version) {
        return json_ok(body);
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let small = response
        .body()
        .size_hint()
        .exact()
        .is_some_and(|size| size <= LARGEST_CACHED_BODY as u64);
    if !small {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, LARGEST_CACHED_BODY).await {
        Ok(bytes) => {
            state.cache.put(key, world_version, bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
