//! Database IP whitelists, and the entries in them that let the whole internet in.
//!
//! A whitelist is a list of IP addresses and CIDR blocks, written as a list
//! (`security_ips = ["10.0.0.1", ...]`) or as one comma-separated string
//! (`SecurityIPList: "10.0.0.1, 0.0.0.0/0"`, a MongoDB group's `security_ip_list`). The
//! providers join list elements with commas before calling the API, so an element may
//! itself hold several entries: every value is split at commas and each entry trimmed.
//!
//! An entry is world-open when it is `0.0.0.0` (RDS and KVStore read the bare address as
//! every address) or a CIDR block of prefix length 0 (`0.0.0.0/0`, `::/0`).
//!
//! Some types apply the entries with a `modify_mode`: `Cover` (the default) and `Append`
//! add them, `Delete` removes them, so the entries of a `Delete` whitelist are never
//! open.

use palisade_policy::cloud::cidr;
use palisade_policy::{Attr, AttrPath, Field, Unknown};

/// One whitelist attribute of a resource.
pub struct Whitelist<'a> {
    /// The attribute holding the entries (`security_ips`,
    /// `db_cluster_ip_array[1].security_ips`, `SecurityIPList`).
    pub field: Field<'a>,
    /// The `modify_mode` applying to the entries, for the types that have one.
    pub mode: Option<Field<'a>>,
}

/// The whitelists one resource declares, and the lists of whitelists that could not be
/// read (a `dynamic` block over an unknown value).
#[derive(Default)]
pub struct Whitelists<'a> {
    pub lists: Vec<Whitelist<'a>>,
    pub unreadable: Vec<Unknown<'a>>,
    /// For a whitelist resource of its own (`ALIYUN::REDIS::Whitelist`), the attribute
    /// naming the database it applies to; `None` for a database's own whitelists.
    pub of: Option<Field<'a>>,
}

/// One entry as written, trimmed, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub text: String,
    pub at: AttrPath,
}

/// A whitelist that holds world-open entries.
pub struct Open {
    /// The attribute, as users write it (`security_ips`).
    pub name: String,
    /// Its world-open entries, in order.
    pub world: Vec<Entry>,
    /// How many entries it holds in all.
    pub total: usize,
}

/// What the whitelists of one resource let in.
#[derive(Default)]
pub struct Verdict<'a> {
    /// The whitelists adding world-open entries.
    pub open: Vec<Open>,
    /// The whitelists listing world-open entries only to delete them
    /// (`modify_mode = "Delete"`), with the mode's path.
    pub deleted: Vec<(Open, AttrPath)>,
    /// The first unknown value that could open a whitelist.
    pub unknown: Option<Unknown<'a>>,
}

impl<'a> Whitelists<'a> {
    /// A whitelist at `field` with no `modify_mode`.
    pub fn push(&mut self, field: Field<'a>) {
        self.lists.push(Whitelist { field, mode: None });
    }

    /// The blocks of a nested block list (`db_cluster_ip_array`, `security_ip_groups`):
    /// none when it is absent, and recorded as unreadable when it is unknown.
    pub fn blocks(&mut self, list: &Field<'a>) -> Vec<Field<'a>> {
        match list.list() {
            Attr::Known(blocks) => blocks,
            Attr::Absent => Vec::new(),
            Attr::Unknown(unknown) => {
                self.unreadable.push(unknown);
                Vec::new()
            }
        }
    }

    /// Which whitelists add world-open entries, which only delete them, and the first
    /// unknown that matters when none is open.
    pub fn verdict(&self) -> Verdict<'a> {
        let mut verdict = Verdict {
            unknown: self.unreadable.first().cloned(),
            ..Verdict::default()
        };
        for list in &self.lists {
            let (entries, unknown) = entries(&list.field);
            if let Some(unknown) = unknown {
                verdict.unknown.get_or_insert(unknown);
            }
            let world: Vec<Entry> = entries
                .iter()
                .filter(|entry| is_world_open(&entry.text))
                .cloned()
                .collect();
            if world.is_empty() {
                continue;
            }
            let open = Open {
                name: list.field.path().to_string(),
                world,
                total: entries.len(),
            };
            match list.deletes() {
                Ok(None) => verdict.open.push(open),
                Ok(Some(mode)) => verdict.deleted.push((open, mode)),
                Err(unknown) => {
                    verdict.unknown.get_or_insert(unknown);
                }
            }
        }
        verdict
    }
}

impl<'a> Whitelist<'a> {
    /// The path of the `modify_mode` when it deletes the entries instead of adding them;
    /// `None` when it adds them (`Cover`, the default, or `Append`).
    fn deletes(&self) -> Result<Option<AttrPath>, Unknown<'a>> {
        let Some(mode) = &self.mode else {
            return Ok(None);
        };
        let deletes = mode
            .text()
            .decide()?
            .is_some_and(|mode| mode.trim().eq_ignore_ascii_case("delete"));
        Ok(deletes.then(|| mode.path().clone()))
    }
}

impl Open {
    /// "whitelist `security_ips` holds 0.0.0.0/0 (of 2 entries)".
    pub fn describe(&self) -> String {
        let world: Vec<&str> = self.world.iter().map(|entry| entry.text.as_str()).collect();
        let plural = if self.total == 1 { "entry" } else { "entries" };
        format!(
            "whitelist `{}` holds {} (of {} {plural})",
            self.name,
            and_list(&world),
            self.total
        )
    }
}

/// Whether one whitelist entry lets every address in.
pub fn is_world_open(entry: &str) -> bool {
    let entry = entry.trim();
    entry == "0.0.0.0" || cidr::is_world_open(entry)
}

/// The entries of a whitelist attribute, and the first part of it that is unknown.
pub fn entries<'a>(field: &Field<'a>) -> (Vec<Entry>, Option<Unknown<'a>>) {
    let mut entries = Vec::new();
    let values = match field.list() {
        Attr::Known(elements) => elements,
        Attr::Absent => return (entries, None),
        // Not a list: one string of entries (or a value that cannot be read).
        Attr::Unknown(_) => vec![field.clone()],
    };
    let mut first_unknown = None;
    for value in values {
        match value.text() {
            Attr::Known(text) => entries.extend(
                text.split(',')
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(|text| Entry {
                        text: text.to_owned(),
                        at: value.path().clone(),
                    }),
            ),
            Attr::Absent => {}
            Attr::Unknown(unknown) => {
                first_unknown.get_or_insert(unknown);
            }
        }
    }
    (entries, first_unknown)
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_policy::serde_json::json;
    use palisade_policy::testing::{resources, unknown};

    #[test]
    fn world_open_entries() {
        for open in [
            "0.0.0.0/0",
            " 0.0.0.0/0 ",
            "0.0.0.0",
            "::/0",
            "::0/0",
            "10.0.0.0/0",
        ] {
            assert!(is_world_open(open), "{open:?}");
        }
        for closed in [
            "10.0.0.0/8",
            "127.0.0.1",
            "0.0.0.0/1",
            "::",
            "::/1",
            "%",
            "",
        ] {
            assert!(!is_world_open(closed), "{closed:?}");
        }
    }

    #[test]
    fn strings_and_list_elements_are_split_at_commas() {
        let set = resources(&[(
            "alicloud_db_instance",
            "db",
            json!({
                "list": ["10.0.0.1", "192.168.0.0/16, 0.0.0.0/0", ""],
                "string": "10.0.0.1 ,0.0.0.0,",
                "partly": [unknown("var.office has no value"), "::/0"],
            }),
        )]);
        let (list, unknown_part) = entries(&set[0].get("list"));
        let texts: Vec<&str> = list.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["10.0.0.1", "192.168.0.0/16", "0.0.0.0/0"]);
        assert_eq!(list[2].at.as_str(), "list[1]");
        assert!(unknown_part.is_none());

        let (string, _) = entries(&set[0].get("string"));
        let texts: Vec<&str> = string.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["10.0.0.1", "0.0.0.0"]);
        assert_eq!(string[1].at.as_str(), "string");

        let (partly, unknown_part) = entries(&set[0].get("partly"));
        assert_eq!(partly.len(), 1);
        assert_eq!(unknown_part.unwrap().reason, "var.office has no value");

        assert_eq!(entries(&set[0].get("absent")).0, []);
    }

    #[test]
    fn deleted_entries_are_not_open_and_unknown_modes_undecided() {
        let set = resources(&[(
            "alicloud_db_instance",
            "db",
            json!({"ips": ["0.0.0.0/0"], "delete": "Delete", "cover": "Cover", "later": unknown("var.mode")}),
        )]);
        let db = &set[0];
        let with_mode = |mode: &str| {
            let mut lists = Whitelists::default();
            lists.lists.push(Whitelist {
                field: db.get("ips"),
                mode: Some(db.get(mode)),
            });
            let verdict = lists.verdict();
            (
                verdict.open.len(),
                verdict.deleted.len(),
                verdict.unknown.is_some(),
            )
        };
        assert_eq!(with_mode("delete"), (0, 1, false));
        assert_eq!(with_mode("cover"), (1, 0, false));
        assert_eq!(with_mode("absent"), (1, 0, false));
        assert_eq!(with_mode("later"), (0, 0, true));
    }

    #[test]
    fn descriptions_name_the_attribute_and_count_entries() {
        let open = Open {
            name: "security_ips".into(),
            world: vec![
                Entry {
                    text: "0.0.0.0/0".into(),
                    at: AttrPath::root(),
                },
                Entry {
                    text: "::/0".into(),
                    at: AttrPath::root(),
                },
            ],
            total: 3,
        };
        assert_eq!(
            open.describe(),
            "whitelist `security_ips` holds 0.0.0.0/0 and ::/0 (of 3 entries)"
        );
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
