//! Calendar dates for suppression expiry: `YYYY-MM-DD`, compared by day, in UTC.
//!
//! Today's date comes from the system clock, or from `PALISADE_TODAY` so that a test (or a
//! user checking what will expire next month) can pick the day.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that overrides today's date.
pub const TODAY_VARIABLE: &str = "PALISADE_TODAY";

/// A day of the Gregorian calendar; later days compare greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u32,
    month: u32,
    day: u32,
}

/// Text that is not a real `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: write YYYY-MM-DD")]
pub struct DateError(pub String);

impl Date {
    /// Parses `YYYY-MM-DD` exactly (four, two and two digits), refusing days that do not
    /// exist (`2026-02-30`).
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let error = || DateError(text.to_owned());
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(error());
        }
        let number =
            |range: std::ops::Range<usize>| text[range].parse::<u32>().map_err(|_| error());
        let date = Self {
            year: number(0..4)?,
            month: number(5..7)?,
            day: number(8..10)?,
        };
        let valid = (1..=12).contains(&date.month)
            && (1..=days_in_month(date.year, date.month)).contains(&date.day);
        valid.then_some(date).ok_or_else(error)
    }

    /// Today, from `PALISADE_TODAY` when it is set, else from the system clock (UTC).
    pub fn today() -> Result<Self, DateError> {
        match std::env::var(TODAY_VARIABLE) {
            Ok(text) if !text.is_empty() => Self::parse(&text),
            _ => {
                let seconds = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |elapsed| elapsed.as_secs());
                Ok(Self::from_days_since_epoch(seconds / 86_400))
            }
        }
    }

    /// The date `days` days after 1970-01-01.
    fn from_days_since_epoch(days: u64) -> Self {
        let mut days = days;
        let mut year = 1970;
        while days >= u64::from(days_in_year(year)) {
            days -= u64::from(days_in_year(year));
            year += 1;
        }
        let mut month = 1;
        while days >= u64::from(days_in_month(year, month)) {
            days -= u64::from(days_in_month(year, month));
            month += 1;
        }
        // Fewer days remain than the month has, so the day fits.
        let day = u32::try_from(days).unwrap_or_default() + 1;
        Self { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_year(year: u32) -> u32 {
    if is_leap(year) { 366 } else { 365 }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_parse_and_print_back() {
        for text in ["2026-01-31", "2024-02-29", "2000-02-29", "1999-12-01"] {
            assert_eq!(
                Date::parse(text).map(|d| d.to_string()),
                Ok(text.to_owned())
            );
        }
    }

    #[test]
    fn malformed_or_impossible_dates_are_refused() {
        for text in [
            "2026-1-31",
            "2026/01/31",
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-01-00",
            "tomorrow",
            "2026-01-31x",
            "２０２６-01-01",
        ] {
            assert_eq!(Date::parse(text), Err(DateError(text.to_owned())), "{text}");
        }
    }

    #[test]
    fn dates_order_by_day() {
        let date = |text| Date::parse(text).unwrap();
        assert!(date("2026-01-01") < date("2026-01-02"));
        assert!(date("2025-12-31") < date("2026-01-01"));
        assert!(date("2026-02-01") > date("2026-01-31"));
    }

    #[test]
    fn days_since_the_epoch_become_calendar_dates() {
        let date = |days| Date::from_days_since_epoch(days).to_string();
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(31), "1970-02-01");
        // 2000 is a leap year: 2000-02-29 exists.
        assert_eq!(date(11_016), "2000-02-29");
        assert_eq!(date(11_017), "2000-03-01");
        assert_eq!(date(20_454), "2026-01-01");
    }
}
