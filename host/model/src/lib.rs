//! The resource model every loader produces and every later stage reads.
//!
//! A loader turns one document set (a Terraform module tree, one plan, one ROS template)
//! into [`Resource`]s with plain JSON attributes and a span for every attribute path, so
//! that the engine never sees syntax and the reporter never sees policies.
//!
//! It also holds what a run produces ([`Report`]: findings, problems, suppressions),
//! so that every pipeline stage and every report depends only on this module.

mod date;
mod finding;
mod fingerprint;
mod limits;
mod located;
mod origin;
mod output;
mod printable;
mod problem;
mod report;
mod rule;
mod secrets;
mod span;
mod spans;
mod suppression;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use date::{Date, DateError, TODAY_VARIABLE};
pub use finding::{BaselineEntry, Checked, Finding};
pub use fingerprint::{display_path, fingerprint, portable_path};
pub use limits::{Limit, Limits};
pub use located::Located;
pub use origin::{Location, Origin, Setting, Source};
pub use output::OutputFormat;
/// What policies must read the same way: template kinds, attribute paths, severities and
/// the encoding of values the loader could not determine.
pub use palisade_contract::{
    AttrPath, Format, PARAMETER_TYPE, Severity, UNKNOWN_KEY, UnknownMarker, is_secret_name,
    unknown, unknown_ref,
};
pub use printable::{printable, printable_lines};
pub use problem::{Place, Problem};
pub use report::{Report, Summary, Verdict};
pub use rule::{DeclaredIds, IdTaken, Rule, RuleRun};
pub use secrets::secret_paths;
pub use span::{LineIndex, Position, Span};
pub use spans::{FindSpans, Spans};
pub use suppression::{Suppressed, Suppression};

/// One resource as a policy sees it, plus what the reporter needs to point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Type as the format names it: `alicloud_oss_bucket`, `ALIYUN::OSS::Bucket`.
    pub resource_type: String,
    /// Terraform address (`module.net.aws_security_group.web[0]`) or ROS logical id.
    pub address: String,
    /// File that defines the resource.
    pub file: PathBuf,
    /// The resource header: `resource "t" "n" {` or the ROS logical id key.
    pub span: Span,
    /// Attributes as JSON; nested blocks are arrays of objects, unknowns per [`unknown`].
    pub attributes: serde_json::Value,
    /// Span of every attribute path that has one (`ingress[1].cidr_blocks[0]`), up to
    /// [`Resource::MAX_SPANS`].
    pub spans: Spans,
    /// Where the value of an attribute comes from when it is not written at the attribute
    /// (`var.acl from default at variables.tf:3:13`), by attribute path; under
    /// [`Resource::WHOLE`], what every finding on the resource depends on.
    pub origins: BTreeMap<String, Origin>,
    /// Attribute paths whose values are sensitive (a plan's `after_sensitive`): the
    /// built-in rules decide on them, but no other policy and no report ever sees them.
    pub sensitive: Vec<String>,
}

impl Resource {
    /// The most attribute positions a loader keeps for one resource: more only take
    /// memory and time (a list of a million numbers), and a value past them is found at
    /// its closest parent that has one.
    pub const MAX_SPANS: usize = 100_000;

    /// Where a finding on `attribute` should point: the attribute itself, else its
    /// closest ancestor that has a span, else the resource header.
    pub fn locate(&self, attribute: &str) -> Span {
        let mut path = attribute;
        loop {
            if let Some(span) = self.spans.get(path) {
                return *span;
            }
            match AttrPath::parent(path) {
                Some(parent) => path = parent,
                None => return self.span,
            }
        }
    }
}

impl Resource {
    /// The sensitive path that `path` is or lies inside, if any: the outermost, since map
    /// keys inside a sensitive value are part of it.
    pub fn sensitive_at(&self, path: &str) -> Option<&str> {
        AttrPath::prefixes(path)
            .find_map(|prefix| self.sensitive.iter().find(|s| *s == prefix))
            .map(String::as_str)
    }

    /// Whether `path` is, lies inside or holds a sensitive value: what a finding on it
    /// may show of its value.
    pub fn touches_sensitive(&self, path: &str) -> bool {
        self.sensitive_at(path).is_some()
            || self.sensitive.iter().any(|sensitive| {
                path.is_empty()
                    || sensitive
                        .strip_prefix(path)
                        .is_some_and(|rest| rest.starts_with(['.', '[']))
            })
    }

    /// The key of [`Resource::origins`] whose origin speaks for every finding on the
    /// resource: what its very existence depends on (a ROS `Condition` that cannot be
    /// decided). No attribute path is written this way.
    pub const WHOLE: &'static str = "*";

    /// The origin a finding on `attribute` carries: the attribute's own (see
    /// [`Resource::origin`]), then what the whole resource depends on.
    pub fn finding_origin(&self, attribute: &str) -> Option<Origin> {
        let own = self.origin(attribute).cloned();
        let Some(whole) = self.origins.get(Self::WHOLE) else {
            return own;
        };
        let mut origin = own.unwrap_or_default();
        origin.sources.extend(whole.sources.iter().cloned());
        Some(origin)
    }

    /// Where the value of `attribute` (or of its closest ancestor that says) comes from.
    /// The resource's own origin (its `count` or `for_each`) speaks only for findings on
    /// the resource itself: an attribute written literally does not come from there.
    pub fn origin(&self, attribute: &str) -> Option<&Origin> {
        let mut path = attribute;
        loop {
            if let Some(origin) = self.origins.get(path) {
                return Some(origin);
            }
            path = AttrPath::parent(path).filter(|parent| !parent.is_empty())?;
        }
    }
}

/// The resources of one unit of evaluation; cross-resource rules see all of it at once.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSet {
    pub format: Format,
    /// The directory (Terraform module) or file (plan, ROS template) it was loaded from.
    pub origin: PathBuf,
    pub resources: Vec<Resource>,
}

/// A problem with an input file, located so the user can fix it; a position at line 0
/// stands for the whole file.
pub type LoadError = Located;
