//! Which route answered: each answer carries the metrics of its route template, so that the
//! front door counts it and the response cache keeps them with the bytes it keeps.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::AppState;
use crate::telemetry::{RouteMetrics, UNMATCHED};

/// Put on a response by the route that answered it.
#[derive(Debug, Clone)]
pub struct AnsweredBy(pub Arc<RouteMetrics>);

/// Route templates as the contract writes them (`/v3/JobSessions/{sessionId}/LogItems`),
/// by the lower-case path the router matches them at; a path not in it is its own template.
#[derive(Debug, Clone, Default)]
pub struct Templates(Arc<HashMap<String, Arc<str>>>);

impl Templates {
    pub fn new<'a>(templates: impl IntoIterator<Item = &'a str>) -> Self {
        Self(Arc::new(
            templates
                .into_iter()
                .map(|template| (template.to_ascii_lowercase(), Arc::from(template)))
                .collect(),
        ))
    }
}

/// Labels every answer of `router`'s routes, those its middleware refuses included.
pub fn labelled(
    router: Router<AppState>,
    state: AppState,
    templates: Templates,
) -> Router<AppState> {
    router.route_layer(middleware::from_fn_with_state(
        (state, templates),
        label_answer,
    ))
}

async fn label_answer(
    State((state, templates)): State<(AppState, Templates)>,
    request: Request,
    next: Next,
) -> Response {
    let route = {
        let matched = request
            .extensions()
            .get::<MatchedPath>()
            .map_or(UNMATCHED, MatchedPath::as_str);
        let template = templates.0.get(matched).map_or(matched, |known| known);
        state.metrics.route(request.method(), template)
    };
    let mut response = next.run(request).await;
    response.extensions_mut().insert(AnsweredBy(route));
    response
}
