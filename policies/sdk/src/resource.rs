//! The resources a policy evaluates, decoded once from the host's JSON.
//!
//! A [`Resource`] is where every read starts: [`Resource::get`] and [`Resource::at`] give
//! a [`Field`], whose typed readers say whether the value is absent, unknown or known.
//! Rules that link resources (a bucket and its ACL, a security group and its rules) read
//! the linking attribute with [`Field::target`] and find the other side with
//! [`Resource::is_target`].

use serde_json::{Map, Value};

use crate::attr::{Attr, Field};
use crate::attributes::{Attributes, Refused};
use crate::path::{AttrPath, Segment};

pub use palisade_contract::{Format, INPUTS_KEY, Input, InputKind, PARAMETER_TYPE, Setting};

/// A resource's attributes were not a JSON object; the host broke the contract.
///
/// Only [`Resource::from_json`] returns it; the exported `evaluate` turns it into an
/// error of the policy, so rules never see a resource that failed to decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The attribute text is not JSON.
    #[error("resource {address}: attributes are not valid JSON: {message}")]
    Json {
        /// The resource's address.
        address: String,
        /// What the JSON parser said.
        message: String,
    },
    /// The attribute text is JSON but not an object.
    #[error("resource {address}: attributes are not a JSON object")]
    NotAnObject {
        /// The resource's address.
        address: String,
    },
}

/// One resource of a document set, with its attributes parsed.
///
/// Attributes are what the template says after the runner evaluated it: Terraform
/// nested blocks are lists of objects (`ingress[0].from_port`), ROS resources carry their
/// `Properties`, and values the runner could not determine are unknown (see
/// [`attr`](crate::attr)). Read them through [`get`](Resource::get) and
/// [`at`](Resource::at) rather than [`attributes`](Resource::attributes), so that unknown
/// values cannot pass for known ones.
///
/// ```
/// use palisade_policy::{Format, Resource};
/// use serde_json::json;
///
/// let rule = Resource::new(
///     0,
///     "alicloud_security_group_rule",
///     "alicloud_security_group_rule.ssh",
///     Format::Terraform,
///     json!({"type": "ingress", "cidr_ip": "0.0.0.0/0"}),
/// );
/// assert!(rule.is("alicloud_security_group_rule"));
/// assert_eq!(rule.get("cidr_ip").text().known().as_deref(), Some("0.0.0.0/0"));
/// assert!(rule.get("ipv6_cidr_ip").attr().is_absent());
/// ```
#[derive(Debug, Clone)]
pub struct Resource {
    /// Position in the document set; findings refer to the resource by it.
    pub index: u32,
    /// Type as the format names it: `aws_s3_bucket`, `ALIYUN::ECS::Disk`.
    pub resource_type: String,
    /// Terraform address (`module.net.aws_security_group.web[0]`) or ROS logical id.
    pub address: String,
    /// The loader that produced it.
    pub format: Format,
    /// The attributes (ROS: the `Properties`), unknowns encoded per the contract, and
    /// the host's [`INPUTS_KEY`] object taken out of them; each value is decoded when a
    /// rule first reads it.
    attributes: Attributes,
}

/// Resources are equal when they say the same: the same header, attributes and inputs,
/// however much of them was read.
impl PartialEq for Resource {
    fn eq(&self, other: &Self) -> bool {
        (self.index, &self.resource_type, &self.address, self.format)
            == (
                other.index,
                &other.resource_type,
                &other.address,
                other.format,
            )
            && self.attributes() == other.attributes()
            && self.attributes.inputs() == other.attributes.inputs()
    }
}

impl Resource {
    /// A resource from already parsed attributes (what tests build; see also
    /// [`testing::resources`](crate::testing::resources), which numbers and names them).
    pub fn new(
        index: u32,
        resource_type: impl Into<String>,
        address: impl Into<String>,
        format: Format,
        attributes: Value,
    ) -> Self {
        Self {
            index,
            resource_type: resource_type.into(),
            address: address.into(),
            format,
            attributes: Attributes::Built {
                attributes,
                inputs: Map::new(),
            },
        }
    }

    /// A resource from the attribute JSON text the host sends; [`export!`](crate::export)
    /// calls it for every resource before the policy runs.
    ///
    /// ```
    /// use palisade_policy::{DecodeError, Format, Resource};
    ///
    /// let disk = Resource::from_json(0, "alicloud_disk", "alicloud_disk.d", Format::Terraform,
    ///     r#"{"encrypted": true}"#).unwrap();
    /// assert_eq!(disk.get("encrypted").bool().known(), Some(true));
    /// assert!(matches!(
    ///     Resource::from_json(0, "alicloud_disk", "alicloud_disk.d", Format::Terraform, "[]"),
    ///     Err(DecodeError::NotAnObject { .. })
    /// ));
    /// ```
    pub fn from_json(
        index: u32,
        resource_type: impl Into<String>,
        address: impl Into<String>,
        format: Format,
        attributes: &str,
    ) -> Result<Self, DecodeError> {
        Self::from_text(index, resource_type, address, format, attributes.to_owned())
    }

    /// [`from_json`](Resource::from_json) for a text the caller owns, which is kept
    /// rather than copied.
    pub(crate) fn from_text(
        index: u32,
        resource_type: impl Into<String>,
        address: impl Into<String>,
        format: Format,
        attributes: String,
    ) -> Result<Self, DecodeError> {
        let address = address.into();
        let attributes = Attributes::read(attributes).map_err(|refused| match refused {
            Refused::Json(error) => DecodeError::Json {
                address: address.clone(),
                message: error.to_string(),
            },
            Refused::NotAnObject => DecodeError::NotAnObject {
                address: address.clone(),
            },
        })?;
        Ok(Self {
            index,
            resource_type: resource_type.into(),
            address,
            format,
            attributes,
        })
    }

    /// Every attribute, as one tree (ROS: the `Properties`), unknowns encoded per the
    /// contract. Prefer [`get`](Resource::get) and [`at`](Resource::at), which decode
    /// unknowns and build only what they read.
    pub fn attributes(&self) -> &Value {
        self.attributes.whole()
    }

    /// The variables and parameters the value at `path` (or at its closest ancestor that
    /// says) was computed from, with how each got its value; empty for a value written
    /// where it is used.
    ///
    /// ```
    /// use palisade_policy::{Format, InputKind, Resource, Setting};
    ///
    /// let account = Resource::from_json(0, "alicloud_db_account", "alicloud_db_account.a",
    ///     Format::Terraform,
    ///     r#"{"account_password": "x",
    ///         "$inputs": {"account_password": [{"variable": "pw", "set": "environment"}]}}"#,
    /// ).unwrap();
    /// let inputs = account.inputs("account_password");
    /// assert_eq!((inputs[0].kind, inputs[0].set), (InputKind::Variable, Setting::Environment));
    /// assert!(account.get("$inputs").attr().is_absent());
    /// ```
    pub fn inputs(&self, path: &str) -> Vec<Input> {
        let mut at = path;
        loop {
            if let Some(Value::Array(list)) = self.attributes.inputs().get(at) {
                return list.iter().filter_map(Input::from_json).collect();
            }
            match AttrPath::parent(at) {
                Some(parent) if !parent.is_empty() => at = parent,
                _ => return Vec::new(),
            }
        }
    }

    /// The whole attribute tree, at the empty path (the resource header): for rules that
    /// walk a path given at run time, or report on the resource itself.
    pub fn root(&self) -> Field<'_> {
        Field::new(AttrPath::root(), Some(self.attributes()))
    }

    /// The top-level attribute `key`; chain [`Field::get`] and [`Field::index`] to go
    /// deeper, each step extending the path findings will carry.
    pub fn get(&self, key: &str) -> Field<'_> {
        Field::new(AttrPath::root().key(key), self.attributes.get(key))
    }

    /// The attribute at `path` (`root_block_device[0].encrypted`), in [`AttrPath`]
    /// syntax. A path that does not parse gives an absent field, so prefer
    /// [`get`](Resource::get) chains for paths with unusual keys.
    ///
    /// ```
    /// use palisade_policy::testing::resources;
    /// use serde_json::json;
    ///
    /// let set = resources(&[("aws_instance", "web", json!({"root_block_device": [{"encrypted": false}]}))]);
    /// let encrypted = set[0].at("root_block_device[0].encrypted");
    /// assert_eq!(encrypted.path().as_str(), "root_block_device[0].encrypted");
    /// assert_eq!(encrypted.bool().known(), Some(false));
    /// ```
    pub fn at(&self, path: &str) -> Field<'_> {
        let Some(segments) = AttrPath::parse(path) else {
            return self.root().at(path);
        };
        let mut segments = segments.iter();
        let first = match segments.next() {
            Some(Segment::Key(key)) => self.get(key),
            _ => return self.root().at(path),
        };
        segments.fold(first, |field, segment| match segment {
            Segment::Key(key) => field.get(key),
            Segment::Index(index) => field.index(*index),
        })
    }

    /// Whether this resource is of type `resource_type`: how a rule picks its resources
    /// out of everything its policy was sent.
    pub fn is(&self, resource_type: &str) -> bool {
        self.resource_type == resource_type
    }

    /// Whether `target` designates this resource: by address (a reference, matching any
    /// `count`/`for_each` instance of it) or by the literal value of its attribute
    /// `name_attribute` (a bucket name, a security group id).
    ///
    /// ```
    /// use palisade_policy::testing::{reference, resources};
    /// use serde_json::json;
    ///
    /// let set = resources(&[
    ///     ("alicloud_oss_bucket", "logs", json!({"bucket": "team-logs"})),
    ///     ("alicloud_oss_bucket_acl", "by_ref", json!({"bucket": reference("alicloud_oss_bucket.logs")})),
    ///     ("alicloud_oss_bucket_acl", "by_name", json!({"bucket": "team-logs"})),
    /// ]);
    /// let buckets: Vec<&str> = set
    ///     .iter()
    ///     .filter(|r| r.is("alicloud_oss_bucket_acl"))
    ///     .filter_map(|acl| acl.get("bucket").target().known())
    ///     .filter_map(|target| {
    ///         set.iter().find(|r| r.is("alicloud_oss_bucket") && r.is_target(&target, "bucket"))
    ///     })
    ///     .map(|bucket| bucket.address.as_str())
    ///     .collect();
    /// assert_eq!(buckets, ["alicloud_oss_bucket.logs", "alicloud_oss_bucket.logs"]);
    /// ```
    pub fn is_target(&self, target: &Target<'_>, name_attribute: &str) -> bool {
        match target {
            Target::Address(address) => {
                self.address == *address
                    || self
                        .address
                        .strip_prefix(address)
                        .is_some_and(|rest| rest.starts_with('['))
            }
            Target::Name(name) => self
                .get(name_attribute)
                .text()
                .known()
                .is_some_and(|own| own == *name),
        }
    }
}

/// What an attribute that links to another resource designates, as read by
/// [`Field::target`] and matched by [`Resource::is_target`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target<'a> {
    /// A reference to a resource by address (`alicloud_oss_bucket.b`, ROS `MyBucket`).
    Address(&'a str),
    /// A literal name or id (`"my-bucket"`, `"sg-123"`).
    Name(&'a str),
}

impl<'a> Field<'a> {
    /// Reads a linking attribute (`bucket = alicloud_oss_bucket.b.id`,
    /// `SecurityGroupId: {"Ref": "Sg"}`): a reference whose value is unknown but whose
    /// target is named is [`Target::Address`], a literal string is [`Target::Name`].
    /// An unknown that names no resource (a variable) stays unknown.
    ///
    /// ```
    /// use palisade_policy::testing::{reference, resources, unknown};
    /// use palisade_policy::{Attr, Target};
    /// use serde_json::json;
    ///
    /// let set = resources(&[
    ///     ("ALIYUN::ECS::SecurityGroupIngress", "Ssh", json!({
    ///         "SecurityGroupId": reference("Sg"),
    ///         "SourceGroupId": "sg-bp1abc",
    ///     })),
    ///     ("ALIYUN::ECS::SecurityGroupIngress", "Web", json!({
    ///         "SecurityGroupId": unknown("parameter GroupId has no value"),
    ///     })),
    /// ]);
    /// assert_eq!(set[0].get("SecurityGroupId").target(), Attr::Known(Target::Address("Sg")));
    /// assert_eq!(set[0].get("SourceGroupId").target(), Attr::Known(Target::Name("sg-bp1abc")));
    /// assert!(set[1].get("SecurityGroupId").target().is_unknown());
    /// ```
    pub fn target(&self) -> Attr<'a, Target<'a>> {
        match self.attr() {
            Attr::Unknown(unknown) => match unknown.refers {
                Some(address) => Attr::Known(Target::Address(address)),
                None => Attr::Unknown(unknown),
            },
            Attr::Known(serde_json::Value::String(name)) => Attr::Known(Target::Name(name)),
            Attr::Known(other) => Attr::Unknown(self.unknown(format!(
                "`{}` is not a name or a reference: {other}",
                self.path()
            ))),
            Attr::Absent => Attr::Absent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_objects_and_rejects_the_rest() {
        let ok = Resource::from_json(3, "t", "t.a", Format::Plan, r#"{"a": 1}"#).unwrap();
        assert_eq!(ok.index, 3);
        assert_eq!(ok.get("a").integer().known(), Some(1));
        assert!(matches!(
            Resource::from_json(0, "t", "t.a", Format::Plan, "[1]"),
            Err(DecodeError::NotAnObject { .. })
        ));
        let err = Resource::from_json(0, "t", "t.a", Format::Plan, "{").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("resource t.a: attributes are not valid JSON")
        );
    }

    #[test]
    fn links_by_reference_or_by_name() {
        let bucket = Resource::new(
            0,
            "alicloud_oss_bucket",
            "alicloud_oss_bucket.b[0]",
            Format::Terraform,
            json!({"bucket": "logs"}),
        );
        assert!(bucket.is_target(&Target::Address("alicloud_oss_bucket.b"), "bucket"));
        assert!(bucket.is_target(&Target::Address("alicloud_oss_bucket.b[0]"), "bucket"));
        assert!(!bucket.is_target(&Target::Address("alicloud_oss_bucket.bb"), "bucket"));
        assert!(bucket.is_target(&Target::Name("logs"), "bucket"));
        assert!(!bucket.is_target(&Target::Name("logs2"), "bucket"));
    }

    #[test]
    fn reads_targets() {
        let acl = Resource::new(
            1,
            "aws_s3_bucket_acl",
            "aws_s3_bucket_acl.a",
            Format::Terraform,
            json!({
                "ref": {"$unknown": {"reason": "refers to aws_s3_bucket.b", "refers": "aws_s3_bucket.b"}},
                "var": {"$unknown": {"reason": "var.bucket", "refers": null}},
                "name": "logs",
                "num": 1,
            }),
        );
        assert_eq!(
            acl.get("ref").target(),
            Attr::Known(Target::Address("aws_s3_bucket.b"))
        );
        assert_eq!(acl.get("name").target(), Attr::Known(Target::Name("logs")));
        assert!(acl.get("var").target().is_unknown());
        assert!(acl.get("num").target().is_unknown());
        assert!(acl.get("none").target().is_absent());
    }
}
