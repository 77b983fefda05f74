//! JSON text to a positioned [`Node`] tree, with jsonc-parser (which keeps byte ranges and
//! refuses input nested deeper than it can parse without exhausting the stack).
//!
//! The parser runs in strict JSON mode: comments, trailing commas and the like are
//! rejected, as the tools that deploy these templates reject them.

use std::path::Path;

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::tree::{Entry, Node, NodeValue};
use crate::model::{LoadError, Position};

/// Parses `text` (the contents of `file`) as one JSON value; `None` for an empty file.
pub fn parse(file: &Path, text: &str) -> Result<Option<Node>, LoadError> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => Ok(result.value.as_ref().map(node)),
        Err(error) => Err(LoadError {
            file: file.to_path_buf(),
            position: Position::from_offset(text, error.range().start),
            message: format!("invalid JSON: {}", error.kind()),
        }),
    }
}

fn node(value: &ast::Value) -> Node {
    let (value, range) = match value {
        ast::Value::NullKeyword(null) => (NodeValue::Null, null.range),
        ast::Value::BooleanLit(b) => (NodeValue::Bool(b.value), b.range),
        ast::Value::NumberLit(n) => (number(n.value), n.range),
        ast::Value::StringLit(s) => (NodeValue::String(s.value.to_string()), s.range),
        ast::Value::Array(array) => (
            NodeValue::Array(array.elements.iter().map(node).collect()),
            array.range,
        ),
        ast::Value::Object(object) => (
            NodeValue::Object(object.properties.iter().map(entry).collect()),
            object.range,
        ),
    };
    Node {
        value,
        span: range.start..range.end,
    }
}

fn entry(property: &ast::ObjectProp) -> Entry {
    let (key, range) = match &property.name {
        ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
        ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
    };
    Entry {
        key,
        key_span: range.start..range.end,
        value: node(&property.value),
    }
}

/// A JSON number; one too large for a double stays as its text rather than being lost.
fn number(text: &str) -> NodeValue {
    match serde_json::from_str::<serde_json::Number>(text) {
        Ok(n) => NodeValue::Number(n),
        Err(_) => NodeValue::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> LoadError {
        parse(Path::new("t.json"), text).unwrap_err()
    }

    #[test]
    fn keeps_ranges_of_keys_and_values() {
        let text = "{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": null}\n}";
        let root = parse(Path::new("t.json"), text).unwrap().unwrap();
        let a = root.get("a").unwrap();
        assert_eq!(&text[a.key_span.clone()], "\"a\"");
        assert_eq!(&text[a.span()], "\"a\": [1, \"x\"]");
        let NodeValue::Array(items) = &a.value.value else {
            panic!("not an array")
        };
        assert_eq!(&text[items[1].span.clone()], "\"x\"");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = error("{\n  \"a\": 1,\n}");
        assert_eq!(e.position, Position::new(2, 9));
        assert_eq!(e.message, "invalid JSON: Trailing commas are not allowed");
        assert_eq!(error("{\"a\" 1}").position, Position::new(1, 6));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let e = error(&text);
        assert_eq!(e.message, "invalid JSON: Maximum nesting depth exceeded");
        assert_eq!(e.position.line, 1);
        let text = format!("{{\"a\": {}", "{\"b\": ".repeat(100_000));
        assert_eq!(
            error(&text).message,
            "invalid JSON: Maximum nesting depth exceeded"
        );
    }

    #[test]
    fn huge_numbers_keep_their_text() {
        let root = parse(Path::new("t.json"), "[1e400, 2.5]").unwrap().unwrap();
        let NodeValue::Array(items) = root.value else {
            panic!("not an array")
        };
        assert_eq!(items[0].value, NodeValue::String("1e400".into()));
        assert_eq!(
            items[1].value,
            NodeValue::Number(serde_json::Number::from_f64(2.5).unwrap())
        );
    }
}
