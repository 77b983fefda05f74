//! Terraform's module `version` constraints (`~> 2.4`, `>= 1.0, < 2.0.0`, `!= 1.3.1`),
//! and the newest registry version that meets them.

use semver::Version;

/// A parsed `version` argument: every condition must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraints {
    conditions: Vec<(Operator, Version, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    /// `~>`: the rightmost part written may grow, the ones before it may not.
    Pessimistic,
}

impl Constraints {
    /// No constraint: any version that is not a pre-release.
    pub fn any() -> Self {
        Self {
            conditions: Vec::new(),
        }
    }

    /// Reads a `version` argument; `Err` says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut conditions = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let (operator, rest) = [
                ("~>", Operator::Pessimistic),
                (">=", Operator::GreaterOrEqual),
                ("<=", Operator::LessOrEqual),
                ("!=", Operator::NotEqual),
                (">", Operator::Greater),
                ("<", Operator::Less),
                ("=", Operator::Equal),
            ]
            .into_iter()
            .find_map(|(symbol, operator)| part.strip_prefix(symbol).map(|rest| (operator, rest)))
            .unwrap_or((Operator::Equal, part));
            let (version, written) = version(rest.trim())
                .ok_or_else(|| format!("`{part}` is not a version constraint"))?;
            conditions.push((operator, version, written));
        }
        Ok(Self { conditions })
    }

    /// Whether `candidate` meets every condition. A pre-release is only chosen when a
    /// condition names it exactly, as Terraform does.
    pub fn allows(&self, candidate: &Version) -> bool {
        if !candidate.pre.is_empty()
            && !self
                .conditions
                .iter()
                .any(|(op, v, _)| *op == Operator::Equal && v == candidate)
        {
            return false;
        }
        self.conditions
            .iter()
            .all(|(operator, version, written)| match operator {
                Operator::Equal => candidate == version,
                Operator::NotEqual => candidate != version,
                Operator::Greater => candidate > version,
                Operator::GreaterOrEqual => candidate >= version,
                Operator::Less => candidate < version,
                Operator::LessOrEqual => candidate <= version,
                Operator::Pessimistic => {
                    *candidate >= *version && {
                        let upper = match written {
                            1 | 2 => Version::new(version.major + 1, 0, 0),
                            _ => Version::new(version.major, version.minor + 1, 0),
                        };
                        *candidate < upper
                    }
                }
            })
    }

    /// The newest of `versions` that meets the constraints.
    pub fn newest<'v>(&self, versions: impl IntoIterator<Item = &'v str>) -> Option<&'v str> {
        versions
            .into_iter()
            .filter_map(|text| Some((version(text)?.0, text)))
            .filter(|(version, _)| self.allows(version))
            .max_by(|(a, _), (b, _)| a.cmp(b))
            .map(|(_, text)| text)
    }
}

/// `1`, `1.2`, `v1.2.3`, `1.2.3-rc.1` → a version, and how many of its three parts were
/// written (which `~>` needs).
fn version(text: &str) -> Option<(Version, usize)> {
    let text = text.strip_prefix('v').unwrap_or(text);
    let core_end = text.find(['-', '+']).unwrap_or(text.len());
    let written = text[..core_end].split('.').count();
    let padded = match written {
        1 => format!("{}.0.0{}", &text[..core_end], &text[core_end..]),
        2 => format!("{}.0{}", &text[..core_end], &text[core_end..]),
        _ => text.to_owned(),
    };
    Some((Version::parse(&padded).ok()?, written))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newest(constraint: &str, versions: &[&'static str]) -> Option<&'static str> {
        Constraints::parse(constraint)
            .unwrap()
            .newest(versions.iter().copied())
    }

    const VERSIONS: [&str; 7] = [
        "1.0.0",
        "1.2.0",
        "1.2.5",
        "1.3.0",
        "2.0.0",
        "2.1.0-beta",
        "v2.0.1",
    ];

    #[test]
    fn operators_select_as_terraform_does() {
        assert_eq!(newest("~> 1.2", &VERSIONS), Some("1.3.0"));
        assert_eq!(newest("~> 1.2.0", &VERSIONS), Some("1.2.5"));
        assert_eq!(newest("~> 1", &VERSIONS), Some("1.3.0"));
        assert_eq!(newest(">= 1.0, < 2.0.0", &VERSIONS), Some("1.3.0"));
        assert_eq!(newest("1.2.0", &VERSIONS), Some("1.2.0"));
        assert_eq!(newest("= 1.2.0", &VERSIONS), Some("1.2.0"));
        assert_eq!(newest("!= 2.0.1", &VERSIONS), Some("2.0.0"));
        assert_eq!(newest("> 5", &VERSIONS), None);
        assert_eq!(Constraints::any().newest(VERSIONS), Some("v2.0.1"));
    }

    #[test]
    fn prereleases_only_when_named() {
        assert_eq!(newest(">= 2.1.0-beta", &VERSIONS), None);
        assert_eq!(newest("2.1.0-beta", &VERSIONS), Some("2.1.0-beta"));
    }

    #[test]
    fn nonsense_is_refused() {
        assert!(Constraints::parse("latest").is_err());
        assert!(Constraints::parse(">= 1.0,").is_err());
    }
}
