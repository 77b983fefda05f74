//! Reading attributes without ever mistaking an unknown value for a known one.
//!
//! The host encodes a value it could not determine (a variable without a default, a
//! computed plan attribute, a reference to another resource) as
//! `{"$unknown": {"reason": "...", "refers": "<address or null>"}}`. A [`Field`] walks the
//! attribute tree and remembers its [`AttrPath`]; its typed readers return an [`Attr`]
//! that is absent, unknown or known, so a rule has to say what each case means.
//!
//! # Reading an attribute
//!
//! - `match` on the [`Attr`] when each state means something different to the rule.
//! - [`Attr::with_default`] when an omitted attribute has a provider default: the
//!   result is `Ok(value)` or `Err(unknown)`, the shape [`logic`](crate::logic) combines.
//! - [`Attr::decide`] with `?` in a helper returning `Result<_, Unknown>`, so that the
//!   first unknown stops the helper and the caller reports it once.
//! - [`Attr::known`] only where absent and unknown mean the same (a detail of a message).
//!
//! ```
//! use palisade_policy::testing::{locations, resources, unknown};
//! use palisade_policy::{Evaluation, Resource, Unknown};
//! use serde_json::json;
//!
//! /// Whether `disk` is encrypted; an omitted flag is the provider default, unencrypted.
//! fn encrypted(disk: &Resource) -> Result<bool, Unknown<'_>> {
//!     disk.get("encrypted").bool().with_default(false)
//! }
//!
//! let set = resources(&[
//!     ("alicloud_disk", "a", json!({"encrypted": "true"})),
//!     ("alicloud_disk", "b", json!({"size": 20})),
//!     ("alicloud_disk", "c", json!({"encrypted": unknown("var.encrypted has no value")})),
//! ]);
//! # const RULE: palisade_policy::Rule = palisade_policy::Rule { id: "unencrypted-disk", title: "",
//! #     severity: palisade_policy::Severity::High, description: "", remediation: "",
//! #     documentation: "", resource_types: &[] };
//! let mut evaluation = Evaluation::default();
//! for disk in &set {
//!     match encrypted(disk) {
//!         Ok(true) => {}
//!         // The runner locates an omitted attribute at the resource header.
//!         Ok(false) => evaluation.fail(&RULE, disk, disk.get("encrypted").path(), "not encrypted"),
//!         Err(unknown) => evaluation.undecided(&RULE, disk, &unknown),
//!     }
//! }
//! assert_eq!(locations(&evaluation.findings), [(1, "encrypted")]);
//! assert_eq!(locations(&evaluation.notes), [(2, "encrypted")]);
//! ```

use std::borrow::Cow;

use palisade_contract::UnknownMarker;
use serde_json::Value;

use crate::cloud::flag;
use crate::path::{AttrPath, Segment};

/// The key of the one-entry object that marks an unknown value; tests build such values
/// with [`testing::unknown`](crate::testing::unknown) and
/// [`testing::reference`](crate::testing::reference).
pub use palisade_contract::UNKNOWN_KEY;

/// A value the host could not determine, and where it was needed.
///
/// Unknown is neither secure nor insecure: a rule that meets one reports a note
/// ("could not decide: ...") with [`Evaluation::undecided`] instead of a finding. The
/// lifetime ties it to the resource it was read from, which lends the `reason` and
/// `refers` text.
///
/// [`Evaluation::undecided`]: crate::Evaluation::undecided
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown<'a> {
    /// The unknown attribute: where a note about it should point.
    pub path: AttrPath,
    /// Why the value is unknown, in words for the user.
    pub reason: Cow<'a, str>,
    /// The resource a reference points at (`alicloud_oss_bucket.b`), if it is one.
    pub refers: Option<&'a str>,
}

/// The state of one attribute: absent, unknown, or a known value of type `T`.
///
/// `T` is the raw JSON value until a typed reader ([`Field::text`], [`Field::bool`],
/// [`Field::integer`], [`Field::list`]) converts it.
///
/// ```
/// use palisade_policy::{Attr, Format, Resource};
/// use serde_json::json;
///
/// let disk = Resource::new(0, "alicloud_disk", "alicloud_disk.d", Format::Terraform,
///     json!({"encrypted": {"$unknown": {"reason": "var.encrypted has no value", "refers": null}}}));
/// match disk.get("encrypted").bool() {
///     Attr::Known(encrypted) => println!("encrypted: {encrypted}"),
///     Attr::Absent => println!("provider default"),
///     Attr::Unknown(unknown) => assert_eq!(unknown.reason, "var.encrypted has no value"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Attr<'a, T = &'a Value> {
    /// Not set (omitted or `null`): the provider's default applies.
    Absent,
    /// Set to a value the host could not determine.
    Unknown(Unknown<'a>),
    /// Set to a known value.
    Known(T),
}

impl<'a, T> Attr<'a, T> {
    /// The known value, if there is one: for when absent and unknown mean the same to
    /// the rule.
    pub fn known(self) -> Option<T> {
        match self {
            Attr::Known(value) => Some(value),
            Attr::Absent | Attr::Unknown(_) => None,
        }
    }

    /// `Ok(Some(value))` when known, `Ok(None)` when absent, `Err` when unknown: the shape
    /// that lets a rule bail out on unknown values with `?`.
    ///
    /// ```
    /// use palisade_policy::testing::{resources, unknown};
    /// use palisade_policy::{Resource, Unknown};
    /// use serde_json::json;
    ///
    /// /// The ports a rule opens, when it says; `None` when it leaves them out.
    /// fn port_range(rule: &Resource) -> Result<Option<String>, Unknown<'_>> {
    ///     let range = rule.get("port_range").text().decide()?;
    ///     Ok(range.map(|range| range.trim().to_owned()))
    /// }
    ///
    /// let set = resources(&[
    ///     ("alicloud_security_group_rule", "a", json!({"port_range": " 22/22"})),
    ///     ("alicloud_security_group_rule", "b", json!({})),
    ///     ("alicloud_security_group_rule", "c", json!({"port_range": unknown("var.ports")})),
    /// ]);
    /// assert_eq!(port_range(&set[0]), Ok(Some("22/22".to_owned())));
    /// assert_eq!(port_range(&set[1]), Ok(None));
    /// assert_eq!(port_range(&set[2]).unwrap_err().reason, "var.ports");
    /// ```
    pub fn decide(self) -> Result<Option<T>, Unknown<'a>> {
        match self {
            Attr::Known(value) => Ok(Some(value)),
            Attr::Absent => Ok(None),
            Attr::Unknown(unknown) => Err(unknown),
        }
    }

    /// The known value, or `default` when absent (the provider default); `Err` when unknown.
    ///
    /// ```
    /// use palisade_policy::testing::{resources, unknown};
    /// use serde_json::json;
    ///
    /// let set = resources(&[("alicloud_security_group_rule", "r", json!({
    ///     "priority": unknown("var.priority"),
    /// }))]);
    /// let rule = &set[0];
    /// // Alibaba's default policy is `accept`, its default priority 1.
    /// assert_eq!(rule.get("policy").text().with_default("accept".into()).unwrap(), "accept");
    /// assert!(rule.get("priority").integer().with_default(1).is_err());
    /// ```
    pub fn with_default(self, default: T) -> Result<T, Unknown<'a>> {
        Ok(self.decide()?.unwrap_or(default))
    }

    /// Converts the known value, keeping absent and unknown as they are.
    ///
    /// ```
    /// use palisade_policy::cloud::protocol::Protocol;
    /// use palisade_policy::testing::resources;
    /// use palisade_policy::Attr;
    /// use serde_json::json;
    ///
    /// let set = resources(&[("aws_security_group_rule", "r", json!({"protocol": "6"}))]);
    /// let protocol = set[0].get("protocol").text().map(|text| Protocol::parse(&text));
    /// assert_eq!(protocol, Attr::Known(Protocol::Tcp));
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attr<'a, U> {
        match self {
            Attr::Known(value) => Attr::Known(f(value)),
            Attr::Absent => Attr::Absent,
            Attr::Unknown(unknown) => Attr::Unknown(unknown),
        }
    }

    /// Whether the attribute is not set.
    pub fn is_absent(&self) -> bool {
        matches!(self, Attr::Absent)
    }

    /// Whether the attribute is set to an undetermined value.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown(_))
    }
}

/// A position in a resource's attribute tree: a path and the value found there, if any.
///
/// Navigating never fails: a missing key gives an absent field, and anything below an
/// unknown value is that same unknown (located at the unknown value itself).
///
/// ```
/// use palisade_policy::{Format, Resource};
/// use serde_json::json;
///
/// let sg = Resource::new(0, "aws_security_group", "aws_security_group.web", Format::Terraform,
///     json!({"ingress": [{"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]}));
/// let cidr = sg.get("ingress").index(0).get("cidr_blocks").index(0);
/// assert_eq!(cidr.path().as_str(), "ingress[0].cidr_blocks[0]");
/// assert_eq!(cidr.text().known().as_deref(), Some("0.0.0.0/0"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    path: AttrPath,
    value: Option<&'a Value>,
    /// Below an unknown value: the path of that value, where the unknown really is.
    unknown_at: Option<AttrPath>,
}

impl<'a> Field<'a> {
    /// The field at `path` holding `value` (`None` when there is nothing there): for
    /// reading a JSON value that is not a resource's attributes (a policy document a
    /// rule parsed itself). Resource attributes start at [`Resource::get`].
    ///
    /// [`Resource::get`]: crate::Resource::get
    pub fn new(path: AttrPath, value: Option<&'a Value>) -> Self {
        Self {
            path,
            value,
            unknown_at: None,
        }
    }

    /// Where this field is, for findings and notes.
    pub fn path(&self) -> &AttrPath {
        &self.path
    }

    /// The raw state of the value, before any typed reader: for presence checks
    /// (`.attr().is_absent()`) and values of several possible shapes.
    pub fn attr(&self) -> Attr<'a> {
        match self.value {
            None | Some(Value::Null) => Attr::Absent,
            Some(value) => match UnknownMarker::read(value) {
                Some(marker) => Attr::Unknown(self.unknown_from(marker)),
                None => Attr::Known(value),
            },
        }
    }

    /// The object member `key`; absent when this field is not an object or lacks it.
    pub fn get(&self, key: &str) -> Field<'a> {
        self.child(self.path.key(key), |value| value.get(key))
    }

    /// The list element `index`; absent when this field is not a list or is too short.
    pub fn index(&self, index: usize) -> Field<'a> {
        self.child(self.path.index(index), |value| value.get(index))
    }

    /// The field at `path` below this one; below an unknown value it is the same unknown.
    fn child(&self, path: AttrPath, get: impl FnOnce(&'a Value) -> Option<&'a Value>) -> Field<'a> {
        match self.value {
            Some(value) if UnknownMarker::read(value).is_some() => Field {
                path,
                value: Some(value),
                unknown_at: Some(self.unknown_at.clone().unwrap_or_else(|| self.path.clone())),
            },
            value => Field::new(path, value.and_then(get)),
        }
    }

    /// The field at the relative path `path` (`root_block_device[0].encrypted`). A path
    /// that does not parse gives an absent field.
    pub fn at(&self, path: &str) -> Field<'a> {
        let Some(segments) = AttrPath::parse(path) else {
            return Field::new(self.path.clone(), None);
        };
        segments
            .iter()
            .fold(self.clone(), |field, segment| match segment {
                Segment::Key(key) => field.get(key),
                Segment::Index(index) => field.index(*index),
            })
    }

    /// The value as text. Numbers and booleans convert the way Terraform converts them
    /// to strings (`6` -> `"6"`); lists and objects are unknown (they cannot be read).
    ///
    /// ```
    /// use palisade_policy::testing::resources;
    /// use serde_json::json;
    ///
    /// let set = resources(&[("alicloud_instance", "i", json!({"instance_type": "ecs.g7.large", "period": 6, "tags": {}}))]);
    /// assert_eq!(set[0].get("instance_type").text().known().as_deref(), Some("ecs.g7.large"));
    /// assert_eq!(set[0].get("period").text().known().as_deref(), Some("6"));
    /// assert!(set[0].get("tags").text().is_unknown());
    /// ```
    pub fn text(&self) -> Attr<'a, Cow<'a, str>> {
        match self.attr() {
            Attr::Known(Value::String(text)) => Attr::Known(Cow::Borrowed(text.as_str())),
            Attr::Known(value @ (Value::Number(_) | Value::Bool(_))) => {
                Attr::Known(Cow::Owned(value.to_string()))
            }
            Attr::Known(other) => Attr::Unknown(self.mismatch(other, "text")),
            Attr::Absent => Attr::Absent,
            Attr::Unknown(unknown) => Attr::Unknown(unknown),
        }
    }

    /// The value as a boolean: `true`/`false` or the strings `"true"`/`"false"` in any
    /// case. Anything else is unknown (it cannot be read either way).
    ///
    /// ```
    /// use palisade_policy::testing::resources;
    /// use serde_json::json;
    ///
    /// let set = resources(&[("ALIYUN::ECS::Disk", "D", json!({"Encrypted": "True", "DeleteWithInstance": "yes"}))]);
    /// assert_eq!(set[0].get("Encrypted").bool().known(), Some(true));
    /// assert!(set[0].get("DeleteWithInstance").bool().is_unknown());
    /// assert!(set[0].get("BurstingEnabled").bool().is_absent());
    /// ```
    pub fn bool(&self) -> Attr<'a, bool> {
        match self.attr() {
            Attr::Known(value) => match flag::parse(value) {
                Some(flag) => Attr::Known(flag),
                None => Attr::Unknown(self.mismatch(value, "a boolean")),
            },
            Attr::Absent => Attr::Absent,
            Attr::Unknown(unknown) => Attr::Unknown(unknown),
        }
    }

    /// The value as a whole number: a JSON integer or a string holding one (`"22"`).
    /// Anything else (a fraction, a list) is unknown.
    ///
    /// ```
    /// use palisade_policy::testing::resources;
    /// use serde_json::json;
    ///
    /// let set = resources(&[("aws_security_group_rule", "r", json!({"from_port": "22", "to_port": 22.5}))]);
    /// assert_eq!(set[0].get("from_port").integer().known(), Some(22));
    /// assert!(set[0].get("to_port").integer().is_unknown());
    /// ```
    pub fn integer(&self) -> Attr<'a, i64> {
        match self.attr() {
            Attr::Known(value) => {
                let parsed = match value {
                    Value::Number(number) => number.as_i64(),
                    Value::String(text) => text.trim().parse().ok(),
                    _ => None,
                };
                match parsed {
                    Some(number) => Attr::Known(number),
                    None => Attr::Unknown(self.mismatch(value, "a whole number")),
                }
            }
            Attr::Absent => Attr::Absent,
            Attr::Unknown(unknown) => Attr::Unknown(unknown),
        }
    }

    /// The value as a list of fields (Terraform nested blocks are lists of objects), each
    /// carrying its own path.
    ///
    /// ```
    /// use palisade_policy::testing::resources;
    /// use serde_json::json;
    ///
    /// let set = resources(&[("aws_security_group", "web", json!({"ingress": [
    ///     {"from_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
    ///     {"from_port": 22, "cidr_blocks": ["10.0.0.0/8"]},
    /// ]}))]);
    /// let blocks = set[0].get("ingress").list().known().unwrap_or_default();
    /// let ssh = blocks.iter().find(|block| block.get("from_port").integer().known() == Some(22));
    /// assert_eq!(ssh.map(|block| block.path().as_str()), Some("ingress[1]"));
    /// ```
    pub fn list(&self) -> Attr<'a, Vec<Field<'a>>> {
        match self.attr() {
            Attr::Known(Value::Array(items)) => Attr::Known(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| Field::new(self.path.index(index), Some(item)))
                    .collect(),
            ),
            Attr::Known(other) => Attr::Unknown(self.mismatch(other, "a list")),
            Attr::Absent => Attr::Absent,
            Attr::Unknown(unknown) => Attr::Unknown(unknown),
        }
    }

    /// An unknown at this field for `reason`: for values a rule cannot interpret, so that
    /// it reports a note at the right place instead of guessing.
    ///
    /// ```
    /// use palisade_policy::cloud::ports::PortRange;
    /// use palisade_policy::testing::resources;
    /// use palisade_policy::Evaluation;
    /// use serde_json::json;
    ///
    /// let set = resources(&[("alicloud_security_group_rule", "r", json!({"port_range": "22-22"}))]);
    /// let field = set[0].get("port_range");
    /// # const RULE: palisade_policy::Rule = palisade_policy::Rule { id: "open-ssh", title: "",
    /// #     severity: palisade_policy::Severity::High, description: "", remediation: "",
    /// #     documentation: "", resource_types: &[] };
    /// let mut evaluation = Evaluation::default();
    /// if let Some(text) = field.text().known() {
    ///     if let Err(error) = PortRange::alibaba(&text) {
    ///         evaluation.undecided(&RULE, &set[0], &field.unknown(error.to_string()));
    ///     }
    /// }
    /// assert_eq!(evaluation.notes[0].attribute, "port_range");
    /// assert_eq!(
    ///     evaluation.notes[0].message,
    ///     r#"could not decide: invalid port range "22-22": not a number"#
    /// );
    /// ```
    pub fn unknown(&self, reason: impl Into<String>) -> Unknown<'a> {
        Unknown {
            path: self.path.clone(),
            reason: Cow::Owned(reason.into()),
            refers: None,
        }
    }

    fn unknown_from(&self, marker: UnknownMarker<'a>) -> Unknown<'a> {
        Unknown {
            path: self.unknown_at.clone().unwrap_or_else(|| self.path.clone()),
            reason: Cow::Borrowed(marker.reason),
            refers: marker.refers,
        }
    }

    fn mismatch(&self, value: &Value, expected: &str) -> Unknown<'a> {
        let found = match value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        };
        let shown = value.to_string();
        let shown = if shown.len() > 40 {
            format!("{}...", shown.chars().take(37).collect::<String>())
        } else {
            shown
        };
        self.unknown(format!(
            "`{}` is {found} ({shown}), expected {expected}",
            self.path
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn root(value: &Value) -> Field<'_> {
        Field::new(AttrPath::root(), Some(value))
    }

    #[test]
    fn tells_absent_null_unknown_and_known_apart() {
        let attrs = json!({
            "set": "x",
            "null": null,
            "ref": {"$unknown": {"reason": "refers to a resource", "refers": "aws_s3_bucket.b"}},
            "var": {"$unknown": {"reason": "var.x has no value", "refers": null}},
        });
        let field = root(&attrs);
        assert_eq!(field.get("set").attr(), Attr::Known(&json!("x")));
        assert!(field.get("null").attr().is_absent());
        assert!(field.get("missing").attr().is_absent());
        let Attr::Unknown(unknown) = field.get("ref").attr() else {
            panic!("expected unknown");
        };
        assert_eq!(unknown.refers, Some("aws_s3_bucket.b"));
        assert_eq!(unknown.reason, "refers to a resource");
        assert_eq!(unknown.path.as_str(), "ref");
        let Attr::Unknown(unknown) = field.get("var").attr() else {
            panic!("expected unknown");
        };
        assert_eq!(unknown.refers, None);
    }

    #[test]
    fn below_an_unknown_everything_is_unknown() {
        let attrs = json!({"ingress": {"$unknown": {"reason": "dynamic block", "refers": null}}});
        let cidr = root(&attrs).at("ingress[0].cidr_blocks[1]");
        assert_eq!(cidr.path().as_str(), "ingress[0].cidr_blocks[1]");
        let Attr::Unknown(unknown) = cidr.text() else {
            panic!("expected unknown");
        };
        assert_eq!(unknown.reason, "dynamic block");
        // The note goes where the unknown value is, not where it was looked for.
        assert_eq!(unknown.path.as_str(), "ingress");
    }

    #[test]
    fn typed_readers_convert_like_terraform() {
        let attrs = json!({"n": 6, "s": "22", "b": "True", "t": true, "o": {}, "f": 1.5});
        let field = root(&attrs);
        assert_eq!(field.get("n").text().known().as_deref(), Some("6"));
        assert_eq!(field.get("t").text().known().as_deref(), Some("true"));
        assert!(field.get("o").text().is_unknown());
        assert_eq!(field.get("s").integer().known(), Some(22));
        assert_eq!(field.get("n").integer().known(), Some(6));
        assert!(field.get("f").integer().is_unknown());
        assert_eq!(field.get("b").bool().known(), Some(true));
        assert!(field.get("s").bool().is_unknown());
        assert!(field.get("missing").bool().is_absent());
    }

    #[test]
    fn lists_carry_their_element_paths() {
        let attrs = json!({"ingress": [{"a": 1}, {"a": 2}], "one": {"a": 1}});
        let items = root(&attrs).get("ingress").list().known().unwrap();
        let paths: Vec<_> = items
            .iter()
            .map(|f| f.get("a").path().to_string())
            .collect();
        assert_eq!(paths, ["ingress[0].a", "ingress[1].a"]);
        assert!(root(&attrs).get("one").list().is_unknown());
        assert!(root(&attrs).get("none").list().is_absent());
    }

    #[test]
    fn decide_and_with_default_separate_unknowns() {
        let attrs = json!({"p": "drop", "u": {"$unknown": {"reason": "r", "refers": null}}});
        let field = root(&attrs);
        assert_eq!(
            field.get("p").text().with_default("accept".into()).unwrap(),
            "drop"
        );
        assert_eq!(
            field.get("x").text().with_default("accept".into()).unwrap(),
            "accept"
        );
        assert!(field.get("u").text().decide().is_err());
        assert_eq!(field.get("x").integer().decide(), Ok(None));
    }

    #[test]
    fn malformed_relative_paths_are_absent() {
        let attrs = json!({"a": 1});
        assert!(root(&attrs).at("a..b").attr().is_absent());
        assert_eq!(root(&attrs).at("a").integer().known(), Some(1));
    }

    #[test]
    fn mismatches_explain_themselves() {
        let attrs = json!({"port": ["a"]});
        let Attr::Unknown(unknown) = root(&attrs).get("port").integer() else {
            panic!("expected unknown");
        };
        assert_eq!(
            unknown.reason,
            "`port` is a list ([\"a\"]), expected a whole number"
        );
    }
}
