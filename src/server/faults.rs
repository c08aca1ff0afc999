//! Fault injection in the front door: the armed rules with their match counts, and what a fired rule does to the answer.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::stream;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use axum::extract::Request;

use crate::AppState;
use crate::auth::bearer;
use crate::error::ApiError;
use crate::model::{FaultAction, FaultRequest, FaultRule};
use crate::wire::{self, Version};

/// How long a broken body waits before failing, so that its bytes reach the client.
const FLUSH_PAUSE: Duration = Duration::from_millis(100);

/// A rule and how many requests it has matched since it was added.
#[derive(Debug)]
struct Armed {
    rule: FaultRule,
    matched: AtomicU64,
}

/// The rules the front door checks. With none, checking costs one atomic load.
#[derive(Debug, Default)]
pub struct FaultTable {
    active: AtomicBool,
    armed: RwLock<Arc<Vec<Arc<Armed>>>>,
    /// The world's seed, which chances are drawn from.
    seed: AtomicU64,
}

/// A rule that fired on a request: its id and what to do, with the number drawn for it.
#[derive(Debug, Clone)]
pub struct Fired {
    pub rule_id: String,
    pub action: FaultAction,
    draw: f64,
    /// The version the request addressed, whose error shape a status answer takes.
    version: Option<Version>,
}

impl FaultTable {
    /// Arms `rules`; a rule that was armed before, unchanged, keeps its count, so editing
    /// one rule does not restart the `nth` of the others.
    pub fn load(&self, rules: &[FaultRule], seed: u64) {
        self.seed.store(seed, Ordering::Relaxed);
        let mut armed = self.armed.write().unwrap_or_else(PoisonError::into_inner);
        let next: Vec<Arc<Armed>> = rules
            .iter()
            .map(|rule| {
                armed
                    .iter()
                    .find(|known| known.rule == *rule)
                    .cloned()
                    .unwrap_or_else(|| {
                        Arc::new(Armed {
                            rule: rule.clone(),
                            matched: AtomicU64::new(0),
                        })
                    })
            })
            .collect();
        self.active.store(!next.is_empty(), Ordering::Release);
        *armed = Arc::new(next);
    }

    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Acquire)
    }

    /// The first rule that matches `request` and fires, counting the match of every rule
    /// it reaches.
    pub fn fire(&self, request: &FaultRequest<'_>, now: DateTime<Utc>) -> Option<Fired> {
        let seed = self.seed.load(Ordering::Relaxed);
        let armed = self
            .armed
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        armed.iter().find_map(|armed| {
            if !armed.rule.matches(request) {
                return None;
            }
            let count = armed.matched.fetch_add(1, Ordering::Relaxed) + 1;
            let id = armed.rule.id.clone().unwrap_or_default();
            let draw = draw(seed, &id, count);
            armed.rule.fires(count, now, draw).then(|| Fired {
                rule_id: id,
                action: armed.rule.action.clone(),
                draw,
                version: None,
            })
        })
    }
}

/// The rule that fires on `request`, if any: never on the control API, which tests need
/// to undo what they set up.
pub fn fired(state: &AppState, request: &Request, now: DateTime<Utc>) -> Option<Fired> {
    if !state.faults.is_active() || super::journal::is_control_api(request.uri().path()) {
        return None;
    }
    let path = request.uri().path();
    let token = bearer::bearer_token(request.headers());
    let user = bearer::token_user(state, request.headers(), now);
    let version = path
        .split('/')
        .nth(1)
        .filter(|segment| segment.len() == 2 && segment.starts_with(['v', 'V']));
    let fired = state.faults.fire(
        &FaultRequest {
            method: request.method().as_str(),
            path,
            version,
            user: user.as_deref(),
            token,
        },
        now,
    )?;
    Some(Fired {
        version: version.and_then(|segment| segment.to_ascii_lowercase().parse().ok()),
        ..fired
    })
}

/// A number from 0 to 1 that depends only on the world's seed, the rule and the count.
fn draw(seed: u64, rule_id: &str, count: u64) -> f64 {
    let rule = rule_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    ChaCha8Rng::seed_from_u64(
        seed ^ rule.rotate_left(17) ^ count.wrapping_mul(0x9e37_79b9_7f4a_7c15),
    )
    .random::<f64>()
}

impl Fired {
    /// How long to wait before answering.
    pub fn delay(&self) -> Option<Duration> {
        let shortest = self.action.delay_ms?;
        let longest = self.action.delay_max_ms.unwrap_or(shortest);
        let span = (longest - shortest) as f64;
        Some(Duration::from_millis(shortest + (span * self.draw) as u64))
    }

    /// The answer the rule gives instead of the route's, if it replaces it.
    pub fn replacement(&self) -> Option<Response> {
        let action = &self.action;
        if action.reset {
            return Some(broken(Vec::new()));
        }
        if action.empty {
            return Some(StatusCode::OK.into_response());
        }
        let status = StatusCode::from_u16(action.status?).ok()?;
        let mut response = match &action.body {
            Some(body) => (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(wire::JSON_CONTENT_TYPE),
                )],
                body.clone(),
            )
                .into_response(),
            None => {
                let error = ApiError::Injected {
                    status,
                    rule: self.rule_id.clone(),
                }
                .into_response();
                match self.version {
                    Some(version) => wire::errors::in_dialect(version, error),
                    None => error,
                }
            }
        };
        if let Some(seconds) = action.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        Some(response)
    }

    /// The route's own answer, damaged as the rule says: cut short, sent slowly, or made
    /// into text that is not JSON.
    pub async fn damage(&self, response: Response) -> Response {
        let action = &self.action;
        if action.cut_after_bytes.is_none()
            && action.bytes_per_second.is_none()
            && !action.malformed
        {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return StatusCode::BAD_GATEWAY.into_response();
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        if action.malformed {
            let half = bytes.slice(..bytes.len() / 2);
            return Response::from_parts(parts, Body::from(half));
        }
        if let Some(cut) = action.cut_after_bytes {
            // The full length is declared, so the client knows the body stopped short.
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let kept = bytes.slice(..cut.min(bytes.len())).to_vec();
            let mut response = broken(kept);
            *response.status_mut() = parts.status;
            *response.headers_mut() = parts.headers;
            return response;
        }
        let per_second = action.bytes_per_second.unwrap_or(1).max(1) as usize;
        Response::from_parts(parts, slowly(bytes, per_second))
    }
}

/// A body that sends `kept` and then fails, which makes the server close the connection
/// without finishing the answer: the client sees a reset or a body cut short. The pause
/// lets what was kept be written out first; failing at once would discard it unsent.
fn broken(kept: Vec<u8>) -> Response {
    /// Where a broken body is: bytes still to send, bytes sent, failed.
    enum Stage {
        Unsent(Vec<u8>),
        Sent,
        Failed,
    }
    let failure = || Err(std::io::Error::other("fault rule: connection reset"));
    let chunks = stream::unfold(Stage::Unsent(kept), move |stage| async move {
        match stage {
            Stage::Unsent(kept) if kept.is_empty() => Some((failure(), Stage::Failed)),
            Stage::Unsent(kept) => Some((Ok(Bytes::from(kept)), Stage::Sent)),
            Stage::Sent => {
                tokio::time::sleep(FLUSH_PAUSE).await;
                Some((failure(), Stage::Failed))
            }
            Stage::Failed => None,
        }
    });
    Response::new(Body::from_stream(chunks))
}

/// Sends `bytes` a tenth of `per_second` every tenth of a second.
fn slowly(bytes: Bytes, per_second: usize) -> Body {
    let chunk = (per_second / 10).max(1);
    let chunks = stream::unfold((bytes, 0usize), move |(bytes, sent)| async move {
        if sent >= bytes.len() {
            return None;
        }
        if sent > 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let end = (sent + chunk).min(bytes.len());
        Some((
            Ok::<_, std::io::Error>(bytes.slice(sent..end)),
            (bytes, end),
        ))
    });
    Body::from_stream(chunks)
}
