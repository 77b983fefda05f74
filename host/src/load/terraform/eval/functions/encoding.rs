//! Encoding functions: JSON (with Terraform's key order and HTML-safe escaping),
//! base64 and URL query escaping.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{Args, Arity, Builtin, Outcome};
use crate::load::terraform::eval::value::{Value, format_number};

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("jsonencode", Arity::Exactly(1), jsonencode),
    Builtin::known("jsondecode", Arity::Exactly(1), jsondecode),
    Builtin::known("base64encode", Arity::Exactly(1), base64encode),
    Builtin::known("base64decode", Arity::Exactly(1), base64decode),
    Builtin::known("urlencode", Arity::Exactly(1), urlencode),
];

/// JSON as Terraform writes it: no spaces, object keys in lexical order, numbers without
/// exponent, and `<`, `>`, `&`, U+2028 and U+2029 escaped so the text is safe in HTML.
pub(super) fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Unknown(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_finite() => out.push_str(&format_number(*n)),
        Value::Number(_) => out.push_str("null"),
        Value::String(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn jsonencode(args: &Args<'_>) -> Outcome {
    Ok(json_text(args.value(0)).into())
}

fn jsondecode(args: &Args<'_>) -> Outcome {
    let text = args.string(0)?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| args.error(0, format!("invalid JSON: {error}")))?;
    Ok(Value::from_json(&json))
}

fn base64encode(args: &Args<'_>) -> Outcome {
    Ok(STANDARD.encode(args.string(0)?).into())
}

fn base64decode(args: &Args<'_>) -> Outcome {
    let text = args.string(0)?;
    let bytes = STANDARD
        .decode(&text)
        .map_err(|error| args.error(0, format!("failed to decode base64 data: {error}")))?;
    String::from_utf8(bytes).map(Value::from).map_err(|_| {
        args.error(
            0,
            "the result of decoding the provided string is not valid UTF-8",
        )
    })
}

/// Query-string escaping: letters, digits and `-_.~` stay, a space becomes `+`, every
/// other byte becomes `%XX`.
fn urlencode(args: &Args<'_>) -> Outcome {
    let text = args.string(0)?;
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    Ok(out.into())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, list, object, strs, unknown};
    use crate::load::terraform::eval::value::Value;

    fn s(text: &str) -> Value {
        text.into()
    }

    #[test]
    fn jsonencode_sorts_keys_and_escapes_html() {
        assert_eq!(
            call_ok("jsonencode", vec![object(&[("hello", s("world"))])]),
            s(r#"{"hello":"world"}"#)
        );
        assert_eq!(
            call_ok(
                "jsonencode",
                vec![object(&[
                    ("b", 1.0.into()),
                    ("a", list(vec![true.into(), Value::Null, 1.5.into()]))
                ])]
            ),
            s(r#"{"a":[true,null,1.5],"b":1}"#)
        );
        assert_eq!(
            call_ok("jsonencode", vec![s("<a&b>\n\"")]),
            s(r#""\u003ca\u0026b\u003e\n\"""#)
        );
        assert_eq!(call_ok("jsonencode", vec![s("\u{1}")]), s(r#""\u0001""#));
        assert_eq!(
            call_ok("jsonencode", vec![1e21.into()]),
            s("1000000000000000000000")
        );
        assert!(call_ok("jsonencode", vec![object(&[("a", unknown("x"))])]).is_unknown());
    }

    #[test]
    fn jsondecode_reads_any_json() {
        assert_eq!(
            call_ok("jsondecode", vec![s(r#"{"hello": "world"}"#)]),
            object(&[("hello", s("world"))])
        );
        assert_eq!(call_ok("jsondecode", vec![s("true")]), true.into());
        assert_eq!(
            call_ok("jsondecode", vec![s("[1, \"a\", null]")]),
            list(vec![1.0.into(), s("a"), Value::Null])
        );
        assert!(invalid_message("jsondecode", vec![s("{")]).contains("invalid JSON"));
    }

    #[test]
    fn base64_round_trips() {
        assert_eq!(
            call_ok("base64encode", vec![s("Hello World")]),
            s("SGVsbG8gV29ybGQ=")
        );
        assert_eq!(
            call_ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]),
            s("Hello World")
        );
        assert!(invalid_message("base64decode", vec![s("not base64!")]).contains("base64"));
        assert!(invalid_message("base64decode", vec![s("/w==")]).contains("UTF-8"));
    }

    #[test]
    fn urlencode_escapes_like_a_query_string() {
        assert_eq!(
            call_ok("urlencode", vec![s("Hello World!")]),
            s("Hello+World%21")
        );
        assert_eq!(call_ok("urlencode", vec![s("☃")]), s("%E2%98%83"));
        assert_eq!(
            call_ok("urlencode", vec![s("foo:bar@localhost?foo=bar&bar=baz")]),
            s("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")
        );
        assert!(invalid_message("urlencode", vec![strs(&["a"])]).contains("string"));
    }
}
