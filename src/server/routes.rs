//! Which route answered: each answer carries the metrics of its route template, so that the
//! front door counts it and the response cache keeps them with the bytes it keeps.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::AppState;
use crate::auth::bearer;
use crate::server::cache;
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

/// Who may call a router's routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the token endpoint, the control API, what answers before a login.
    Open,
    /// Callers with a live bearer token (and the antiforgery token it asks for); what these
    /// routes answer with 200 may be kept by the response cache.
    Bearer,
}

/// Labels every answer of `router`'s routes, those its access check refuses included, and
/// checks `access` first. One middleware does both: each layer a route is wrapped in costs
/// every request that reaches it a boxed clone and a future of its own.
pub fn labelled(
    router: Router<AppState>,
    state: AppState,
    templates: Templates,
    access: Access,
) -> Router<AppState> {
    router.route_layer(middleware::from_fn_with_state(
        Arc::new((state, templates, access)),
        answer_route,
    ))
}

async fn answer_route(
    State(gate): State<Arc<(AppState, Templates, Access)>>,
    request: Request,
    next: Next,
) -> Response {
    let (state, templates, access) = &*gate;
    let route = {
        let matched = request
            .extensions()
            .get::<MatchedPath>()
            .map_or(UNMATCHED, MatchedPath::as_str);
        let template = templates.0.get(matched).map_or(matched, |known| known);
        state.metrics.route(request.method(), template)
    };
    let mut response = match access {
        Access::Open => next.run(request).await,
        Access::Bearer => match bearer::refusal(state, request.headers()) {
            Some(refused) => refused,
            None => cache::mark_cacheable(next.run(request).await),
        },
    };
    response.extensions_mut().insert(AnsweredBy(route));
    response
}
