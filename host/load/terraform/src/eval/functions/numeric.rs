//! Numeric functions.

use super::{Args, Arity, Builtin, Called, invalid};
use crate::eval::value::Value;

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("abs", Arity::Exactly(1), abs),
    Builtin::known("ceil", Arity::Exactly(1), ceil),
    Builtin::known("floor", Arity::Exactly(1), floor),
    Builtin::known("log", Arity::Exactly(2), log),
    Builtin::known("pow", Arity::Exactly(2), pow),
    Builtin::known("signum", Arity::Exactly(1), signum),
    Builtin::known("parseint", Arity::Exactly(2), parseint),
    Builtin::known("min", Arity::AtLeast(1), min),
    Builtin::known("max", Arity::AtLeast(1), max),
];

fn abs(args: &Args<'_>) -> Called {
    Ok(args.number(0)?.abs().into())
}

fn ceil(args: &Args<'_>) -> Called {
    Ok(args.number(0)?.ceil().into())
}

fn floor(args: &Args<'_>) -> Called {
    Ok(args.number(0)?.floor().into())
}

fn log(args: &Args<'_>) -> Called {
    let number = args.number(0)?;
    let base = args.number(1)?;
    finite(number.ln() / base.ln())
}

fn pow(args: &Args<'_>) -> Called {
    finite(args.number(0)?.powf(args.number(1)?))
}

fn signum(args: &Args<'_>) -> Called {
    let number = args.number(0)?;
    Ok(Value::Number(if number > 0.0 {
        1.0
    } else if number < 0.0 {
        -1.0
    } else {
        0.0
    }))
}

/// `parseint(string, base)`: bases 2 to 62; letters are case-insensitive digits up to
/// base 36, and above it lower case comes before upper case.
fn parseint(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let base = args.integer(1)?;
    if !(2..=62).contains(&base) {
        return Err(args.error(
            1,
            "the base must be a whole number between 2 and 62 inclusive",
        ));
    }
    let not_parsed = || args.error(0, format!("cannot parse {text:?} as a base {base} integer"));
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    if digits.is_empty() {
        return Err(not_parsed());
    }
    let mut value = 0.0f64;
    for c in digits.chars() {
        let digit = digit_value(c, base).ok_or_else(not_parsed)?;
        value = value * base as f64 + f64::from(digit);
    }
    if !value.is_finite() {
        return Err(not_parsed());
    }
    Ok(Value::Number(if negative { -value } else { value }))
}

fn digit_value(c: char, base: i64) -> Option<u32> {
    let value = match c {
        '0'..='9' => c as u32 - '0' as u32,
        'a'..='z' => c as u32 - 'a' as u32 + 10,
        'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
        'A'..='Z' => c as u32 - 'A' as u32 + 36,
        _ => return None,
    };
    (i64::from(value) < base).then_some(value)
}

fn min(args: &Args<'_>) -> Called {
    extreme(args, f64::min)
}

fn max(args: &Args<'_>) -> Called {
    extreme(args, f64::max)
}

fn extreme(args: &Args<'_>, pick: fn(f64, f64) -> f64) -> Called {
    let mut result = args.number(0)?;
    for i in 1..args.len() {
        result = pick(result, args.number(i)?);
    }
    Ok(result.into())
}

fn finite(number: f64) -> Called {
    if number.is_nan() {
        Err(invalid("the result is not a number"))
    } else {
        Ok(number.into())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, n, strs};

    /// Every example of the numeric functions' documentation pages, and a few edges.
    #[test]
    fn documented_examples() {
        assert_eq!(call_ok("abs", vec![n(23.0)]), n(23.0));
        assert_eq!(call_ok("abs", vec![n(-12.4)]), n(12.4));
        assert_eq!(call_ok("ceil", vec![n(5.0)]), n(5.0));
        assert_eq!(call_ok("floor", vec![n(5.0)]), n(5.0));
        assert_eq!(
            call_ok("log", vec![n(50.0), n(10.0)]),
            n(1.698_970_004_336_018_5)
        );
        for (count, bits) in [(15.0, 4.0), (16.0, 4.0), (17.0, 5.0)] {
            let log = call_ok("log", vec![n(count), n(2.0)]);
            assert_eq!(call_ok("ceil", vec![log]), n(bits), "ceil(log({count}, 2))");
        }
        assert_eq!(call_ok("abs", vec![n(0.0)]), n(0.0));
        assert_eq!(call_ok("ceil", vec![n(5.1)]), n(6.0));
        assert_eq!(call_ok("floor", vec![n(4.9)]), n(4.0));
        assert_eq!(call_ok("floor", vec![n(-4.1)]), n(-5.0));
        assert_eq!(call_ok("log", vec![n(16.0), n(2.0)]), n(4.0));
        assert_eq!(call_ok("log", vec![n(1.0), n(10.0)]), n(0.0));
        assert_eq!(call_ok("pow", vec![n(3.0), n(2.0)]), n(9.0));
        assert_eq!(call_ok("pow", vec![n(4.0), n(0.0)]), n(1.0));
        assert_eq!(call_ok("signum", vec![n(-13.0)]), n(-1.0));
        assert_eq!(call_ok("signum", vec![n(0.0)]), n(0.0));
        assert_eq!(call_ok("signum", vec![n(344.0)]), n(1.0));
        assert_eq!(call_ok("min", vec![n(12.0), n(54.0), n(3.0)]), n(3.0));
        assert_eq!(call_ok("max", vec![n(12.0), n(54.0), n(3.0)]), n(54.0));
        assert_eq!(call_ok("max", vec!["7".into(), n(3.0)]), n(7.0));
        assert!(invalid_message("min", vec![]).contains("at least 1"));
        assert!(invalid_message("max", vec![strs(&["1"])]).contains("number is required"));
        assert!(invalid_message("pow", vec![n(-8.0), n(0.5)]).contains("not a number"));
    }

    #[test]
    fn parseint_in_any_base() {
        assert_eq!(call_ok("parseint", vec!["100".into(), n(10.0)]), n(100.0));
        assert_eq!(call_ok("parseint", vec!["FF".into(), n(16.0)]), n(255.0));
        assert_eq!(call_ok("parseint", vec!["-10".into(), n(16.0)]), n(-16.0));
        assert_eq!(
            call_ok("parseint", vec!["1011111011101111".into(), n(2.0)]),
            n(48879.0)
        );
        assert_eq!(call_ok("parseint", vec!["aA".into(), n(62.0)]), n(656.0));
        assert!(invalid_message("parseint", vec!["12".into(), n(2.0)]).contains("cannot parse"));
        assert!(invalid_message("parseint", vec!["".into(), n(10.0)]).contains("cannot parse"));
        assert!(invalid_message("parseint", vec!["1".into(), n(1.0)]).contains("between 2 and 62"));
    }
}
