//! The one timestamp formatter: .NET round-trip style with trailing zero ticks dropped.

use std::fmt::{self, Display, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

use crate::model::Timestamp;

/// Renders like Json.NET's default `yyyy-MM-ddTHH:mm:ss.FFFFFFFK`: up to seven fractional
/// digits (100 ns ticks) without trailing zeros, no fraction when it is zero, `Z` for UTC
/// and `+hh:mm`/`-hh:mm` otherwise.
#[derive(Debug, Clone, Copy)]
pub struct DotNetTime<'a>(pub &'a Timestamp);

impl Display for DotNetTime<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )?;
        // A leap second shows up as nanosecond >= 1e9; .NET has no such tick, so clamp it.
        let mut ticks = (t.nanosecond() / 100).min(9_999_999);
        if ticks != 0 {
            let mut digits = 7;
            while ticks.is_multiple_of(10) {
                ticks /= 10;
                digits -= 1;
            }
            write!(f, ".{ticks:0digits$}")?;
        }
        let offset = t.offset().local_minus_utc();
        if offset == 0 {
            return f.write_char('Z');
        }
        let sign = if offset < 0 { '-' } else { '+' };
        let minutes = offset.unsigned_abs() / 60;
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

impl Serialize for DotNetTime<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A time computed for the response rather than borrowed from the world.
#[derive(Debug, Clone, Copy)]
pub struct OwnedTime(pub Timestamp);

impl Serialize for OwnedTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DotNetTime(&self.0).serialize(serializer)
    }
}

/// A time a non-nullable field may lack (the end of a running session): absent, it is
/// .NET's `DateTime.MinValue`, which Json.NET writes without an offset.
#[derive(Debug, Clone, Copy)]
pub struct OptionalTime<'a>(pub Option<&'a Timestamp>);

impl Serialize for OptionalTime<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(time) => DotNetTime(time).serialize(serializer),
            None => serializer.serialize_str("0001-01-01T00:00:00"),
        }
    }
}

/// RFC 1123, as OWIN writes `.issued` and `.expires` on v3 tokens: `Tue, 04 Apr 2017 07:07:21 GMT`.
pub fn http_date(time: DateTime<Utc>) -> String {
    time.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A computed time that the contract does not let be null.
pub struct OwnedOptionalTime(pub Option<Timestamp>);

impl Serialize for OwnedOptionalTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        OptionalTime(self.0.as_ref()).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        DotNetTime(&DateTime::parse_from_rfc3339(text).unwrap()).to_string()
    }

    #[test]
    fn seven_digit_fractions_come_back_unchanged() {
        assert_eq!(
            render("2017-04-04T00:07:21.3664166-07:00"),
            "2017-04-04T00:07:21.3664166-07:00"
        );
    }

    #[test]
    fn trailing_zero_ticks_are_dropped() {
        assert_eq!(
            render("2017-04-04T00:07:28.4544870-07:00"),
            "2017-04-04T00:07:28.454487-07:00"
        );
        assert_eq!(render("2019-06-16T22:00:00.5Z"), "2019-06-16T22:00:00.5Z");
    }

    #[test]
    fn a_whole_second_has_no_fraction() {
        assert_eq!(render("2019-06-16T22:00:00.000Z"), "2019-06-16T22:00:00Z");
    }

    #[test]
    fn precision_below_a_tick_is_truncated() {
        assert_eq!(
            render("2019-06-16T22:00:00.123456789Z"),
            "2019-06-16T22:00:00.1234567Z"
        );
    }

    #[test]
    fn utc_is_written_z_and_other_offsets_in_hours_and_minutes() {
        assert_eq!(render("2019-06-16T22:00:00+00:00"), "2019-06-16T22:00:00Z");
        assert_eq!(
            render("2019-06-16T22:00:00+05:30"),
            "2019-06-16T22:00:00+05:30"
        );
        assert_eq!(
            render("2019-06-16T22:00:00-09:45"),
            "2019-06-16T22:00:00-09:45"
        );
    }

    #[test]
    fn http_date_is_rfc_1123_in_gmt() {
        let time = DateTime::parse_from_rfc3339("2017-04-04T00:07:21.3664166-07:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(http_date(time), "Tue, 04 Apr 2017 07:07:21 GMT");
    }
}
