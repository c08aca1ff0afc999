//! The emulator's clock: wall time shifted by an offset that tests can move forward.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

/// Every timestamp the emulator writes and every expiry it checks reads this clock.
/// The offset is an atomic so that reading the time on the request path takes no lock.
#[derive(Debug, Default)]
pub struct Clock {
    offset_nanos: AtomicI64,
}

impl Clock {
    /// A clock that follows wall time.
    pub fn real() -> Self {
        Self::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::nanoseconds(self.offset_nanos.load(Ordering::Relaxed))
    }

    /// Moves the clock forward, e.g. past a token's expiry.
    pub fn advance(&self, by: TimeDelta) {
        let nanos = by.num_nanoseconds().unwrap_or(i64::MAX);
        self.offset_nanos.fetch_add(nanos, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_at_least_the_step() {
        let clock = Clock::real();
        let before = clock.now();
        clock.advance(TimeDelta::hours(2));
        let after = clock.now();
        assert!(after - before >= TimeDelta::hours(2));
        assert!(after - before < TimeDelta::hours(2) + TimeDelta::seconds(5));
    }
}
