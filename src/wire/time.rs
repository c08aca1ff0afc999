//! The one timestamp formatter: .NET round-trip style with trailing zero ticks dropped.

use std::cell::Cell;
use std::fmt::{self, Display};

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::json::PlainText;
use crate::model::Timestamp;

/// A point in time as .NET keeps it: 100 ns ticks since the Unix epoch (UTC) and the
/// offset, in minutes, it is shown in. Log items are stored this way, so their times are
/// written without a calendar conversion through chrono.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticks {
    pub ticks: i64,
    pub offset_minutes: i16,
}

const TICKS_PER_SECOND: i64 = 10_000_000;
const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;

impl Ticks {
    pub fn of(time: &Timestamp) -> Self {
        // A leap second shows up as nanosecond >= 1e9; .NET has no such tick, so clamp it.
        let fraction = i64::from((time.timestamp_subsec_nanos() / 100).min(9_999_999));
        Self {
            ticks: time
                .timestamp()
                .saturating_mul(TICKS_PER_SECOND)
                .saturating_add(fraction),
            offset_minutes: i16::try_from(time.offset().local_minus_utc() / 60).unwrap_or(0),
        }
    }

    /// Writes Json.NET's `yyyy-MM-ddTHH:mm:ss.FFFFFFFK` into `buffer` and answers the text:
    /// up to seven fractional digits without trailing zeros, no fraction when it is zero,
    /// `Z` for UTC and `+hh:mm`/`-hh:mm` otherwise. Digits are written by hand at fixed
    /// places: a page of log items writes two of these per item.
    pub fn write<'b>(&self, buffer: &'b mut [u8; 40]) -> &'b str {
        let local = self
            .ticks
            .saturating_add(i64::from(self.offset_minutes) * 60 * TICKS_PER_SECOND);
        let days = local.div_euclid(TICKS_PER_DAY);
        let of_day = local.rem_euclid(TICKS_PER_DAY);
        let mut length = match date_text(days) {
            Some(date) => {
                buffer[..10].copy_from_slice(&date);
                10
            }
            None => {
                // Outside .NET's years: what `{:04}` writes, sign and all.
                let (year, month, day) = civil_from_days(days);
                let text = format!("{year:04}-{month:02}-{day:02}");
                buffer[..text.len()].copy_from_slice(text.as_bytes());
                text.len()
            }
        };
        let seconds = (of_day / TICKS_PER_SECOND) as u32;
        let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        buffer[length..length + 9].copy_from_slice(&[
            b'T',
            digit(hour / 10),
            digit(hour),
            b':',
            digit(minute / 10),
            digit(minute),
            b':',
            digit(second / 10),
            digit(second),
        ]);
        length += 9;
        let fraction = (of_day % TICKS_PER_SECOND) as u32;
        if fraction != 0 {
            let digits = [
                b'.',
                digit(fraction / 1_000_000),
                digit(fraction / 100_000),
                digit(fraction / 10_000),
                digit(fraction / 1_000),
                digit(fraction / 100),
                digit(fraction / 10),
                digit(fraction),
            ];
            let kept = 8 - digits
                .iter()
                .rev()
                .take_while(|&&byte| byte == b'0')
                .count();
            buffer[length..length + kept].copy_from_slice(&digits[..kept]);
            length += kept;
        }
        if self.offset_minutes == 0 {
            buffer[length] = b'Z';
            length += 1;
        } else {
            let minutes = u32::from(self.offset_minutes.unsigned_abs());
            let (hours, minutes) = (minutes / 60, minutes % 60);
            buffer[length..length + 6].copy_from_slice(&[
                if self.offset_minutes < 0 { b'-' } else { b'+' },
                digit(hours / 10),
                digit(hours),
                b':',
                digit(minutes / 10),
                digit(minutes),
            ]);
            length += 6;
        }
        std::str::from_utf8(&buffer[..length]).unwrap_or_default()
    }
}

/// `yyyy-MM-dd` of a day counted from 1970-01-01, for years 0 to 9999. The last day
/// written is remembered: the times of a page of log items mostly fall on one day.
fn date_text(days: i64) -> Option<[u8; 10]> {
    thread_local! {
        static LAST: Cell<(i64, [u8; 10])> = const { Cell::new((i64::MIN, [0; 10])) };
    }
    let (last_days, last_text) = LAST.get();
    if last_days == days {
        return Some(last_text);
    }
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let year = year as u32;
    let text = [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    LAST.set((days, text));
    Some(text)
}

/// The last decimal digit of `n`, in ASCII.
fn digit(n: u32) -> u8 {
    b'0' + (n % 10) as u8
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl Display for Ticks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.write(&mut [0; 40]))
    }
}

impl Serialize for Ticks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PlainText(self.write(&mut [0; 40])).serialize(serializer)
    }
}

/// A stored time, rendered like Json.NET's default (see [`Ticks::write`]).
#[derive(Debug, Clone, Copy)]
pub struct DotNetTime<'a>(pub &'a Timestamp);

impl Display for DotNetTime<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ticks::of(self.0).fmt(f)
    }
}

impl Serialize for DotNetTime<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Ticks::of(self.0).serialize(serializer)
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

/// The forms the vendor documents for a time in a request body besides RFC 3339 (the
/// explore options' `datetime`: `2019-04-12 10:54:40.279`, `2019.04.12 10:54:40`), read
/// as UTC.
const REQUEST_TIME_FORMATS: [&str; 3] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y.%m.%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
];

/// A time a request body gives, in any form the vendor documents; `null` is no time.
pub fn request_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| {
            REQUEST_TIME_FORMATS.iter().find_map(|format| {
                NaiveDateTime::parse_from_str(text, format)
                    .ok()
                    .map(|time| time.and_utc().fixed_offset())
            })
        })
        .map(Some)
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "'{text}' is not a date and time such as 2023-04-04T07:07:21Z or 2023.04.04 07:07:21"
            ))
        })
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

    #[derive(Debug, Deserialize)]
    struct Options {
        #[serde(default, deserialize_with = "request_time")]
        datetime: Option<DateTime<FixedOffset>>,
    }

    #[test]
    fn a_request_time_is_read_in_every_documented_form() {
        let read =
            |json: &str| serde_json::from_str::<Options>(json).map(|options| options.datetime);
        let expected = DateTime::parse_from_rfc3339("2019-04-12T10:54:40Z").unwrap();
        for text in [
            r#"{"datetime": "2019-04-12T10:54:40Z"}"#,
            r#"{"datetime": "2019-04-12T10:54:40"}"#,
            r#"{"datetime": "2019-04-12 10:54:40"}"#,
            r#"{"datetime": "2019.04.12 10:54:40"}"#,
        ] {
            assert_eq!(read(text).unwrap(), Some(expected), "{text}");
        }
        assert_eq!(
            read(r#"{"datetime": "2019-04-12 10:54:40.279"}"#).unwrap(),
            Some(expected + chrono::TimeDelta::milliseconds(279))
        );
        assert_eq!(read(r#"{"datetime": null}"#).unwrap(), None);
        assert_eq!(read("{}").unwrap(), None);
        assert!(read(r#"{"datetime": "yesterday"}"#).is_err());
        assert!(read(r#"{"datetime": 5}"#).is_err());
    }

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
    fn dates_far_from_today_are_on_the_right_day() {
        for text in [
            "0001-01-01T00:00:00Z",
            "1600-02-29T23:59:59.9999999Z",
            "1969-12-31T23:59:59.9999999+05:30",
            "2000-02-29T12:00:00-12:00",
            "2100-03-01T00:00:00Z",
            "9999-12-31T23:59:59.9999999Z",
        ] {
            assert_eq!(render(text), text);
        }
    }

    #[test]
    fn every_day_of_four_centuries_matches_chrono() {
        let start = DateTime::parse_from_rfc3339("1900-01-01T12:34:56.789Z").unwrap();
        for day in 0..146_097 {
            let time = start + chrono::TimeDelta::days(day);
            assert_eq!(
                DotNetTime(&time).to_string(),
                format!("{}.789Z", time.format("%Y-%m-%dT%H:%M:%S")),
                "{time}"
            );
        }
    }

    #[test]
    fn every_second_of_a_day_matches_chrono_and_years_past_9999_keep_their_digits() {
        let start = DateTime::parse_from_rfc3339("2024-02-29T00:00:00.5+02:00").unwrap();
        for second in 0..86_400 {
            let time = start + chrono::TimeDelta::seconds(second);
            assert_eq!(
                DotNetTime(&time).to_string(),
                format!("{}.5+02:00", time.format("%Y-%m-%dT%H:%M:%S")),
            );
        }
        let far = DateTime::parse_from_rfc3339("9999-12-31T23:59:59Z").unwrap()
            + chrono::TimeDelta::seconds(3_661);
        assert_eq!(DotNetTime(&far).to_string(), "10000-01-01T01:01:00Z");
    }

    #[test]
    fn http_date_is_rfc_1123_in_gmt() {
        let time = DateTime::parse_from_rfc3339("2017-04-04T00:07:21.3664166-07:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(http_date(time), "Tue, 04 Apr 2017 07:07:21 GMT");
    }
}
