//! How bad a finding is: the five levels of the WIT `severity` enum, ordered so that
//! `--fail-on` is a comparison, and named as users write them.

use std::fmt;

/// How bad a failing finding is; `--fail-on` compares against it.
///
/// Severities are ordered from [`Info`](Severity::Info) to
/// [`Critical`](Severity::Critical), so code can compare them:
///
/// ```
/// use palisade_contract::Severity;
///
/// assert!(Severity::Critical > Severity::High);
/// assert_eq!(Severity::Low.max(Severity::Medium), Severity::Medium);
/// assert_eq!(Severity::Medium.to_string(), "medium");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Severity {
    /// Worth knowing, never a risk by itself.
    Info,
    /// A weakness with little direct exposure.
    Low,
    /// A weakness an attacker needs more to exploit.
    Medium,
    /// A direct exposure.
    High,
    /// A direct exposure of everything (world-writable, all ports open).
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The name users write (`--fail-on high`, `severity = "high"`) and reports show.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The values `--fail-on` accepts: the names alone, without the variants' documentation
/// as per-value help.
#[cfg(feature = "clap")]
impl clap::ValueEnum for Severity {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_order_and_named_lowercase() {
        assert!(Severity::ALL.is_sorted());
        let names: Vec<String> = Severity::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["info", "low", "medium", "high", "critical"]);
        assert_eq!(format!("{:<8}|", Severity::High), "high    |");
    }
}
