use std::collections::BTreeMap;

use super::*;

fn constraint(text: &str) -> TypeConstraint {
    let expr = hcl_edit::parser::parse_expr(text).unwrap();
    parse(&expr).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn parse_error(text: &str) -> String {
    let expr = hcl_edit::parser::parse_expr(text).unwrap();
    parse(&expr).unwrap_err()
}

fn value(text: &str) -> Value {
    super::super::expr::constant(&hcl_edit::parser::parse_expr(text).unwrap())
}

/// `text` converted to the type written as `type_text`.
fn converted(text: &str, type_text: &str) -> Result<Value, String> {
    convert(value(text), &constraint(type_text))
}

fn object(items: &[(&str, Value)]) -> Value {
    Value::Object(
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn list(items: &[Value]) -> Value {
    Value::List(items.to_vec())
}

#[test]
fn keywords_and_constructors_parse_to_any_depth() {
    use TypeConstraint as T;
    assert_eq!(constraint("string"), T::String);
    assert_eq!(constraint("number"), T::Number);
    assert_eq!(constraint("bool"), T::Bool);
    assert_eq!(constraint("any"), T::Any);
    assert_eq!(constraint("list(string)"), T::List(Box::new(T::String)));
    assert_eq!(constraint("set(number)"), T::Set(Box::new(T::Number)));
    assert_eq!(
        constraint("map(list(bool))"),
        T::Map(Box::new(T::List(Box::new(T::Bool))))
    );
    assert_eq!(
        constraint("tuple([string, number, bool])"),
        T::Tuple(vec![T::String, T::Number, T::Bool])
    );
    let nested = "list(object({name = string, rules = map(set(tuple([number, any])))}))";
    assert_eq!(constraint(nested).to_string(), nested);
}

#[test]
fn object_attributes_may_be_optional_with_a_default() {
    let parsed =
        constraint(r#"object({a = string, b = optional(string), "c" = optional(number, "127")})"#);
    let TypeConstraint::Object(attributes) = &parsed else {
        panic!("not an object: {parsed:?}");
    };
    assert!(!attributes["a"].optional);
    assert_eq!(
        (attributes["b"].optional, &attributes["b"].default),
        (true, &None)
    );
    // The default is converted to the attribute's type when the type is read.
    assert_eq!(attributes["c"].default, Some(Value::Number(127.0)));
    assert_eq!(
        parsed.to_string(),
        "object({a = string, b = optional(string), c = optional(number, 127)})"
    );
}

#[test]
fn quoted_types_of_terraform_0_11_are_read() {
    use TypeConstraint as T;
    assert_eq!(constraint(r#""string""#), T::String);
    assert_eq!(constraint(r#""list""#), T::List(Box::new(T::Any)));
    assert_eq!(constraint(r#""map""#), T::Map(Box::new(T::Any)));
    assert!(parse_error(r#""number""#).contains("not a valid quoted type"));
}

#[test]
fn malformed_constraints_are_explained() {
    assert!(parse_error("list").contains("requires an argument"));
    assert!(parse_error("object").contains("requires an argument"));
    assert!(parse_error("strin").contains(r#""strin" is not a valid type"#));
    assert!(parse_error("list(string, number)").contains("exactly one argument"));
    assert!(parse_error("optional(string)").contains("only allowed"));
    assert!(parse_error("list(optional(string))").contains("only allowed"));
    assert!(parse_error("tuple(string)").contains("list of element types"));
    assert!(parse_error("object(string)").contains("map of attribute types"));
    assert!(parse_error("foo(string)").contains(r#""foo" is not a type constructor"#));
    assert!(parse_error(r#"object({a = string, "a" = number})"#).contains("declared twice"));
    assert_eq!(
        parse_error(r#"object({port = optional(number, "http")})"#),
        r#"attribute "port": invalid default value: a number is required"#
    );
    assert!(parse_error("1 + 2").contains("type constructor call"));
}

#[test]
fn primitives_convert_through_their_text() {
    assert_eq!(converted("15", "string"), Ok("15".into()));
    assert_eq!(converted("1.5", "string"), Ok("1.5".into()));
    assert_eq!(converted("true", "string"), Ok("true".into()));
    assert_eq!(converted(r#""15""#, "number"), Ok(15.0.into()));
    assert_eq!(converted(r#""-2.5e1""#, "number"), Ok((-25.0).into()));
    assert_eq!(converted(r#""true""#, "bool"), Ok(true.into()));
    assert_eq!(converted(r#""0""#, "bool"), Ok(false.into()));
    assert_eq!(
        converted(r#""yes""#, "bool"),
        Err("a bool is required".into())
    );
    assert_eq!(
        converted(r#""eighty""#, "number"),
        Err("a number is required".into())
    );
    assert_eq!(
        converted(r#"" 80""#, "number"),
        Err("a number is required".into())
    );
    assert_eq!(converted("true", "number"), Err("number required".into()));
    assert_eq!(converted("1", "bool"), Err("bool required".into()));
    assert_eq!(converted("[1]", "string"), Err("string required".into()));
    assert_eq!(converted("{}", "number"), Err("number required".into()));
}

#[test]
fn null_and_unknown_convert_to_anything() {
    for type_text in ["string", "list(number)", "object({a = string})"] {
        assert_eq!(converted("null", type_text), Ok(Value::Null));
        let unknown = Value::unknown("later");
        assert_eq!(
            convert(unknown.clone(), &constraint(type_text)),
            Ok(unknown)
        );
    }
    let items = list(&[Value::unknown("later"), "2".into()]);
    assert_eq!(
        convert(items, &constraint("list(number)")),
        Ok(list(&[Value::unknown("later"), 2.0.into()]))
    );
}

#[test]
fn tuples_become_lists_and_sets() {
    assert_eq!(
        converted(r#"[1, "2", true]"#, "list(string)"),
        Ok(list(&["1".into(), "2".into(), "true".into()]))
    );
    assert_eq!(
        converted(r#"["b", "a", "b", 1]"#, "set(string)"),
        Ok(list(&["1".into(), "a".into(), "b".into()]))
    );
    assert_eq!(
        converted("[3, 1, 3]", "set(number)"),
        Ok(list(&[1.0.into(), 3.0.into()]))
    );
    assert_eq!(
        converted(r#"[1, "x"]"#, "list(number)"),
        Err("element 1: a number is required".into())
    );
    assert_eq!(
        converted("{a = 1}", "list(string)"),
        Err("list of string required".into())
    );
}

#[test]
fn collections_of_any_unify_their_elements() {
    assert_eq!(
        converted(r#"[1, "a"]"#, "list(any)"),
        Ok(list(&["1".into(), "a".into()]))
    );
    assert_eq!(
        converted("[1, 2]", "list(any)"),
        Ok(list(&[1.0.into(), 2.0.into()]))
    );
    assert_eq!(
        converted("[true, 1]", "list(any)"),
        Err("all list elements must have the same type".into())
    );
    assert_eq!(
        converted(r#"{a = 1, b = "x"}"#, "map(any)"),
        Ok(object(&[("a", "1".into()), ("b", "x".into())]))
    );
    assert_eq!(
        converted(r#"{a = [1], b = "x"}"#, "map(any)"),
        Err("all map elements must have the same type".into())
    );
}

#[test]
fn objects_become_maps_of_one_type() {
    assert_eq!(
        converted(r#"{port = 22, name = "ssh", open = true}"#, "map(string)"),
        Ok(object(&[
            ("name", "ssh".into()),
            ("open", "true".into()),
            ("port", "22".into()),
        ]))
    );
    assert_eq!(
        converted(r#"{a = "1", b = "x"}"#, "map(number)"),
        Err(r#"element "b": a number is required"#.into())
    );
}

#[test]
fn lists_and_sets_convert_into_each_other() {
    let as_set = converted(r#"["b", "a", "b"]"#, "set(string)").unwrap();
    assert_eq!(as_set, list(&["a".into(), "b".into()]));
    assert_eq!(
        convert(as_set.clone(), &constraint("list(string)")),
        Ok(as_set)
    );
}

#[test]
fn tuples_convert_element_by_element() {
    assert_eq!(
        converted(r#"["1", 2]"#, "tuple([number, string])"),
        Ok(list(&[1.0.into(), "2".into()]))
    );
    assert_eq!(
        converted("[1]", "tuple([number, string])"),
        Err("a tuple of 2 elements is required".into())
    );
    assert_eq!(
        converted(r#"["a", 2]"#, "tuple([number, string])"),
        Err("element 0: a number is required".into())
    );
}

/// Terraform's documented example of optional attributes.
#[test]
fn missing_optional_attributes_get_their_default_or_null() {
    let type_text = "object({a = string, b = optional(string), c = optional(number, 127)})";
    assert_eq!(
        converted(r#"{a = "foo"}"#, type_text),
        Ok(object(&[
            ("a", "foo".into()),
            ("b", Value::Null),
            ("c", 127.0.into())
        ]))
    );
    // A null optional attribute takes the default too; extra attributes are dropped.
    assert_eq!(
        converted(r#"{a = "foo", c = null, d = 1}"#, type_text),
        Ok(object(&[
            ("a", "foo".into()),
            ("b", Value::Null),
            ("c", 127.0.into())
        ]))
    );
}

#[test]
fn missing_required_attributes_are_named() {
    let type_text = "object({a = string, b = number, c = bool, d = optional(bool)})";
    assert_eq!(
        converted("{b = 1, c = true}", type_text),
        Err(r#"attribute "a" is required"#.into())
    );
    assert_eq!(
        converted("{c = true}", type_text),
        Err(r#"attributes "a" and "b" are required"#.into())
    );
    assert_eq!(
        converted("{}", type_text),
        Err(r#"attributes "a", "b", and "c" are required"#.into())
    );
    assert_eq!(
        converted(r#"{a = "x", b = "many", c = true}"#, type_text),
        Err(r#"attribute "b": a number is required"#.into())
    );
    assert_eq!(converted("[1]", type_text), Err("object required".into()));
}

/// Terraform's documented example of nested optional defaults.
#[test]
fn defaults_apply_inside_collections_and_nested_defaults() {
    let type_text = r#"list(object({
        name    = string
        enabled = optional(bool, true)
        website = optional(object({
          index_document = optional(string, "index.html")
          error_document = optional(string, "error.html")
          routing_rules  = optional(string)
        }), {})
      }))"#;
    let given = r#"[
        { name = "production", website = { routing_rules = "rules" } },
        { name = "archived", enabled = false },
        { name = "docs", website = { index_document = "index.txt", error_document = "error.txt" } },
      ]"#;
    let website = |index: &str, error: &str, rules: Value| {
        object(&[
            ("error_document", error.into()),
            ("index_document", index.into()),
            ("routing_rules", rules),
        ])
    };
    assert_eq!(
        converted(given, type_text),
        Ok(list(&[
            object(&[
                ("enabled", true.into()),
                ("name", "production".into()),
                (
                    "website",
                    website("index.html", "error.html", "rules".into())
                ),
            ]),
            object(&[
                ("enabled", false.into()),
                ("name", "archived".into()),
                ("website", website("index.html", "error.html", Value::Null)),
            ]),
            object(&[
                ("enabled", true.into()),
                ("name", "docs".into()),
                ("website", website("index.txt", "error.txt", Value::Null)),
            ]),
        ]))
    );
    assert_eq!(
        converted("[{}]", "list(object({port = optional(number, 3)}))"),
        Ok(list(&[object(&[("port", 3.0.into())])]))
    );
    assert_eq!(
        converted(r#"[{name = "a"}, {}]"#, "list(object({name = string}))"),
        Err(r#"element 1: attribute "name" is required"#.into())
    );
}

#[test]
fn maps_convert_to_objects() {
    let map: BTreeMap<String, Value> = BTreeMap::from([("a".to_owned(), "1".into())]);
    assert_eq!(
        convert(Value::Object(map), &constraint("object({a = number})")),
        Ok(object(&[("a", 1.0.into())]))
    );
}

#[test]
fn primitive_constraints_are_recognised() {
    assert!(constraint("string").is_primitive());
    assert!(constraint("bool").is_primitive());
    assert!(!constraint("any").is_primitive());
    assert!(!constraint("list(string)").is_primitive());
}
