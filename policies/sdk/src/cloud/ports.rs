//! Port ranges as security group rules write them.
//!
//! Alibaba writes a range as the string `"from/to"` (`"22/22"`, `"1/65535"`), with
//! `"-1/-1"` meaning all ports (the only valid value for `all`, `icmp` and `gre`). AWS
//! writes `from_port` and `to_port` numbers (strings convert), with `-1` meaning all.

use std::fmt;

/// An inclusive range of ports, whichever way the template wrote it.
///
/// ```
/// use palisade_policy::cloud::ports::PortRange;
///
/// let web = PortRange::alibaba("80/443").unwrap();
/// assert!(web.contains(80) && !web.contains(22));
/// assert!(PortRange::ALL.covers(&web));
/// assert_eq!(web.to_string(), "ports 80-443");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PortRange {
    /// First port of the range.
    pub from: u16,
    /// Last port of the range (inclusive).
    pub to: u16,
}

/// A port range that does not parse; the message names the text and what is wrong, so a
/// rule can pass it to [`Field::unknown`](crate::Field::unknown) as the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid port range {text:?}: {problem}")]
pub struct PortRangeError {
    /// The range as written.
    pub text: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl PortRange {
    /// Every port: what `-1/-1` (Alibaba) and `-1` (AWS) mean.
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    /// The single port `port`: to compare a range with a well-known port.
    pub const fn single(port: u16) -> Self {
        Self {
            from: port,
            to: port,
        }
    }

    /// Parses an Alibaba `port_range` / `PortRange` string: `"from/to"`, `"-1/-1"` for
    /// all ports, or a single number.
    ///
    /// ```
    /// use palisade_policy::cloud::ports::PortRange;
    ///
    /// assert_eq!(PortRange::alibaba("22/22").unwrap(), PortRange::single(22));
    /// assert_eq!(PortRange::alibaba("-1/-1").unwrap(), PortRange::ALL);
    /// assert!(PortRange::alibaba("200/1").is_err());
    /// ```
    pub fn alibaba(text: &str) -> Result<Self, PortRangeError> {
        let error = |problem| PortRangeError {
            text: text.to_owned(),
            problem,
        };
        let trimmed = text.trim();
        let (from, to) = trimmed.split_once('/').unwrap_or((trimmed, trimmed));
        let from: i64 = from.trim().parse().map_err(|_| error("not a number"))?;
        let to: i64 = to.trim().parse().map_err(|_| error("not a number"))?;
        match (from, to) {
            (-1, -1) => Ok(Self::ALL),
            _ => Self::checked(from, to).map_err(error),
        }
    }

    /// The range of AWS `from_port` and `to_port`; `-1` on both sides means all ports.
    ///
    /// ```
    /// use palisade_policy::cloud::ports::PortRange;
    ///
    /// assert_eq!(PortRange::aws(0, 65535).unwrap(), PortRange::ALL);
    /// assert!(PortRange::aws(22, 22).unwrap().contains(22));
    /// ```
    pub fn aws(from: i64, to: i64) -> Result<Self, PortRangeError> {
        match (from, to) {
            (-1, -1) => Ok(Self::ALL),
            _ => Self::checked(from, to).map_err(|problem| PortRangeError {
                text: format!("{from} to {to}"),
                problem,
            }),
        }
    }

    fn checked(from: i64, to: i64) -> Result<Self, &'static str> {
        let port = |n: i64| u16::try_from(n).map_err(|_| "port out of 0-65535");
        let (from, to) = (port(from)?, port(to)?);
        if from > to {
            return Err("the range ends before it starts");
        }
        Ok(Self { from, to })
    }

    /// Whether `port` is in the range.
    ///
    /// ```
    /// use palisade_policy::cloud::ports::PortRange;
    ///
    /// assert!(PortRange::alibaba("20/30").unwrap().contains(22));
    /// assert!(!PortRange::alibaba("80/80").unwrap().contains(22));
    /// ```
    pub fn contains(&self, port: u16) -> bool {
        (self.from..=self.to).contains(&port)
    }

    /// Whether every port of `other` is in this range: a drop rule shadows an accept only
    /// for the ports it covers.
    ///
    /// ```
    /// use palisade_policy::cloud::ports::PortRange;
    ///
    /// let ssh = PortRange::single(22);
    /// assert!(PortRange::aws(0, 1024).unwrap().covers(&ssh));
    /// assert!(!ssh.covers(&PortRange::aws(0, 1024).unwrap()));
    /// ```
    pub fn covers(&self, other: &PortRange) -> bool {
        self.from <= other.from && other.to <= self.to
    }

    /// Whether the range is every port (1-65535 counts: port 0 is not usable), which
    /// rules often rate worse than one open port.
    ///
    /// ```
    /// use palisade_policy::cloud::ports::PortRange;
    ///
    /// assert!(PortRange::alibaba("1/65535").unwrap().is_all());
    /// assert!(PortRange::aws(-1, -1).unwrap().is_all());
    /// assert!(!PortRange::alibaba("1/1024").unwrap().is_all());
    /// ```
    pub fn is_all(&self) -> bool {
        self.from <= 1 && self.to == 65535
    }
}

/// For messages: `port 22`, `ports 20-30`, `all ports`.
impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            f.write_str("all ports")
        } else if self.from == self.to {
            write!(f, "port {}", self.from)
        } else {
            write!(f, "ports {}-{}", self.from, self.to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alibaba_ranges() {
        assert_eq!(
            PortRange::alibaba("1/65535").unwrap(),
            PortRange { from: 1, to: 65535 }
        );
        assert_eq!(
            PortRange::alibaba(" 20 / 30 ").unwrap(),
            PortRange { from: 20, to: 30 }
        );
        assert_eq!(PortRange::alibaba("22").unwrap(), PortRange::single(22));
        assert_eq!(PortRange::alibaba("-1/-1").unwrap(), PortRange::ALL);
        for bad in ["", "a/b", "-1/22", "22/-1", "30/20", "1/70000", "1/2/3"] {
            assert!(PortRange::alibaba(bad).is_err(), "{bad}");
        }
        assert_eq!(
            PortRange::alibaba("30/20").unwrap_err().to_string(),
            "invalid port range \"30/20\": the range ends before it starts"
        );
    }

    #[test]
    fn aws_ranges() {
        assert_eq!(PortRange::aws(-1, -1).unwrap(), PortRange::ALL);
        assert_eq!(PortRange::aws(0, 0).unwrap(), PortRange::single(0));
        assert!(PortRange::aws(-1, 22).is_err());
        assert!(PortRange::aws(23, 22).is_err());
        assert!(PortRange::aws(0, 65536).is_err());
    }

    #[test]
    fn containment_of_port_22() {
        assert!(PortRange::alibaba("22/22").unwrap().contains(22));
        assert!(PortRange::alibaba("1/65535").unwrap().contains(22));
        assert!(PortRange::alibaba("-1/-1").unwrap().contains(22));
        assert!(PortRange::alibaba("20/22").unwrap().contains(22));
        assert!(!PortRange::alibaba("23/65535").unwrap().contains(22));
        assert!(!PortRange::alibaba("80/80").unwrap().contains(22));
    }

    #[test]
    fn coverage_and_display() {
        let all = PortRange::ALL;
        assert!(all.covers(&PortRange::single(22)));
        assert!(!PortRange::single(22).covers(&all));
        assert_eq!(PortRange::single(22).to_string(), "port 22");
        assert_eq!(PortRange { from: 20, to: 23 }.to_string(), "ports 20-23");
        assert_eq!(PortRange { from: 1, to: 65535 }.to_string(), "all ports");
    }
}
