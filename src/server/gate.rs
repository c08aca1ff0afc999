//! The gate in front of the application: the listener accepts connections from the start,
//! and until the world has loaded every request is answered 503 (health says `loading`).

use std::convert::Infallible;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use axum::body::{Bytes, HttpBody};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;
use axum::routing::future::RouteFuture;
use axum::routing::get;
use axum::{BoxError, Router};
use serde_json::json;

use crate::wire::json_response;

/// Hands each request to the application once it is there, to the loading answers before.
/// Cloned per connection; the application is set once, for all of them.
#[derive(Clone)]
pub struct Gate {
    app: Arc<OnceLock<Router>>,
    loading: Router,
}

impl Default for Gate {
    fn default() -> Self {
        Self {
            app: Arc::default(),
            loading: Router::new()
                .route("/__admin/health", get(loading_health))
                .fallback(loading),
        }
    }
}

impl Gate {
    /// Lets requests through to `app` from now on.
    pub fn open(&self, app: Router) {
        // Only the first application counts: a gate is opened once, by the server that made it.
        let _ = self.app.set(app);
    }
}

async fn loading_health() -> Response {
    json_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({ "status": "loading" }),
    )
}

async fn loading() -> Response {
    let mut response = json_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({ "message": "The service is starting: the world is still loading." }),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

impl<B> tower::Service<Request<B>> for Gate
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = RouteFuture<Infallible>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        match self.app.get() {
            Some(app) => app.clone().call(request),
            None => self.loading.clone().call(request),
        }
    }
}
