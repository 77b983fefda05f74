//! Date and time functions on RFC 3339 timestamps: `formatdate` and `timeadd`. Both are
//! deterministic given their arguments (only `timestamp()` depends on the clock), so
//! they are computed here with plain calendar arithmetic, keeping the timestamp's own
//! UTC offset as Terraform does.

use super::{Args, Arity, Builtin, Called, FunctionError};

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("formatdate", Arity::Exactly(2), formatdate),
    Builtin::known("timeadd", Arity::Exactly(2), timeadd),
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Day names, starting on Thursday: 1970-01-01 (day zero) was a Thursday.
const WEEKDAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];

/// A point in time in the calendar of its own UTC offset.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Timestamp {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanosecond: u32,
    /// East of UTC, in minutes.
    offset_minutes: i32,
}

impl Timestamp {
    /// Parses RFC 3339's `date-time`: `2018-01-02T23:12:01Z`, with an optional fraction
    /// of a second and a `Z` or `±hh:mm` offset.
    fn parse(text: &str) -> Result<Self, String> {
        let invalid = || format!("{text:?} is not a valid RFC 3339 timestamp");
        let bytes = text.as_bytes();
        let number = |range: std::ops::Range<usize>| -> Result<u32, String> {
            let digits = text.get(range).ok_or_else(invalid)?;
            if digits.bytes().all(|b| b.is_ascii_digit()) {
                digits.parse().map_err(|_| invalid())
            } else {
                Err(invalid())
            }
        };
        let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
        if bytes.len() < 20 || separators.iter().any(|(i, c)| bytes[*i] != *c) {
            return Err(invalid());
        }
        let mut timestamp = Timestamp {
            year: i64::from(number(0..4)?),
            month: number(5..7)?,
            day: number(8..10)?,
            hour: number(11..13)?,
            minute: number(14..16)?,
            second: number(17..19)?,
            nanosecond: 0,
            offset_minutes: 0,
        };
        let mut rest = &text[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(invalid());
            }
            let padded = format!("{:0<9}", &fraction[..digits.min(9)]);
            timestamp.nanosecond = padded.parse().map_err(|_| invalid())?;
            rest = &fraction[digits..];
        }
        timestamp.offset_minutes = match rest.as_bytes() {
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let hours = number(text.len() - 5..text.len() - 3)?;
                let minutes = number(text.len() - 2..text.len())?;
                if hours > 23 || minutes > 59 {
                    return Err(invalid());
                }
                let total = (hours * 60 + minutes) as i32;
                if *sign == b'-' { -total } else { total }
            }
            _ => return Err(invalid()),
        };
        let valid = (1..=12).contains(&timestamp.month)
            && (1..=days_in_month(timestamp.year, timestamp.month)).contains(&timestamp.day)
            && timestamp.hour < 24
            && timestamp.minute < 60
            && timestamp.second < 60;
        if valid { Ok(timestamp) } else { Err(invalid()) }
    }

    /// Days since 1970-01-01 of the local date.
    fn days(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// Nanoseconds since the Unix epoch (the instant, whatever the offset).
    fn instant(&self) -> i128 {
        let local_seconds = self.days() * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        let seconds = local_seconds - i64::from(self.offset_minutes) * 60;
        i128::from(seconds) * 1_000_000_000 + i128::from(self.nanosecond)
    }

    /// The instant `nanos` in the calendar of `offset_minutes`.
    fn at(nanos: i128, offset_minutes: i32) -> Option<Self> {
        let local = nanos + i128::from(offset_minutes) * 60 * 1_000_000_000;
        let seconds = i64::try_from(local.div_euclid(1_000_000_000)).ok()?;
        let nanosecond = u32::try_from(local.rem_euclid(1_000_000_000)).ok()?;
        let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        let second_of_day = u32::try_from(second_of_day).ok()?;
        Some(Timestamp {
            year,
            month,
            day,
            hour: second_of_day / 3_600,
            minute: second_of_day / 60 % 60,
            second: second_of_day % 60,
            nanosecond,
            offset_minutes,
        })
    }

    /// The offset as `-08:00` (with `colon`) or `-0800`.
    fn offset(&self, colon: bool) -> String {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let minutes = self.offset_minutes.unsigned_abs();
        let separator = if colon { ":" } else { "" };
        format!("{sign}{:02}{separator}{:02}", minutes / 60, minutes % 60)
    }

    /// RFC 3339 without a fraction of a second, as Go's `time.RFC3339` layout writes it.
    fn rfc3339(&self) -> String {
        let zone = if self.offset_minutes == 0 {
            "Z".to_owned()
        } else {
            self.offset(true)
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
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

/// `formatdate(spec, timestamp)`: letters form verbs (`YYYY`, `MMM`, `hh`...), text in
/// single quotes is literal (`''` is a quote), anything else is copied.
fn formatdate(args: &Args<'_>) -> Called {
    let spec = args.string(0)?;
    let time = Timestamp::parse(&args.string(1)?).map_err(|m| args.error(1, m))?;
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.next_if_eq(&'\'').is_some() {
                out.push('\'');
                continue;
            }
            loop {
                match chars.next() {
                    None => return Err(args.error(0, "unterminated literal '")),
                    Some('\'') if chars.next_if_eq(&'\'').is_some() => out.push('\''),
                    Some('\'') => break,
                    Some(other) => out.push(other),
                }
            }
        } else if c.is_ascii_alphabetic() {
            let mut run = 1;
            while chars.next_if_eq(&c).is_some() {
                run += 1;
            }
            out.push_str(&verb(&time, c, run).ok_or_else(|| {
                args.error(
                    0,
                    format!("invalid date format verb {:?}", c.to_string().repeat(run)),
                )
            })?);
        } else {
            out.push(c);
        }
    }
    Ok(out.into())
}

/// What the verb made of `run` times `letter` writes, if it is one.
fn verb(time: &Timestamp, letter: char, run: usize) -> Option<String> {
    let month_name = MONTHS[(time.month as usize).saturating_sub(1) % 12];
    let weekday = WEEKDAYS[time.days().rem_euclid(7) as usize];
    let twelve_hour = match time.hour % 12 {
        0 => 12,
        hour => hour,
    };
    let utc = time.offset_minutes == 0;
    Some(match (letter, run) {
        ('Y', 4) => format!("{:04}", time.year),
        ('Y', 2) => format!("{:02}", time.year.rem_euclid(100)),
        ('M', 4) => month_name.to_owned(),
        ('M', 3) => month_name[..3].to_owned(),
        ('M', 2) => format!("{:02}", time.month),
        ('M', 1) => time.month.to_string(),
        ('D', 2) => format!("{:02}", time.day),
        ('D', 1) => time.day.to_string(),
        ('E', 4) => weekday.to_owned(),
        ('E', 3) => weekday[..3].to_owned(),
        ('h', 2) => format!("{:02}", time.hour),
        ('h', 1) => time.hour.to_string(),
        ('H', 2) => format!("{twelve_hour:02}"),
        ('H', 1) => twelve_hour.to_string(),
        ('A', 2) => if time.hour < 12 { "AM" } else { "PM" }.to_owned(),
        ('a', 2) => if time.hour < 12 { "am" } else { "pm" }.to_owned(),
        ('m', 2) => format!("{:02}", time.minute),
        ('m', 1) => time.minute.to_string(),
        ('s', 2) => format!("{:02}", time.second),
        ('s', 1) => time.second.to_string(),
        ('Z', 5) => time.offset(true),
        ('Z', 4) => time.offset(false),
        ('Z', 3) if utc => "UTC".to_owned(),
        ('Z', 3) => time.offset(false),
        ('Z', 1) if utc => "Z".to_owned(),
        ('Z', 1) => time.offset(true),
        _ => return None,
    })
}

/// `timeadd(timestamp, duration)`: the timestamp moved by a Go duration (`"1h30m"`,
/// `"-10m"`), written as RFC 3339 in the timestamp's own offset.
fn timeadd(args: &Args<'_>) -> Called {
    let time = Timestamp::parse(&args.string(0)?).map_err(|m| args.error(0, m))?;
    let duration = parse_duration(&args.string(1)?).map_err(|m| args.error(1, m))?;
    let moved = Timestamp::at(time.instant() + duration, time.offset_minutes)
        .filter(|moved| (0..=9999).contains(&moved.year))
        .ok_or(FunctionError::Unmodelled)?;
    Ok(moved.rfc3339().into())
}

/// A duration in Go's syntax, in nanoseconds: an optional sign, then one or more
/// decimal numbers each with a unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`).
fn parse_duration(text: &str) -> Result<i128, String> {
    let invalid = || format!("{text:?} is not a valid duration");
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_length = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(invalid)?;
        let number: f64 = rest[..number_length].parse().map_err(|_| invalid())?;
        rest = &rest[number_length..];
        let unit_length = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_length] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3_600e9,
            _ => return Err(invalid()),
        };
        total += number * scale;
        rest = &rest[unit_length..];
    }
    if total > 9.2e18 {
        return Err(format!("{text:?} is too long a duration"));
    }
    let nanos = total as i128;
    Ok(if negative { -nanos } else { nanos })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, s, unknown};

    /// The examples of the `formatdate` documentation page.
    #[test]
    fn formatdate_documented_examples() {
        let cases = [
            (
                "DD MMM YYYY hh:mm ZZZ",
                "2018-01-02T23:12:01Z",
                "02 Jan 2018 23:12 UTC",
            ),
            (
                "EEEE, DD-MMM-YY hh:mm:ss ZZZ",
                "2018-01-02T23:12:01Z",
                "Tuesday, 02-Jan-18 23:12:01 UTC",
            ),
            (
                "EEE, DD MMM YYYY hh:mm:ss ZZZ",
                "2018-01-02T23:12:01-08:00",
                "Tue, 02 Jan 2018 23:12:01 -0800",
            ),
            ("MMM DD, YYYY", "2018-01-02T23:12:01Z", "Jan 02, 2018"),
            ("HH:mmaa", "2018-01-02T23:12:01Z", "11:12pm"),
            ("h'h'mm", "2018-01-02T23:12:01-08:00", "23h12"),
            ("H 'o''clock'", "2018-01-02T23:12:01-08:00", "11 o'clock"),
        ];
        for (spec, timestamp, expected) in cases {
            assert_eq!(
                call_ok("formatdate", vec![s(spec), s(timestamp)]),
                s(expected),
                "formatdate({spec:?}, {timestamp:?})"
            );
        }
    }

    #[test]
    fn formatdate_every_verb() {
        assert_eq!(
            call_ok(
                "formatdate",
                vec![
                    s("YYYY-MM-DD'T'hh:mm:ssZ|M D h m s|MMMM EEEE AA H|ZZZZZ ZZZZ Z"),
                    s("2024-02-29T09:05:07.25+05:30")
                ]
            ),
            s("2024-02-29T09:05:07+05:30|2 29 9 5 7|February Thursday AM 9|+05:30 +0530 +05:30")
        );
        assert_eq!(
            call_ok(
                "formatdate",
                vec![s("EEE HH AA"), s("2000-01-01T00:00:00Z")]
            ),
            s("Sat 12 AM")
        );
        assert!(
            invalid_message("formatdate", vec![s("YYY"), s("2018-01-02T23:12:01Z")])
                .contains("invalid date format verb")
        );
        assert!(
            invalid_message("formatdate", vec![s("q"), s("2018-01-02T23:12:01Z")])
                .contains("invalid date format verb")
        );
        assert!(
            invalid_message("formatdate", vec![s("'x"), s("2018-01-02T23:12:01Z")])
                .contains("unterminated")
        );
        for bad in [
            "2018-01-02",
            "2018-02-30T00:00:00Z",
            "2018-01-02T24:00:00Z",
            "2018-01-02T23:12:01",
            "2018-01-02T23:12:01+8:00",
            "2018-01-02 23:12:01Z",
        ] {
            assert!(
                invalid_message("formatdate", vec![s("YYYY"), s(bad)]).contains("RFC 3339"),
                "{bad}"
            );
        }
        assert!(call_ok("formatdate", vec![s("YYYY"), unknown("t")]).is_unknown());
    }

    /// The examples of the `timeadd` documentation page.
    #[test]
    fn timeadd_documented_examples() {
        assert_eq!(
            call_ok("timeadd", vec![s("2024-08-16T12:45:05Z"), s("10m")]),
            s("2024-08-16T12:55:05Z")
        );
        assert_eq!(
            call_ok("timeadd", vec![s("2024-08-16T12:45:05Z"), s("-10m")]),
            s("2024-08-16T12:35:05Z")
        );
    }

    #[test]
    fn timeadd_crosses_days_and_keeps_the_offset() {
        assert_eq!(
            call_ok("timeadd", vec![s("2017-11-22T00:00:00Z"), s("1h30m")]),
            s("2017-11-22T01:30:00Z")
        );
        assert_eq!(
            call_ok("timeadd", vec![s("2024-02-28T23:00:00-08:00"), s("25h")]),
            s("2024-03-01T00:00:00-08:00")
        );
        assert_eq!(
            call_ok("timeadd", vec![s("2000-01-01T00:00:00.5Z"), s("-1.5s")]),
            s("1999-12-31T23:59:59Z")
        );
        assert_eq!(
            call_ok("timeadd", vec![s("2000-01-01T00:00:00Z"), s("0")]),
            s("2000-01-01T00:00:00Z")
        );
        for bad in ["10", "10x", "", "-", "h", "1.2.3s"] {
            assert!(
                invalid_message("timeadd", vec![s("2000-01-01T00:00:00Z"), s(bad)])
                    .contains("duration"),
                "{bad:?}"
            );
        }
    }
}
