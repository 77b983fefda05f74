//! A finding's identity across runs, for SARIF viewers that track alerts and for baselines.
//!
//! The identity is what the finding is about: the rule, the file, the resource and the
//! attribute. It leaves out where the finding sits in the file, so that adding or moving
//! lines above a resource does not turn a known finding into a new one, and the message,
//! which may change wording between releases.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::{Finding, Source};

/// The identity of `finding` as a hex SHA-256: equal for the same rule, file, resource and
/// attribute, whatever lines the finding moved to.
///
/// The file is named relative to the current directory, so runs from the same directory
/// (a repository's root, in CI) agree on every machine.
pub fn fingerprint(finding: &Finding) -> String {
    let file = portable_path(&finding.file);
    let mut hasher = Sha256::new();
    for field in [&finding.rule, &file, &finding.address, &finding.attribute] {
        // Length-prefixed, so that moving text from one field to the next changes the hash.
        hasher.update((field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    // A module's finding reached from two root modules is two findings.
    let roots = finding.origin.iter().flat_map(|o| &o.sources);
    for source in roots {
        if let Source::Root(root) = source {
            hasher.update((root.len() as u64).to_le_bytes());
            hasher.update(root.as_bytes());
        }
    }
    hex::encode(hasher.finalize())
}

/// `path` as [`display_path`] names it, with `/` between components on every platform:
/// the spelling that fingerprints hash and that SARIF's URIs encode.
pub fn portable_path(path: &Path) -> String {
    let shown = display_path(path);
    if std::path::MAIN_SEPARATOR == '/' {
        shown
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// `path` as users should read it: relative to the current directory when under it,
/// without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let relative = working_directory()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    relative.to_string_lossy().into_owned()
}

/// The current directory, read once: Palisade never changes it, and a report asks for
/// it for each of thousands of findings.
fn working_directory() -> Option<&'static Path> {
    static WORKING_DIRECTORY: OnceLock<Option<PathBuf>> = OnceLock::new();
    WORKING_DIRECTORY
        .get_or_init(|| std::env::current_dir().ok())
        .as_deref()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::{Format, Position, Severity, Span};

    fn finding(attribute: &str, line: u32) -> Finding {
        Finding {
            rule: "open-ssh".to_owned(),
            severity: Severity::High,
            policy: "builtin:open-ssh".to_owned(),
            address: "alicloud_security_group_rule.ssh".to_owned(),
            resource_type: "alicloud_security_group_rule".to_owned(),
            format: Format::Terraform,
            file: PathBuf::from("net/main.tf"),
            span: Span::new(Position::new(line, 3), Position::new(line, 24)),
            resource_span: Span::default(),
            attribute: attribute.to_owned(),
            message: "SSH (TCP 22) open to the internet".to_owned(),
            remediation: "Restrict the source.".into(),
            origin: None,
            expired_suppression: None,
            quoted: true,
        }
    }

    #[test]
    fn moving_lines_keeps_the_fingerprint() {
        let before = finding("cidr_ip", 5);
        let after = Finding {
            message: "reworded".to_owned(),
            severity: Severity::Critical,
            ..finding("cidr_ip", 42)
        };
        assert_eq!(fingerprint(&before), fingerprint(&after));
    }

    #[test]
    fn the_root_module_changes_the_fingerprint_and_other_origins_do_not() {
        let base = finding("cidr_ip", 5);
        let from = |source: crate::Source| Finding {
            origin: Some(crate::Origin::of(source)),
            ..base.clone()
        };
        let dev = from(crate::Source::Root("envs/dev".into()));
        let prod = from(crate::Source::Root("envs/prod".into()));
        assert_ne!(fingerprint(&dev), fingerprint(&prod));
        assert_ne!(fingerprint(&dev), fingerprint(&base));
        let branch = from(crate::Source::Branch("when IsProd is true".into()));
        assert_eq!(fingerprint(&branch), fingerprint(&base));
    }

    #[test]
    fn each_identity_field_changes_the_fingerprint() {
        let base = finding("cidr_ip", 5);
        let others = [
            finding("port_range", 5),
            Finding {
                rule: "public-bucket".to_owned(),
                ..base.clone()
            },
            Finding {
                file: PathBuf::from("other/main.tf"),
                ..base.clone()
            },
            Finding {
                address: "alicloud_security_group_rule.rdp".to_owned(),
                ..base.clone()
            },
        ];
        for other in &others {
            assert_ne!(fingerprint(&base), fingerprint(other), "{other:?}");
        }
    }

    #[test]
    fn text_moved_between_fields_changes_the_fingerprint() {
        let base = finding("a", 1);
        let shifted = Finding {
            address: format!("{}a", base.address),
            attribute: String::new(),
            ..base.clone()
        };
        assert_ne!(fingerprint(&base), fingerprint(&shifted));
    }

    #[test]
    fn the_fingerprint_is_a_sha256_in_hex() {
        let print = fingerprint(&finding("cidr_ip", 5));
        assert_eq!(print.len(), 64);
        assert!(print.bytes().all(|b| b.is_ascii_hexdigit()), "{print}");
    }
}
