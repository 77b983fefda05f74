//! `after_sensitive`: which values of a resource change are sensitive, as a mirror of
//! `after` whose leaves are `true` (sensitive) or `false`.
//!
//! Terraform writes the mirror from the same value as `after`: an object for an object
//! (sensitive keys only, or keys missing from `after` that are `true`), a list of the same
//! length for a list, a boolean for anything else. A well-formed mark keeps the value
//! (the built-in rules decide on it) and records its path, so that nothing else ever
//! sees it. A marker of any other shape would be read wrongly, and a secret would reach
//! policies and reports: it replaces the whole value it stands for by an unknown (fails
//! closed), and is reported.

use std::collections::HashSet;

use serde_json::Value;

use palisade_model::AttrPath;

/// What marking the sensitive values of one resource found.
#[derive(Debug, Default, PartialEq)]
pub struct Hidden {
    /// The attribute paths of sensitive values: kept, or replaced by the placeholder when their
    /// marker is malformed or they are missing from `after`.
    pub paths: HashSet<String>,
    /// The paths whose marker did not match the value (`""` for the whole resource).
    pub malformed: Vec<String>,
}

/// Records every value of `attributes` (an object) that `marker` marks sensitive, and
/// replaces by `placeholder` every value whose marker is malformed.
pub fn mark(attributes: &mut Value, marker: &Value, placeholder: &Value) -> Hidden {
    let mut hidden = Hidden::default();
    let whole = match marker {
        Value::Bool(false) => return hidden,
        Value::Bool(true) => true,
        Value::Object(_) => false,
        _ => {
            hidden.malformed.push(String::new());
            true
        }
    };
    if whole {
        // Each attribute, so that the attributes stay an object.
        let malformed = !hidden.malformed.is_empty();
        if let Value::Object(map) = attributes {
            for (key, value) in map.iter_mut() {
                if malformed {
                    *value = placeholder.clone();
                }
                hidden.paths.insert(AttrPath::root().key(key).to_string());
            }
        }
    } else {
        hide_at(
            attributes,
            marker,
            placeholder,
            AttrPath::root(),
            &mut hidden,
        );
    }
    hidden
}

fn hide_at(
    value: &mut Value,
    marker: &Value,
    placeholder: &Value,
    path: AttrPath,
    hidden: &mut Hidden,
) {
    match (marker, value) {
        (Value::Bool(false), _) => {}
        (Value::Object(markers), Value::Object(map)) => {
            for (key, inner) in markers {
                let inner_path = path.key(key);
                match map.get_mut(key) {
                    Some(child) => hide_at(child, inner, placeholder, inner_path, hidden),
                    None if *inner == Value::Bool(false) => {}
                    None => {
                        if *inner != Value::Bool(true) {
                            hidden.malformed.push(inner_path.to_string());
                        }
                        map.insert(key.clone(), placeholder.clone());
                        hidden.paths.insert(inner_path.to_string());
                    }
                }
            }
        }
        (Value::Array(markers), Value::Array(items)) if markers.len() == items.len() => {
            for (i, (item, inner)) in items.iter_mut().zip(markers).enumerate() {
                hide_at(item, inner, placeholder, path.index(i), hidden);
            }
        }
        (Value::Bool(true), _) => {
            hidden.paths.insert(path.to_string());
        }
        (_, value) => {
            hidden.malformed.push(path.to_string());
            *value = placeholder.clone();
            hidden.paths.insert(path.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hidden(after: Value, marker: Value) -> (Value, Vec<String>) {
        let mut attributes = after;
        let hidden = mark(&mut attributes, &marker, &json!("HIDDEN"));
        (attributes, hidden.malformed)
    }

    #[test]
    fn well_formed_markers_keep_what_they_mark_and_record_it() {
        let after = json!({"a": "x", "b": ["p", "q"], "c": {"d": 1, "e": 2}, "n": null});
        let marker = json!({"b": [false, true], "c": {"e": true}, "n": false, "z": true});
        let mut attributes = after;
        let hidden = mark(&mut attributes, &marker, &json!("HIDDEN"));
        assert_eq!(
            attributes,
            json!({"a": "x", "b": ["p", "q"], "c": {"d": 1, "e": 2}, "n": null, "z": "HIDDEN"})
        );
        let mut paths: Vec<&str> = hidden.paths.iter().map(String::as_str).collect();
        paths.sort();
        assert_eq!(paths, ["b[1]", "c.e", "z"]);
        assert!(hidden.malformed.is_empty());
    }

    #[test]
    fn malformed_markers_hide_the_value_they_stand_for() {
        let after = || json!({"encrypted": "hunter2", "size": 20});
        for marker in [json!({"encrypted": [true]}), json!({"encrypted": "true"})] {
            assert_eq!(
                hidden(after(), marker.clone()),
                (
                    json!({"encrypted": "HIDDEN", "size": 20}),
                    vec!["encrypted".to_owned()]
                ),
                "{marker}"
            );
        }
        for marker in [json!("true"), json!(1), json!([true]), json!(null)] {
            assert_eq!(
                hidden(after(), marker.clone()),
                (
                    json!({"encrypted": "HIDDEN", "size": "HIDDEN"}),
                    vec![String::new()]
                ),
                "{marker}"
            );
        }
        let (value, malformed) = hidden(json!({"l": [1, 2]}), json!({"l": [true]}));
        assert_eq!(
            (value, malformed),
            (json!({"l": "HIDDEN"}), vec!["l".into()])
        );
    }

    #[test]
    fn each_sensitive_value_is_recorded_at_its_path() {
        let mut attributes = json!({"tags": {"k": "v"}, "list": [{"x": 1}]});
        let hidden = mark(
            &mut attributes,
            &json!({"tags": true, "list": [{"x": true}]}),
            &json!("HIDDEN"),
        );
        let paths: HashSet<String> = ["tags".into(), "list[0].x".into()].into();
        assert_eq!(hidden.paths, paths);
    }
}
