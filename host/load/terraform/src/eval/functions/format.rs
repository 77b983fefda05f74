//! `format` and `formatlist`: printf-style formatting with Terraform's verbs.
//!
//! A verb is `%`, then flags (` `, `+`, `-`, `0`, `#`), an optional `[n]` argument
//! index, an optional width, an optional `.precision`, and a letter: `v` (default
//! format), `#v` (JSON), `t`, `b`, `d`, `o`, `x`, `X`, `e`, `E`, `f`, `g`, `G`, `s`, `q`;
//! `%%` is a literal percent sign. Widths and precisions count characters (grapheme
//! clusters).

use unicode_segmentation::UnicodeSegmentation;

use super::args::{to_bool, to_number, to_string};
use super::encoding::json_text;
use super::string::char_count;
use super::{Args, Arity, Builtin, Called, invalid, unknown_result};
use crate::eval::value::Value;
use palisade_model::{Limit, Limits};

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("format", Arity::AtLeast(1), format),
    Builtin::handles_unknowns("formatlist", Arity::AtLeast(1), formatlist),
];

/// The widest field a verb may ask for.
const MAX_WIDTH: usize = 1 << 20;

fn format(args: &Args<'_>) -> Called {
    let spec = args.string(0)?;
    Ok(render(&spec, args.rest(1), &args.context.limits)
        .map_err(invalid)?
        .into())
}

/// `formatlist`: list arguments are iterated together (they must have the same length),
/// other arguments repeat; each result is unknown when its own arguments are.
fn formatlist(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.value(0).first_unknown() {
        return Ok(unknown_result(args.name, unknown));
    }
    let spec = args.string(0)?;
    let values = args.rest(1);
    let mut length: Option<(usize, usize)> = None;
    for (i, value) in values.iter().enumerate() {
        match value {
            Value::Unknown(unknown) => return Ok(unknown_result(args.name, unknown)),
            Value::List(items) => match length {
                Some((expected, first)) if expected != items.len() => {
                    return Err(invalid(format!(
                        "`formatlist`: argument {} has length {}, which is inconsistent with argument {} of length {expected}",
                        i + 2,
                        items.len(),
                        first + 2
                    )));
                }
                Some(_) => {}
                None => length = Some((items.len(), i)),
            },
            _ => {}
        }
    }
    let rounds = length.map_or(1, |(n, _)| n);
    let mut results = Vec::with_capacity(rounds);
    let mut total = 0usize;
    for round in 0..rounds {
        let row: Vec<Value> = values
            .iter()
            .map(|value| match value {
                Value::List(items) => items.get(round).cloned().unwrap_or(Value::Null),
                other => other.clone(),
            })
            .collect();
        if let Some(unknown) = row.iter().find_map(Value::first_unknown) {
            results.push(unknown_result(args.name, unknown));
            continue;
        }
        let text = render(&spec, &row, &args.context.limits)
            .map_err(|message| invalid(format!("error on format iteration {round}: {message}")))?;
        total = total.saturating_add(text.len() + super::ELEMENT_BYTES);
        args.fits(total)?;
        results.push(text.into());
    }
    Ok(Value::List(results))
}

/// One parsed verb.
#[derive(Default)]
struct Verb {
    raw: String,
    offset: usize,
    plus: bool,
    minus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
    letter: char,
}

/// Renders `spec` with `values`, or says why Terraform would reject it; a text over
/// the size of one value is refused as it grows.
fn render(spec: &str, values: &[Value], limits: &Limits) -> Result<String, String> {
    let mut out = String::new();
    let mut next_arg = 0usize;
    let mut chars = spec.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.next_if(|(_, c)| *c == '%').is_some() {
            out.push('%');
            continue;
        }
        let mut verb = Verb {
            offset,
            ..Verb::default()
        };
        while let Some((_, flag)) = chars.next_if(|(_, c)| matches!(c, ' ' | '+' | '-' | '0' | '#'))
        {
            match flag {
                ' ' => verb.space = true,
                '+' => verb.plus = true,
                '-' => verb.minus = true,
                '0' => verb.zero = true,
                _ => verb.sharp = true,
            }
        }
        if chars.next_if(|(_, c)| *c == '[').is_some() {
            let index = digits(&mut chars).filter(|n| *n > 0);
            match (index, chars.next()) {
                (Some(index), Some((_, ']'))) => next_arg = index - 1,
                _ => {
                    return Err(format!(
                        "invalid argument index in format string at offset {offset}"
                    ));
                }
            }
        }
        verb.width = digits(&mut chars);
        if chars.next_if(|(_, c)| *c == '.').is_some() {
            verb.precision = Some(digits(&mut chars).ok_or_else(|| {
                format!("a period in a verb must be followed by a precision, at offset {offset}")
            })?);
        }
        let Some((end, letter)) = chars.next() else {
            return Err(format!("invalid format string starting at offset {offset}"));
        };
        verb.letter = letter;
        verb.raw = spec[offset..end + letter.len_utf8()].to_owned();
        if verb.width.is_some_and(|w| w > MAX_WIDTH)
            || verb.precision.is_some_and(|p| p > MAX_WIDTH)
        {
            return Err(format!(
                "the width or precision of {:?} is too large",
                verb.raw
            ));
        }
        let value = values.get(next_arg).ok_or_else(|| {
            format!(
                "not enough arguments for {:?} at {offset}: need index {} but have {} total",
                verb.raw,
                next_arg + 1,
                values.len()
            )
        })?;
        next_arg += 1;
        out.push_str(&format_one(&verb, value)?);
        if out.len() as u64 > limits.value_size {
            let what = format!("the formatted string reaches {} bytes", out.len());
            return Err(limits.exceeded(Limit::ValueSize, what));
        }
    }
    if next_arg < values.len() {
        return Err(format!(
            "too many arguments; only {next_arg} used by format string"
        ));
    }
    Ok(out)
}

fn digits(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<usize> {
    let mut number: Option<usize> = None;
    while let Some((_, d)) = chars.next_if(|(_, c)| c.is_ascii_digit()) {
        let digit = d.to_digit(10).unwrap_or(0) as usize;
        number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(digit));
    }
    number
}

fn format_one(verb: &Verb, value: &Value) -> Result<String, String> {
    let unsupported = |message: String| {
        format!(
            "unsupported value for {:?} at {}: {message}",
            verb.raw, verb.offset
        )
    };
    if *value == Value::Null && verb.letter != 'v' {
        return Err(unsupported("null value cannot be formatted".into()));
    }
    match verb.letter {
        'v' => Ok(pad(verb, default_format(verb, value))),
        't' => Ok(pad(verb, to_bool(value).map_err(unsupported)?.to_string())),
        'b' | 'd' | 'o' | 'x' | 'X' => {
            let number = to_number(value).map_err(unsupported)?;
            if number.fract() != 0.0 || number.abs() >= 1e38 {
                return Err(unsupported("an integer is required".into()));
            }
            Ok(format_integer(verb, number as i128))
        }
        'e' | 'E' | 'f' | 'g' | 'G' => {
            let number = to_number(value).map_err(unsupported)?;
            Ok(format_float(verb, number))
        }
        's' | 'q' => {
            let mut text = to_string(value).map_err(unsupported)?;
            if let Some(precision) = verb.precision.filter(|p| *p > 0) {
                text = text.graphemes(true).take(precision).collect();
            }
            if verb.letter == 'q' {
                text = json_text(&Value::String(text));
            }
            Ok(pad(verb, text))
        }
        other => Err(format!(
            "unsupported format verb {other:?} in {:?} at offset {}",
            verb.raw, verb.offset
        )),
    }
}

/// `%v`: strings as they are, numbers in `%g` style, everything else (and `%#v`) as JSON.
fn default_format(verb: &Verb, value: &Value) -> String {
    match value {
        Value::String(s) if !verb.sharp => s.clone(),
        Value::Number(n) if !verb.sharp => general(*n, None, false),
        other => json_text(other),
    }
}

/// Pads to the verb's width, with spaces (or zeros) on the left, or on the right for `-`.
fn pad(verb: &Verb, text: String) -> String {
    let Some(width) = verb.width else {
        return text;
    };
    let missing = width.saturating_sub(char_count(&text));
    if missing == 0 {
        return text;
    }
    let fill = if verb.zero { "0" } else { " " }.repeat(missing);
    if verb.minus {
        text + &fill
    } else {
        fill + &text
    }
}

/// Pads a number: zero padding goes between the sign and the digits.
fn pad_number(verb: &Verb, negative: bool, digits: String) -> String {
    let sign = if negative {
        "-"
    } else if verb.plus {
        "+"
    } else if verb.space {
        " "
    } else {
        ""
    };
    let width = verb.width.unwrap_or(0);
    let length = sign.len() + digits.len();
    if length >= width {
        return format!("{sign}{digits}");
    }
    let missing = width - length;
    if verb.minus {
        format!("{sign}{digits}{}", " ".repeat(missing))
    } else if verb.zero {
        format!("{sign}{}{digits}", "0".repeat(missing))
    } else {
        format!("{}{sign}{digits}", " ".repeat(missing))
    }
}

fn format_integer(verb: &Verb, number: i128) -> String {
    let magnitude = number.unsigned_abs();
    let mut digits = match verb.letter {
        'b' => format!("{magnitude:b}"),
        'o' if verb.sharp => format!("0{magnitude:o}"),
        'o' => format!("{magnitude:o}"),
        'x' if verb.sharp => format!("0x{magnitude:x}"),
        'x' => format!("{magnitude:x}"),
        'X' if verb.sharp => format!("0X{magnitude:X}"),
        'X' => format!("{magnitude:X}"),
        _ => magnitude.to_string(),
    };
    if let Some(precision) = verb.precision
        && digits.len() < precision
    {
        digits = "0".repeat(precision - digits.len()) + &digits;
    }
    pad_number(verb, number < 0, digits)
}

fn format_float(verb: &Verb, number: f64) -> String {
    let negative = number.is_sign_negative() && number != 0.0;
    let magnitude = number.abs();
    let digits = if !magnitude.is_finite() {
        if magnitude.is_nan() {
            "NaN".into()
        } else {
            "Inf".into()
        }
    } else {
        match verb.letter {
            'f' => format!("{magnitude:.*}", verb.precision.unwrap_or(6)),
            'e' | 'E' => scientific(magnitude, verb.precision.unwrap_or(6)),
            _ => general(magnitude, verb.precision, verb.sharp),
        }
    };
    let digits = if verb.letter.is_ascii_uppercase() {
        digits.to_uppercase()
    } else {
        digits
    };
    pad_number(verb, negative, digits)
}

/// `1.234560e+05`: a mantissa with `precision` decimals and an exponent of at least two
/// digits with its sign.
fn scientific(magnitude: f64, precision: usize) -> String {
    let text = format!("{magnitude:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    with_exponent(mantissa, exponent.parse().unwrap_or(0))
}

fn with_exponent(mantissa: &str, exponent: i32) -> String {
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
}

/// `%g`: the shortest exact digits (or `precision` significant ones), in decimal unless
/// the exponent is below -4 or at least the precision (6 for the shortest form).
fn general(number: f64, precision: Option<usize>, keep_zeros: bool) -> String {
    if !number.is_finite() {
        return if number.is_nan() {
            "NaN".into()
        } else if number > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let negative = number < 0.0;
    let magnitude = number.abs();
    let precision = precision.map(|p| p.max(1));
    let text = match precision {
        Some(p) => format!("{magnitude:.*e}", p - 1),
        None => format!("{magnitude:e}"),
    };
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !keep_zeros {
        let kept = digits.trim_end_matches('0').len().max(1);
        digits.truncate(kept);
    }
    let count = digits.len() as i32;
    let mut limit = precision.map_or(6, |p| p as i32);
    if precision.is_some_and(|p| p as i32 > count) && count > exponent {
        limit = count;
    }
    let body = if exponent < -4 || exponent >= limit {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        with_exponent(&mantissa, exponent)
    } else if exponent < 0 {
        format!("0.{}{digits}", "0".repeat((-exponent - 1) as usize))
    } else {
        let point = (exponent + 1) as usize;
        if digits.len() > point {
            format!("{}.{}", &digits[..point], &digits[point..])
        } else {
            digits.clone() + &"0".repeat(point - digits.len())
        }
    };
    if negative { format!("-{body}") } else { body }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, list, nums, object, s, strs, unknown};
    use crate::eval::value::Value;

    fn format(spec: &str, args: Vec<Value>) -> Value {
        let mut all = vec![Value::from(spec)];
        all.extend(args);
        call_ok("format", all)
    }

    #[test]
    fn documented_examples() {
        assert_eq!(format("Hello, %s!", vec![s("Ander")]), s("Hello, Ander!"));
        assert_eq!(
            format("There are %d lights", vec![4.0.into()]),
            s("There are 4 lights")
        );
        assert_eq!(format("%-5s|", vec![s("ab")]), s("ab   |"));
        assert_eq!(format("%5d", vec![42.0.into()]), s("   42"));
        assert_eq!(format("%05d", vec![(-42.0).into()]), s("-0042"));
        assert_eq!(format("%+d", vec![42.0.into()]), s("+42"));
        assert_eq!(format("%.2f", vec![1.23456.into()]), s("1.23"));
        assert_eq!(format("%f", vec![1.0.into()]), s("1.000000"));
        assert_eq!(format("%8.2f|", vec![1.23456.into()]), s("    1.23|"));
        assert_eq!(format("%e", vec![123456.0.into()]), s("1.234560e+05"));
        assert_eq!(format("%E", vec![0.000123.into()]), s("1.230000E-04"));
        assert_eq!(format("%g", vec![0.5.into()]), s("0.5"));
        assert_eq!(format("%.3g", vec![1.23456.into()]), s("1.23"));
        assert_eq!(
            format(
                "%b %o %x %X %#x",
                vec![
                    5.0.into(),
                    8.0.into(),
                    255.0.into(),
                    255.0.into(),
                    255.0.into()
                ]
            ),
            s("101 10 ff FF 0xff")
        );
        assert_eq!(format("%t", vec![s("true")]), s("true"));
        assert_eq!(format("%q", vec![s("a\"b<")]), s("\"a\\\"b\\u003c\""));
        assert_eq!(format("100%%", vec![]), s("100%"));
        assert_eq!(format("%.3s", vec![s("abcdef")]), s("abc"));
        assert_eq!(format("%[2]s %[1]s %s", vec![s("a"), s("b")]), s("b a b"));
    }

    #[test]
    fn default_formats_by_type() {
        assert_eq!(format("%v", vec![s("x")]), s("x"));
        assert_eq!(format("%v", vec![22.0.into()]), s("22"));
        assert_eq!(format("%v", vec![1.5.into()]), s("1.5"));
        assert_eq!(format("%v", vec![1e6.into()]), s("1e+06"));
        assert_eq!(format("%v", vec![123456.0.into()]), s("123456"));
        assert_eq!(format("%v", vec![0.00001.into()]), s("1e-05"));
        assert_eq!(format("%v", vec![true.into()]), s("true"));
        assert_eq!(format("%v", vec![Value::Null]), s("null"));
        assert_eq!(format("%v", vec![strs(&["a", "b"])]), s(r#"["a","b"]"#));
        assert_eq!(format("%#v", vec![s("x")]), s(r#""x""#));
        assert_eq!(
            format(
                "%#v",
                vec![object(&[("b", 1.0.into()), ("a", true.into())])]
            ),
            s(r#"{"a":true,"b":1}"#)
        );
        assert_eq!(format("%s", vec![1.0.into()]), s("1"));
        assert_eq!(format("%d", vec![s("12")]), s("12"));
    }

    #[test]
    fn invalid_calls() {
        assert!(
            invalid_message("format", vec![s("%d"), 1.5.into()]).contains("integer is required")
        );
        assert!(invalid_message("format", vec![s("%s")]).contains("not enough arguments"));
        assert!(
            invalid_message("format", vec![s("%s"), s("a"), s("b")]).contains("too many arguments")
        );
        assert!(invalid_message("format", vec![s("%s"), Value::Null]).contains("null"));
        assert!(
            invalid_message("format", vec![s("%z"), s("a")]).contains("unsupported format verb")
        );
        assert!(invalid_message("format", vec![s("abc %")]).contains("invalid format"));
        assert!(invalid_message("format", vec![s("%.f"), 1.0.into()]).contains("precision"));
        assert!(invalid_message("format", vec![s("%d"), s("x")]).contains("not a number"));
        assert!(
            invalid_message("format", vec![s("%s"), strs(&["a"])]).contains("string is required")
        );
        assert!(
            invalid_message("format", vec![s("%999999999d"), 1.0.into()]).contains("too large")
        );
    }

    #[test]
    fn unknown_arguments_make_the_result_unknown() {
        assert!(format("%s", vec![unknown("x")]).is_unknown());
        assert!(format("%v", vec![list(vec![unknown("x")])]).is_unknown());
    }

    #[test]
    fn formatlist_iterates_lists_together() {
        assert_eq!(
            call_ok(
                "formatlist",
                vec![
                    s("Hello, %s!"),
                    strs(&["Valentina", "Ander", "Olivia", "Sam"])
                ]
            ),
            strs(&[
                "Hello, Valentina!",
                "Hello, Ander!",
                "Hello, Olivia!",
                "Hello, Sam!"
            ])
        );
        assert_eq!(
            call_ok(
                "formatlist",
                vec![
                    s("%s, %s!"),
                    s("Salutations"),
                    strs(&["Valentina", "Ander"])
                ]
            ),
            strs(&["Salutations, Valentina!", "Salutations, Ander!"])
        );
        assert_eq!(
            call_ok(
                "formatlist",
                vec![s("%s=%d"), strs(&["a", "b"]), nums(&[1.0, 2.0])]
            ),
            strs(&["a=1", "b=2"])
        );
        let partly = call_ok(
            "formatlist",
            vec![s("%s"), list(vec![s("a"), unknown("x")])],
        );
        let Value::List(items) = partly else {
            panic!("a list")
        };
        assert_eq!(items[0], s("a"));
        assert!(items[1].is_unknown());
        assert!(call_ok("formatlist", vec![s("%s"), unknown("x")]).is_unknown());
        assert!(
            invalid_message(
                "formatlist",
                vec![s("%s%s"), strs(&["a"]), strs(&["a", "b"])]
            )
            .contains("inconsistent")
        );
    }
}
