//! A NAS access rule (an entry of a permission group): the sources it admits and the
//! access it grants, as Terraform (`alicloud_nas_access_rule`) and ROS
//! (`ALIYUN::NAS::AccessRule`) write them.
//!
//! A rule admits one IPv4 source (`source_cidr_ip`) or one IPv6 source
//! (`ipv6_source_cidr_ip`); a block of prefix length 0 is every address of its family.
//! Access rules only allow (there is no deny), so an open rule is not narrowed by the
//! others of its group.

use palisade_policy::cloud::cidr::Cidr;
use palisade_policy::{Attr, Field, Resource, Unknown};

/// `alicloud_nas_access_rule`: one rule of a NAS permission group.
pub const ACCESS_RULE: &str = "alicloud_nas_access_rule";
/// `ALIYUN::NAS::AccessRule`: one rule of a NAS permission group.
pub const ROS_ACCESS_RULE: &str = "ALIYUN::NAS::AccessRule";

/// The attribute names of one format: IPv4 source, IPv6 source, read/write access.
struct Names {
    sources: [&'static str; 2],
    access: &'static str,
}

const TERRAFORM: Names = Names {
    sources: ["source_cidr_ip", "ipv6_source_cidr_ip"],
    access: "rw_access_type",
};

const ROS: Names = Names {
    sources: ["SourceCidrIp", "Ipv6SourceCidrIp"],
    access: "RWAccessType",
};

/// What one access rule admits.
pub struct Sources<'a> {
    /// The sources open to every address, in attribute order, with their text.
    pub open: Vec<(Field<'a>, String)>,
    /// The first source that could not be read.
    pub unknown: Option<Unknown<'a>>,
    /// The access it grants, for messages ("read-only access (`rw_access_type = "RDONLY"`)").
    pub access: String,
}

/// Reads the sources and access of `rule`, one of [`ACCESS_RULE`] and [`ROS_ACCESS_RULE`].
pub fn read(rule: &Resource) -> Sources<'_> {
    let names = if rule.is(ROS_ACCESS_RULE) {
        &ROS
    } else {
        &TERRAFORM
    };
    let mut sources = Sources {
        open: Vec::new(),
        unknown: None,
        access: access(&rule.get(names.access)),
    };
    for name in names.sources {
        let field = rule.get(name);
        match world_open(&field) {
            Ok(Some(cidr)) => sources.open.push((field, cidr)),
            Ok(None) => {}
            Err(unknown) => {
                sources.unknown.get_or_insert(unknown);
            }
        }
    }
    sources
}

/// The source text when it is a block of prefix length 0; an absent or empty source
/// admits nothing, and one that is no CIDR block is unknown (the provider rejects it).
fn world_open<'a>(source: &Field<'a>) -> Result<Option<String>, Unknown<'a>> {
    match source.text() {
        Attr::Known(text) if text.trim().is_empty() => Ok(None),
        Attr::Known(text) => match Cidr::parse(&text) {
            Some(cidr) => Ok(cidr.is_world().then(|| text.trim().to_owned())),
            None => Err(source.unknown(format!("`{}` is not a CIDR block", text.trim()))),
        },
        Attr::Absent => Ok(None),
        Attr::Unknown(unknown) => Err(unknown),
    }
}

/// The access granted, in words: `RDWR` (the NAS default) is read-write, `RDONLY`
/// read-only. Both fail the rule; the words only tell how bad it is.
fn access(field: &Field<'_>) -> String {
    let name = field.path();
    match field.text() {
        Attr::Known(value) if value.trim().eq_ignore_ascii_case("RDONLY") => {
            format!("read-only access (`{name} = \"{}\"`)", value.trim())
        }
        Attr::Known(value) => format!("read-write access (`{name} = \"{}\"`)", value.trim()),
        Attr::Absent => format!("read-write access (`{name}` is not set and defaults to RDWR)"),
        Attr::Unknown(_) => format!("read or read-write access (`{name}` is unknown)"),
    }
}
