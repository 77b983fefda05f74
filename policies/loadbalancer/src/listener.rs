//! What a listener's TLS setting says, whatever provider and format declare it: the
//! provider modules (`alicloud`, `ros`, `aws`) read their resources into a [`Verdict`],
//! which the rule turns into a finding, a note, or a link to a policy resource.

use palisade_policy::{Attr, AttrPath, Field, Target, Unknown};

use crate::tls::{self, Family, Old};

/// What the template says of one listener's TLS versions.
pub enum Verdict<'a> {
    /// Not a listener that terminates TLS (HTTP, TCP, ...), or TLS 1.2 or later only.
    Pass,
    /// It accepts deprecated versions: a finding at `at`.
    Weak {
        /// The attribute to change, or the resource itself for an insecure default.
        at: AttrPath,
        /// The listener protocol as users write it (`HTTPS`, `TLS`).
        protocol: &'static str,
        /// The deprecated versions accepted.
        old: Old,
        /// Why, in the template's words (`` `tls_cipher_policy` is "tls_cipher_policy_1_0" ``).
        setting: String,
    },
    /// It uses the policy resource that `target` designates, which is judged on its own.
    Linked {
        /// The attribute that refers to the policy.
        at: AttrPath,
        /// The address the reference names.
        target: &'a str,
    },
    /// Something the template leaves open keeps the rule from deciding: a note.
    Undecided(Unknown<'a>),
}

/// How a listener protocol is compared: exactly, as the Terraform providers validate it,
/// or without regard to case (ROS, and AWS whose provider ignores the case).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Only the provider's own spelling is valid.
    Exact,
    /// Any case.
    Ignored,
}

impl Case {
    fn matches(self, written: &str, known: &str) -> bool {
        match self {
            Case::Exact => written == known,
            Case::Ignored => written.eq_ignore_ascii_case(known),
        }
    }
}

/// The protocol of a listener, when it is one of `judged` (returned as spelled there):
/// `Ok(None)` for the other valid protocols `others` and for an omitted one, `Err` when
/// the value is unknown or not a valid protocol (a note: the provider rejects it).
pub fn protocol<'a>(
    field: &Field<'a>,
    judged: &[&'static str],
    others: &[&str],
    case: Case,
) -> Result<Option<&'static str>, Unknown<'a>> {
    let text = match field.text() {
        Attr::Known(text) => text,
        Attr::Absent => return Ok(None),
        Attr::Unknown(unknown) => return Err(unknown),
    };
    let written = text.trim();
    if let Some(&protocol) = judged.iter().find(|known| case.matches(written, known)) {
        return Ok(Some(protocol));
    }
    if others.iter().any(|known| case.matches(written, known)) {
        return Ok(None);
    }
    let valid: Vec<&str> = judged
        .iter()
        .copied()
        .chain(others.iter().copied())
        .collect();
    let case_note = match case {
        Case::Exact => " (the values are case-sensitive)",
        Case::Ignored => "",
    };
    Err(field.unknown(format!(
        "`{}` is {written:?}, which is not one of {}{case_note}",
        field.path(),
        quoted(&valid)
    )))
}

/// How one kind of Alibaba Cloud listener is written in one format: the provider modules
/// (`alicloud`, `ros`) describe each of theirs with one, and [`judge`] reads them all the
/// same way.
pub struct Shape {
    /// The listener's resource type.
    pub resource_type: &'static str,
    /// The protocol attribute (`protocol`, `ListenerProtocol`).
    pub protocol: &'static str,
    /// The one protocol that terminates TLS, as the format spells it (`https`, `TCPSSL`).
    pub tls: &'static str,
    /// The other valid protocols, which are not judged.
    pub others: &'static [&'static str],
    /// The TLS protocol as messages name it (`HTTPS`).
    pub label: &'static str,
    /// How the format compares protocol and policy names.
    pub case: Case,
    /// The policy attribute (`tls_cipher_policy`, `SecurityPolicyId`).
    pub policy: &'static str,
    /// Which load balancer's system policies the policy attribute names.
    pub family: Family,
    /// What an omitted policy means.
    pub omitted: Omitted,
    /// What a name that is no system policy stands for.
    pub outside: &'static str,
}

/// What a listener without a policy attribute accepts.
pub enum Omitted {
    /// The documented default accepts TLS 1.0 and 1.1; the text says so in the
    /// template's words.
    Weak(&'static str),
    /// No default is documented: a note, with this text.
    Undecided(&'static str),
}

/// The verdict on the listener `resource` of the kind `shape` describes.
pub fn judge<'a>(shape: &Shape, resource: &'a palisade_policy::Resource) -> Verdict<'a> {
    let judged = protocol(
        &resource.get(shape.protocol),
        &[shape.tls],
        shape.others,
        shape.case,
    );
    match judged {
        Ok(Some(_)) => {}
        Ok(None) => return Verdict::Pass,
        Err(unknown) => return Verdict::Undecided(unknown),
    }
    let policy = resource.get(shape.policy);
    if policy.attr().is_absent() {
        return match shape.omitted {
            Omitted::Weak(setting) => Verdict::Weak {
                at: policy.path().clone(),
                protocol: shape.label,
                old: Old::BOTH,
                setting: setting.to_owned(),
            },
            Omitted::Undecided(reason) => Verdict::Undecided(policy.unknown(reason)),
        };
    }
    alibaba_policy(
        &policy,
        shape.label,
        shape.family,
        shape.case,
        shape.outside,
    )
}

/// An Alibaba Cloud listener's policy attribute (`tls_cipher_policy`,
/// `security_policy_id`, ROS `TLSCipherPolicy`, `SecurityPolicyId`) when it is set: a
/// system policy decided here, or a reference to a policy resource decided there.
/// `outside` says what a name that is no system policy stands for.
fn alibaba_policy<'a>(
    field: &Field<'a>,
    protocol: &'static str,
    family: Family,
    case: Case,
    outside: &str,
) -> Verdict<'a> {
    let name = match field.target() {
        Attr::Known(Target::Name(name)) => name,
        Attr::Known(Target::Address(target)) => {
            return Verdict::Linked {
                at: field.path().clone(),
                target,
            };
        }
        Attr::Absent => return Verdict::Pass,
        Attr::Unknown(unknown) => return Verdict::Undecided(unknown),
    };
    match tls::system_policy(name, family, case == Case::Ignored) {
        Some(old) if old.any() => Verdict::Weak {
            at: field.path().clone(),
            protocol,
            old,
            setting: format!("`{}` is {:?}", field.path(), name.trim()),
        },
        Some(_) => Verdict::Pass,
        None => {
            Verdict::Undecided(field.unknown(format!("`{}` is {name:?}, {outside}", field.path())))
        }
    }
}

/// `values` quoted and joined for a message: `"http", "https"`.
pub fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|value| format!("{value:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
