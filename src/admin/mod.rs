//! The `/__admin` control API: health, metrics, the world (export, replace, reset, edits),
//! isolated worlds, fault rules, live tokens and the request journal.

mod clock;
mod faults;
mod metrics;
mod scenarios;
mod tokens;
mod world;
mod worlds;

use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::AppState;
use crate::server::journal::{self, JournalFilter};
use crate::wire::json_response;
use crate::world::file::Problem;

pub use metrics::metrics_router;

pub fn router(state: AppState) -> Router<AppState> {
    let protected = world::router()
        .merge(clock::router())
        .merge(faults::router())
        .merge(scenarios::router())
        .merge(tokens::router())
        .merge(worlds::router())
        .route(
            "/__admin/requests",
            get(list_requests).delete(clear_requests),
        )
        .route_layer(middleware::from_fn_with_state(state, require_admin_token));
    Router::new()
        .route("/__admin/health", get(health))
        .route("/__admin/metrics", get(metrics::metrics))
        .merge(protected)
}

async fn health() -> Response {
    json_response(StatusCode::OK, &json!({ "status": "ok" }))
}

/// With `--admin-token`, the control API wants `Authorization: Bearer <admin token>`.
async fn require_admin_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(expected) = state.admin_token.as_deref() else {
        return next.run(request).await;
    };
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    if presented == Some(expected) {
        next.run(request).await
    } else {
        let mut response = AdminError::new(
            StatusCode::UNAUTHORIZED,
            "The control API needs Authorization: Bearer <admin token>.",
        )
        .into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        response
    }
}

/// A control API failure: `{"message": ..., "problems": ["path: what is wrong", ...]}`.
#[derive(Debug)]
pub struct AdminError {
    status: StatusCode,
    message: String,
    problems: Vec<Problem>,
}

impl AdminError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            problems: Vec::new(),
        }
    }

    /// A 400 listing every problem of a payload; nothing was changed.
    pub fn invalid(problems: Vec<Problem>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: "The payload is not valid; nothing was changed.".to_owned(),
            problems,
        }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            message: &'a str,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            problems: Vec<String>,
        }
        let problems = self.problems.iter().map(ToString::to_string).collect();
        json_response(
            self.status,
            &Body {
                message: &self.message,
                problems,
            },
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestsQuery {
    path: Option<String>,
    method: Option<String>,
    request_id: Option<String>,
    status: Option<String>,
    since: Option<String>,
}

async fn list_requests(
    State(state): State<AppState>,
    query: Result<Query<RequestsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AdminError> {
    let Query(query) = query
        .map_err(|rejection| AdminError::new(StatusCode::BAD_REQUEST, rejection.body_text()))?;
    let status = query
        .status
        .map(|status| {
            status.parse::<u16>().map_err(|_| {
                AdminError::invalid(vec![Problem {
                    path: "status".to_owned(),
                    message: format!("'{status}' is not an HTTP status"),
                }])
            })
        })
        .transpose()?;
    let since = query
        .since
        .map(|since| {
            DateTime::parse_from_rfc3339(&since)
                .map(|time| time.with_timezone(&Utc))
                .map_err(|_| {
                    AdminError::invalid(vec![Problem {
                        path: "since".to_owned(),
                        message: format!("'{since}' is not an RFC 3339 time"),
                    }])
                })
        })
        .transpose()?;
    let filter = JournalFilter {
        path: query.path,
        method: query.method,
        request_id: query.request_id,
        status,
        since,
    };
    #[derive(Serialize)]
    struct Body {
        total: usize,
        requests: Vec<journal::JournalEntry>,
    }
    let requests = state.journal.matching(&filter);
    Ok(json_response(
        StatusCode::OK,
        &Body {
            total: requests.len(),
            requests,
        },
    ))
}

async fn clear_requests(State(state): State<AppState>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}
