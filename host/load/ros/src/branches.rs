//! A resource whose properties choose between `Fn::If` branches on conditions that are
//! unknown is checked once per branch: it is evaluated again for every assignment of
//! true and false to those conditions, and each property that differs between the
//! evaluations says which assignment it belongs to, so that a finding names its branch.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use palisade_model::AttrPath;

/// The most unknown conditions one resource is split on (2^3 evaluations); a resource
/// with more is evaluated once, with unknowns where the branches differ.
pub const MAX_CONDITIONS: usize = 3;

/// An assumed truth for each unknown condition, by name.
pub type Assignment = BTreeMap<String, bool>;

/// Every assignment of true and false to `names`, all true first.
pub fn assignments(names: &BTreeSet<String>) -> Vec<Assignment> {
    names.iter().fold(vec![Assignment::new()], |partial, name| {
        partial
            .into_iter()
            .flat_map(|assignment| {
                [true, false].map(|truth| {
                    let mut assignment = assignment.clone();
                    assignment.insert(name.clone(), truth);
                    assignment
                })
            })
            .collect()
    })
}

/// The origin of a property that holds only under `assignment`:
/// "when condition `IsProd` is true and condition `IsPublic` is false".
pub fn describe(assignment: &Assignment) -> String {
    let parts: Vec<String> = assignment
        .iter()
        .map(|(name, truth)| format!("condition `{name}` is {truth}"))
        .collect();
    format!("when {}", parts.join(" and "))
}

/// The paths whose values are not the same in all of `values`: the deepest such path
/// under which all values are still mappings (or lists of one length).
pub fn differing_paths(values: &[&Value]) -> Vec<String> {
    let mut paths = Vec::new();
    collect_differences(values, &AttrPath::root(), &mut paths);
    paths
}

fn collect_differences(values: &[&Value], path: &AttrPath, paths: &mut Vec<String>) {
    let Some((first, rest)) = values.split_first() else {
        return;
    };
    if rest.iter().all(|value| value == first) {
        return;
    }
    let objects: Option<Vec<_>> = values.iter().map(|value| value.as_object()).collect();
    if let Some(objects) = objects {
        let keys: BTreeSet<&String> = objects.iter().flat_map(|object| object.keys()).collect();
        for key in keys {
            let children: Option<Vec<&Value>> =
                objects.iter().map(|object| object.get(key)).collect();
            match children {
                Some(children) => collect_differences(&children, &path.key(key), paths),
                // Present in some variants only.
                None => paths.push(path.key(key).to_string()),
            }
        }
        return;
    }
    let lists: Option<Vec<_>> = values.iter().map(|value| value.as_array()).collect();
    if let Some(lists) = lists.filter(|lists| lists.iter().all(|l| l.len() == lists[0].len())) {
        for index in 0..lists[0].len() {
            let children: Vec<&Value> = lists.iter().map(|list| &list[index]).collect();
            collect_differences(&children, &path.index(index), paths);
        }
        return;
    }
    paths.push(path.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn assignments_cover_every_combination() {
        let names = ["A".to_owned(), "B".to_owned()].into();
        let all = assignments(&names);
        assert_eq!(all.len(), 4);
        assert_eq!(
            describe(&all[1]),
            "when condition `A` is true and condition `B` is false"
        );
    }

    #[test]
    fn only_differing_leaves_are_paths() {
        let first = json!({"Acl": "public-read", "Name": "x", "Tags": [{"k": 1}, {"k": 2}]});
        let second = json!({"Acl": "private", "Name": "x", "Tags": [{"k": 1}, {"k": 3}], "New": 1});
        assert_eq!(
            differing_paths(&[&first, &second]),
            ["Acl", "New", "Tags[1].k"]
        );
        assert!(differing_paths(&[&first, &first]).is_empty());
    }
}
