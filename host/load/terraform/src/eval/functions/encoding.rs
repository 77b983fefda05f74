//! Encoding functions: JSON (with Terraform's key order and HTML-safe escaping),
//! base64 (of UTF-8 or UTF-16 text), URL query escaping and CSV decoding.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use std::collections::BTreeMap;

use super::{Args, Arity, Builtin, Called, FunctionError};
use crate::eval::value::{Value, format_number};

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::handles_unknowns("jsonencode", Arity::Exactly(1), jsonencode),
    Builtin::known("jsondecode", Arity::Exactly(1), jsondecode),
    Builtin::known("base64encode", Arity::Exactly(1), base64encode),
    Builtin::known("base64decode", Arity::Exactly(1), base64decode),
    Builtin::known("urlencode", Arity::Exactly(1), urlencode),
    Builtin::known("textencodebase64", Arity::Exactly(2), textencodebase64),
    Builtin::known("textdecodebase64", Arity::Exactly(2), textdecodebase64),
    Builtin::known("csvdecode", Arity::Exactly(1), csvdecode),
];

/// JSON as Terraform writes it: no spaces, object keys in lexical order, numbers without
/// exponent, and `<`, `>`, `&`, U+2028 and U+2029 escaped so the text is safe in HTML.
/// An unknown inside is written as the unknown marker policies read, so that a rule
/// reading the document (a bucket policy whose `Resource` is an ARN known after apply)
/// still decides on what is known.
pub(crate) fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Unknown(_) => out.push_str(&value.to_json().to_string()),
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

/// `jsonencode`: unknown when the value is, else its JSON text (unknowns inside written
/// as markers, see [`json_text`]).
fn jsonencode(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    Ok(json_text(args.value(0)).into())
}

fn jsondecode(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| args.error(0, format!("invalid JSON: {error}")))?;
    Ok(Value::from_json(&json))
}

fn base64encode(args: &Args<'_>) -> Called {
    Ok(STANDARD.encode(args.string(0)?).into())
}

fn base64decode(args: &Args<'_>) -> Called {
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
fn urlencode(args: &Args<'_>) -> Called {
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

/// The character encodings `textencodebase64` and `textdecodebase64` model. Terraform
/// knows more (from the IANA registry); a call naming another one is not modelled.
#[derive(Clone, Copy)]
enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    fn named(args: &Args<'_>, i: usize) -> Result<Self, FunctionError> {
        let name = args.string(i)?.to_ascii_uppercase().replace('_', "-");
        match name.as_str() {
            "UTF-8" | "UTF8" => Ok(TextEncoding::Utf8),
            "UTF-16LE" => Ok(TextEncoding::Utf16Le),
            "UTF-16BE" => Ok(TextEncoding::Utf16Be),
            _ => Err(FunctionError::Unmodelled),
        }
    }
}

fn textencodebase64(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let bytes: Vec<u8> = match TextEncoding::named(args, 1)? {
        TextEncoding::Utf8 => text.into_bytes(),
        TextEncoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        TextEncoding::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
    };
    Ok(STANDARD.encode(bytes).into())
}

/// Decodes base64, then the text in the encoding; UTF-16 that does not decode becomes
/// U+FFFD, as Terraform's decoder replaces it.
fn textdecodebase64(args: &Args<'_>) -> Called {
    let encoding = TextEncoding::named(args, 1)?;
    let bytes = STANDARD
        .decode(args.string(0)?)
        .map_err(|error| args.error(0, format!("failed to decode base64 data: {error}")))?;
    let utf16 = |pair: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|chunk| pair([chunk[0], chunk[1]]))
            .collect();
        let mut text = String::from_utf16_lossy(&units);
        if bytes.len() % 2 == 1 {
            text.push(char::REPLACEMENT_CHARACTER);
        }
        text
    };
    let text = match encoding {
        TextEncoding::Utf8 => String::from_utf8(bytes.clone()).map_err(|_| {
            args.error(
                0,
                "the result of decoding the provided string is not valid UTF-8",
            )
        })?,
        TextEncoding::Utf16Le => utf16(u16::from_le_bytes),
        TextEncoding::Utf16Be => utf16(u16::from_be_bytes),
    };
    Ok(text.into())
}

/// `csvdecode`: RFC 4180 text whose first record names the columns, as a list of maps
/// of strings (one per further record). Every record must have as many fields as the
/// header; empty lines are skipped.
fn csvdecode(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let mut records = csv_records(&text)
        .map_err(|m| args.error(0, m))?
        .into_iter();
    let (_, header) = records
        .next()
        .ok_or_else(|| args.error(0, "missing header line"))?;
    for (i, name) in header.iter().enumerate() {
        if header[..i].contains(name) {
            return Err(args.error(0, format!("duplicate column name {name:?}")));
        }
    }
    let rows = records
        .map(|(line, fields)| {
            if fields.len() != header.len() {
                return Err(args.error(0, format!("record on line {line}: wrong number of fields")));
            }
            let row: BTreeMap<String, Value> = header
                .iter()
                .cloned()
                .zip(fields.into_iter().map(Value::String))
                .collect();
            Ok(Value::Object(row))
        })
        .collect::<Result<_, _>>()?;
    Ok(Value::List(rows))
}

/// The records of CSV `text`, each with the line it starts on. Quoted fields may hold
/// commas, newlines and doubled quotes; a quote elsewhere is an error.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let text = text.replace("\r\n", "\n");
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut state = State::FieldStart;
    let (mut line, mut record_line) = (1, 1);
    for c in text.chars() {
        match (&state, c) {
            (State::FieldStart, '\n') if fields.is_empty() => record_line = line + 1,
            (State::FieldStart, '"') => state = State::Quoted,
            (State::Quoted, '"') => state = State::AfterQuote,
            (State::AfterQuote, '"') => {
                field.push('"');
                state = State::Quoted;
            }
            (State::Quoted, other) => field.push(other),
            (_, ',') => {
                fields.push(std::mem::take(&mut field));
                state = State::FieldStart;
            }
            (_, '\n') => {
                fields.push(std::mem::take(&mut field));
                records.push((record_line, std::mem::take(&mut fields)));
                state = State::FieldStart;
                record_line = line + 1;
            }
            (State::AfterQuote, _) => {
                return Err(format!(
                    "line {line}: extraneous or missing \" in quoted field"
                ));
            }
            (_, '"') => return Err(format!("line {line}: bare \" in non-quoted field")),
            (_, other) => {
                field.push(other);
                state = State::Unquoted;
            }
        }
        if c == '\n' {
            line += 1;
        }
    }
    match state {
        State::Quoted => {
            return Err(format!(
                "line {line}: extraneous or missing \" in quoted field"
            ));
        }
        State::FieldStart if fields.is_empty() => {}
        _ => {
            fields.push(field);
            records.push((record_line, fields));
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, list, object, s, strs, unknown};
    use crate::eval::value::Value;

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
        assert!(call_ok("jsonencode", vec![unknown("x")]).is_unknown());
    }

    /// A document with an unknown inside is known where it is known: a bucket policy
    /// whose `Resource` is an ARN known after apply still shows its principal.
    #[test]
    fn jsonencode_writes_unknowns_inside_as_markers() {
        let encoded = call_ok(
            "jsonencode",
            vec![object(&[("Principal", s("*")), ("Resource", unknown("x"))])],
        );
        assert_eq!(
            encoded,
            s(r#"{"Principal":"*","Resource":{"$unknown":{"reason":"x","refers":null}}}"#)
        );
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
            call_ok("urlencode", vec![s("terraform urlencode")]),
            s("terraform+urlencode")
        );
        assert_eq!(
            call_ok("urlencode", vec![s("foo:bar@localhost?foo=bar&bar=baz")]),
            s("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")
        );
        assert!(invalid_message("urlencode", vec![strs(&["a"])]).contains("string"));
    }

    /// The examples of the `textencodebase64` and `textdecodebase64` pages.
    #[test]
    fn text_encodings_documented_examples() {
        assert_eq!(
            call_ok("textencodebase64", vec![s("Hello World"), s("UTF-16LE")]),
            s("SABlAGwAbABvACAAVwBvAHIAbABkAA==")
        );
        assert_eq!(
            call_ok(
                "textdecodebase64",
                vec![s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")]
            ),
            s("Hello World")
        );
        assert_eq!(
            call_ok("textencodebase64", vec![s("Hello World"), s("UTF-8")]),
            s("SGVsbG8gV29ybGQ=")
        );
        assert_eq!(
            call_ok("textdecodebase64", vec![s("SGVsbG8gV29ybGQ="), s("utf-8")]),
            s("Hello World")
        );
        assert_eq!(
            call_ok("textencodebase64", vec![s("☃"), s("UTF-16BE")]),
            s("JgM=")
        );
        assert_eq!(
            call_ok("textdecodebase64", vec![s("AA=="), s("UTF-16LE")]),
            s("\u{fffd}")
        );
        assert!(invalid_message("textdecodebase64", vec![s("/w=="), s("UTF-8")]).contains("UTF-8"));
        assert!(invalid_message("textdecodebase64", vec![s("%"), s("UTF-8")]).contains("base64"));
        let context = super::super::testing::Context::new();
        assert_eq!(
            super::super::call(
                "textencodebase64",
                vec![s("x"), s("ISO-8859-1")],
                &context.get()
            ),
            Err(super::super::FunctionError::Unmodelled)
        );
    }

    /// The example of the `csvdecode` page, and RFC 4180's quoting.
    #[test]
    fn csvdecode_documented_example() {
        let row = |a: &str, b: &str, c: &str| object(&[("a", s(a)), ("b", s(b)), ("c", s(c))]);
        assert_eq!(
            call_ok("csvdecode", vec![s("a,b,c\n1,2,3\n4,5,6")]),
            list(vec![row("1", "2", "3"), row("4", "5", "6")])
        );
        assert_eq!(
            call_ok(
                "csvdecode",
                vec![s("a,b,c\r\n\"x, \"\"y\"\"\",,\"multi\nline\"\r\n\r\n")]
            ),
            list(vec![row("x, \"y\"", "", "multi\nline")])
        );
        assert_eq!(call_ok("csvdecode", vec![s("a,b\n")]), list(vec![]));
        assert!(invalid_message("csvdecode", vec![s("")]).contains("missing header"));
        assert!(
            invalid_message("csvdecode", vec![s("a,b\n1,2\n3")])
                .contains("line 3: wrong number of fields")
        );
        assert!(invalid_message("csvdecode", vec![s("a,a\n1,2")]).contains("duplicate"));
        assert!(invalid_message("csvdecode", vec![s("a\nx\"y")]).contains("bare"));
        assert!(invalid_message("csvdecode", vec![s("a\n\"x\"y")]).contains("extraneous"));
        assert!(invalid_message("csvdecode", vec![s("a\n\"x")]).contains("extraneous"));
        assert!(call_ok("csvdecode", vec![unknown("x")]).is_unknown());
    }
}
