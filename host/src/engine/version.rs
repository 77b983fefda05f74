//! Which components this runner can run: the WIT version check.
//!
//! A component names the contract it was built against in its import and export names
//! (`palisade:policy/types@0.1.0`). It can run here when that version is semver-compatible
//! with the runner's and not newer: same major version (same minor while the major is 0,
//! same patch while both are 0), at most the runner's version. A newer component may rely
//! on additions this runner does not have.

/// The WIT package version this runner was compiled against (from `wit/policy.wit`).
pub const HOST_WIT_VERSION: &str = palisade_contract::WIT_VERSION;

const PACKAGE_PREFIX: &str = "palisade:policy/";

/// The outcome of inspecting a component's interface names.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum VersionCheck {
    /// The version the component was built against (it is compatible).
    Compatible(String),
    /// The first incompatible (or unversioned) version found.
    Incompatible(String),
    /// The component names no `palisade:policy` interface at all.
    NotAPolicy,
}

/// Checks the versions in `names` (a component's import and export names).
pub(super) fn check<'a>(names: impl IntoIterator<Item = &'a str>) -> VersionCheck {
    let host = parse(HOST_WIT_VERSION);
    let mut found = None;
    for name in names {
        let Some(interface) = name.strip_prefix(PACKAGE_PREFIX) else {
            continue;
        };
        let version = interface.split_once('@').map_or("", |(_, version)| version);
        let compatible =
            matches!((host, parse(version)), (Some(host), Some(ours)) if host.runs(ours));
        if !compatible {
            let shown = if version.is_empty() {
                "(no version)"
            } else {
                version
            };
            return VersionCheck::Incompatible(shown.to_owned());
        }
        found.get_or_insert_with(|| version.to_owned());
    }
    found.map_or(VersionCheck::NotAPolicy, VersionCheck::Compatible)
}

/// A release version `major.minor.patch`; pre-release and build suffixes are refused
/// (a pre-release contract promises nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
}

impl Version {
    /// Whether a runner of version `self` can run a component built against `component`.
    fn runs(self, component: Version) -> bool {
        let same_track = match (self.major, self.minor) {
            (0, 0) => component.major == 0 && component.minor == 0 && component.patch == self.patch,
            (0, minor) => component.major == 0 && component.minor == minor,
            (major, _) => component.major == major,
        };
        same_track && component <= self
    }
}

fn parse(text: &str) -> Option<Version> {
    let mut parts = text.split('.').map(|part| part.parse::<u64>().ok());
    let version = Version {
        major: parts.next()??,
        minor: parts.next()??,
        patch: parts.next()??,
    };
    parts.next().is_none().then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(host: &str, component: &str) -> bool {
        match (parse(host), parse(component)) {
            (Some(host), Some(component)) => host.runs(component),
            _ => false,
        }
    }

    #[test]
    fn older_patches_of_the_same_minor_run_on_a_zero_major() {
        assert!(runs("0.1.0", "0.1.0"));
        assert!(runs("0.1.3", "0.1.0"));
        assert!(
            !runs("0.1.0", "0.1.3"),
            "a newer component may need additions"
        );
        assert!(!runs("0.2.0", "0.1.0"));
        assert!(!runs("0.1.0", "1.1.0"));
    }

    #[test]
    fn older_minors_run_from_major_one_on() {
        assert!(runs("1.4.0", "1.0.2"));
        assert!(!runs("1.4.0", "1.5.0"));
        assert!(!runs("2.0.0", "1.9.9"));
        assert!(runs("0.0.3", "0.0.3"));
        assert!(!runs("0.0.3", "0.0.2"));
    }

    #[test]
    fn only_plain_release_versions_parse() {
        assert_eq!(
            parse("1.2.3"),
            Some(Version {
                major: 1,
                minor: 2,
                patch: 3
            })
        );
        for bad in ["", "1.2", "1.2.3.4", "1.2.3-rc.1", "1.x.3"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_the_version_from_interface_names() {
        let this = format!("palisade:policy/types@{HOST_WIT_VERSION}");
        let names = ["wasi:cli/stdout@0.2.6", this.as_str(), "evaluate"];
        assert_eq!(
            check(names),
            VersionCheck::Compatible(HOST_WIT_VERSION.to_owned())
        );
        assert_eq!(
            check(["palisade:policy/types@99.0.0"]),
            VersionCheck::Incompatible("99.0.0".into())
        );
        assert_eq!(
            check(["palisade:policy/types"]),
            VersionCheck::Incompatible("(no version)".into())
        );
        assert_eq!(
            check(["wasi:cli/stdout@0.2.6", "evaluate"]),
            VersionCheck::NotAPolicy
        );
    }
}
