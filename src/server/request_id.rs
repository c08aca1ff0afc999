//! Request ids: the client's `X-Request-Id` when it sent a usable one, otherwise one made here.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use uuid::Uuid;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest client id that is kept; a longer one is replaced rather than echoed.
const LONGEST_CLIENT_ID: usize = 128;

/// Makes request ids: a random prefix per world and a counter, shaped as a UUID. A counter
/// rather than a random UUID per request, because drawing one from the system costs a
/// system call on every request; the prefix keeps ids of different worlds and runs apart.
#[derive(Debug)]
pub struct RequestIds {
    prefix: u64,
    next: AtomicU64,
}

impl Default for RequestIds {
    fn default() -> Self {
        Self {
            prefix: rand::random(),
            next: AtomicU64::new(1),
        }
    }
}

impl RequestIds {
    /// The id of a request with `headers`: the client's own when it is 1 to 128 visible
    /// ASCII characters, so a caller can find its request in the logs and the journal.
    pub fn of(&self, headers: &HeaderMap) -> HeaderValue {
        headers
            .get(&X_REQUEST_ID)
            .filter(|value| is_usable(value.as_bytes()))
            .cloned()
            .unwrap_or_else(|| self.make())
    }

    fn make(&self) -> HeaderValue {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let mut buffer = Uuid::encode_buffer();
        let text = Uuid::from_u64_pair(self.prefix, number)
            .hyphenated()
            .encode_lower(&mut buffer);
        HeaderValue::from_str(text)
            .unwrap_or_else(|_| unreachable!("a hyphenated UUID is a valid header value"))
    }
}

fn is_usable(id: &[u8]) -> bool {
    (1..=LONGEST_CLIENT_ID).contains(&id.len()) && id.iter().all(|byte| byte.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_id(id: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(X_REQUEST_ID, HeaderValue::from_str(id).unwrap());
        headers
    }

    #[test]
    fn a_client_id_is_kept() {
        let ids = RequestIds::default();
        assert_eq!(ids.of(&with_id("build-42/test-7")), "build-42/test-7");
    }

    #[test]
    fn ids_made_here_differ_and_unusable_client_ids_are_replaced() {
        let ids = RequestIds::default();
        let first = ids.of(&HeaderMap::new());
        let second = ids.of(&with_id("has space"));
        let third = ids.of(&with_id(&"x".repeat(129)));
        assert_ne!(first, second);
        assert_ne!(second, third);
        assert!(Uuid::parse_str(third.to_str().unwrap()).is_ok());
    }
}
