//! The emulator's clock: wall time, a frozen instant or sped-up time, which tests can set and step.

use std::fmt;
use std::str::FromStr;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The earliest and latest times the clock shows: those of .NET's `DateTime`, which the
/// vendor's server is written with, so nothing past them ever goes on the wire.
pub fn earliest() -> DateTime<Utc> {
    DateTime::from_timestamp(-62_135_596_800, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub fn latest() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The fastest a sped-up clock runs: a million times wall time, eleven and a half days a
/// second.
pub const FASTEST: u32 = 1_000_000;

/// Whether the clock may show `time`.
pub fn is_in_range(time: DateTime<Utc>) -> bool {
    (earliest()..=latest()).contains(&time)
}

/// How virtual time moves between steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClockMode {
    /// As fast as wall time.
    Real,
    /// Not at all: only `advance` and `set` move it.
    Frozen,
    /// `speed` times as fast as wall time.
    Speed,
}

/// `--clock`: `real`, `frozen`, `speed:N`, each optionally `@TIME` to start from
/// (`frozen:TIME` is accepted too): `frozen:2017-04-04T07:07:21Z`, `speed:60@2017-04-04T00:00:00Z`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockSetting {
    pub mode: ClockMode,
    pub speed: u32,
    pub start: Option<DateTime<Utc>>,
}

impl Default for ClockSetting {
    fn default() -> Self {
        Self {
            mode: ClockMode::Real,
            speed: 1,
            start: None,
        }
    }
}

impl fmt::Display for ClockSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mode {
            ClockMode::Real => f.write_str("real")?,
            ClockMode::Frozen => f.write_str("frozen")?,
            ClockMode::Speed => write!(f, "speed:{}", self.speed)?,
        }
        match self.start {
            Some(start) => write!(f, "@{}", start.to_rfc3339()),
            None => Ok(()),
        }
    }
}

impl FromStr for ClockSetting {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (head, start) = match text.split_once('@') {
            Some((head, start)) => (head, Some(start)),
            None => match text.strip_prefix("frozen:") {
                Some(start) => ("frozen", Some(start)),
                None => (text, None),
            },
        };
        let start = start
            .map(|start| {
                DateTime::parse_from_rfc3339(start)
                    .map(|time| time.with_timezone(&Utc))
                    .map_err(|_| {
                        format!("'{start}' is not an RFC 3339 time such as 2017-04-04T07:07:21Z")
                    })
            })
            .transpose()?;
        if let Some(start) = start.filter(|start| !is_in_range(*start)) {
            return Err(format!("{start} is outside {} to {}", earliest(), latest()));
        }
        let (mode, speed) = match head {
            "real" => (ClockMode::Real, 1),
            "frozen" => (ClockMode::Frozen, 1),
            _ => match head.strip_prefix("speed:").map(str::parse::<u32>) {
                Some(Ok(speed)) if (1..=FASTEST).contains(&speed) => (ClockMode::Speed, speed),
                _ => {
                    return Err(format!(
                        "expected real, frozen, frozen:TIME or speed:N (N from 1 to {FASTEST}), optionally @TIME"
                    ));
                }
            },
        };
        Ok(Self { mode, speed, start })
    }
}

/// Where virtual time stood at a wall instant, and how it moves from there.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    mode: ClockMode,
    speed: u32,
    wall: DateTime<Utc>,
    virtual_time: DateTime<Utc>,
}

impl Anchor {
    /// Stops at the latest time rather than overflowing, however long a fast clock runs.
    fn now(&self, wall_now: DateTime<Utc>) -> DateTime<Utc> {
        let elapsed = wall_now - self.wall;
        let moved = match self.mode {
            ClockMode::Frozen => Some(TimeDelta::zero()),
            ClockMode::Real => Some(elapsed),
            ClockMode::Speed => elapsed.checked_mul(i32::try_from(self.speed).unwrap_or(i32::MAX)),
        };
        moved
            .and_then(|moved| self.virtual_time.checked_add_signed(moved))
            .map_or_else(latest, |now| now.min(latest()))
    }
}

/// What `GET /__admin/clock` shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClockReading {
    pub now: DateTime<Utc>,
    pub mode: ClockMode,
    pub speed: u32,
}

/// Every timestamp the emulator writes and every expiry it checks reads this clock. A std
/// `RwLock`: reads are many and never wait on I/O; changes come only from the control API.
#[derive(Debug)]
pub struct Clock {
    anchor: RwLock<Anchor>,
}

impl Clock {
    pub fn new(setting: ClockSetting) -> Self {
        let wall = Utc::now();
        Self {
            anchor: RwLock::new(Anchor {
                mode: setting.mode,
                speed: setting.speed,
                wall,
                virtual_time: setting.start.unwrap_or(wall),
            }),
        }
    }

    /// A clock that follows wall time.
    pub fn real() -> Self {
        Self::new(ClockSetting::default())
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.anchor
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .now(Utc::now())
    }

    pub fn reading(&self) -> ClockReading {
        let anchor = *self.anchor.read().unwrap_or_else(PoisonError::into_inner);
        ClockReading {
            now: anchor.now(Utc::now()),
            mode: anchor.mode,
            speed: anchor.speed,
        }
    }

    /// What the clock showed `ago` in wall time, at its present rate.
    pub fn showed(&self, ago: Duration) -> DateTime<Utc> {
        let ago = TimeDelta::from_std(ago).unwrap_or(TimeDelta::zero());
        self.anchor
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .now(Utc::now() - ago)
    }

    /// The wall time until the clock shows `at`, at its present rate: zero once it does,
    /// `None` when a frozen clock never will by itself.
    pub fn wall_until(&self, at: DateTime<Utc>) -> Option<Duration> {
        let anchor = *self.anchor.read().unwrap_or_else(PoisonError::into_inner);
        let ahead = (at - anchor.now(Utc::now()))
            .to_std()
            .unwrap_or(Duration::ZERO);
        let rate = match anchor.mode {
            _ if ahead.is_zero() => 1,
            ClockMode::Frozen => return None,
            ClockMode::Real => 1,
            ClockMode::Speed => anchor.speed.max(1),
        };
        Some(ahead / rate)
    }

    /// Moves the clock forward, e.g. past a token's expiry; no further than the latest time.
    pub fn advance(&self, by: TimeDelta) {
        let mut anchor = self.anchor.write().unwrap_or_else(PoisonError::into_inner);
        anchor.virtual_time = anchor
            .virtual_time
            .checked_add_signed(by)
            .map_or_else(latest, |time| time.min(latest()));
    }

    /// Sets the time and/or the mode; what is not given stays as it is.
    pub fn set(&self, now: Option<DateTime<Utc>>, mode: Option<ClockMode>, speed: Option<u32>) {
        let mut anchor = self.anchor.write().unwrap_or_else(PoisonError::into_inner);
        let wall = Utc::now();
        let current = anchor.now(wall);
        *anchor = Anchor {
            mode: mode.unwrap_or(anchor.mode),
            speed: speed.unwrap_or(anchor.speed),
            wall,
            virtual_time: now.unwrap_or(current),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn settings_parse_every_documented_form() {
        let frozen: ClockSetting = "frozen:2017-04-04T07:07:21Z".parse().unwrap();
        assert_eq!(
            (frozen.mode, frozen.start),
            (ClockMode::Frozen, Some(at("2017-04-04T07:07:21Z")))
        );
        let speed: ClockSetting = "speed:60@2017-04-04T00:00:00Z".parse().unwrap();
        assert_eq!((speed.mode, speed.speed), (ClockMode::Speed, 60));
        assert_eq!(
            "real".parse::<ClockSetting>().unwrap(),
            ClockSetting::default()
        );
        for bad in ["slow", "speed:0", "speed:x", "frozen:yesterday"] {
            assert!(bad.parse::<ClockSetting>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_frozen_clock_moves_only_when_told() {
        let clock = Clock::new("frozen:2017-04-04T07:07:21Z".parse().unwrap());
        assert_eq!(clock.now(), at("2017-04-04T07:07:21Z"));
        clock.advance(TimeDelta::seconds(90));
        assert_eq!(clock.now(), at("2017-04-04T07:08:51Z"));
        clock.set(Some(at("2018-01-01T00:00:00Z")), None, None);
        assert_eq!(clock.now(), at("2018-01-01T00:00:00Z"));
    }

    #[test]
    fn a_fast_clock_runs_ahead_of_wall_time() {
        let clock = Clock::new("speed:1000".parse().unwrap());
        let before = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() - before >= TimeDelta::seconds(19));
    }

    #[test]
    fn the_wall_time_until_a_virtual_time_follows_the_rate() {
        let start = at("2017-04-04T00:00:00Z");
        let frozen = Clock::new("frozen:2017-04-04T00:00:00Z".parse().unwrap());
        assert_eq!(frozen.wall_until(start + TimeDelta::hours(1)), None);
        assert_eq!(frozen.wall_until(start), Some(Duration::ZERO));
        assert_eq!(frozen.showed(Duration::from_secs(60)), start);
        let fast = Clock::new("speed:3600@2017-04-04T00:00:00Z".parse().unwrap());
        let wait = fast.wall_until(start + TimeDelta::hours(1)).unwrap();
        assert!(wait <= Duration::from_secs(1) && wait > Duration::from_millis(900));
        assert!(fast.showed(Duration::from_secs(1)) < start);
        assert_eq!(
            Clock::real().wall_until(Utc::now() - TimeDelta::hours(1)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn advancing_a_real_clock_moves_now_forward_by_the_step() {
        let clock = Clock::real();
        let before = clock.now();
        clock.advance(TimeDelta::hours(2));
        let after = clock.now();
        assert!(after - before >= TimeDelta::hours(2));
        assert!(after - before < TimeDelta::hours(2) + TimeDelta::seconds(5));
    }
}
