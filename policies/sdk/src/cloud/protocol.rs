//! IP protocols as security group rules name them.
//!
//! Alibaba writes `tcp`, `udp`, `icmp`, `icmpv6`, `gre`, `all`; AWS writes names or
//! IANA numbers (`6`, `17`, `1`, `58`) and `-1` for all. Comparison ignores case and
//! surrounding whitespace.

use std::fmt;

/// A normalised IP protocol, so that a rule matches `tcp`, `TCP` and `6` alike.
///
/// ```
/// use palisade_policy::cloud::protocol::Protocol;
///
/// let protocol = Protocol::parse("all");
/// assert!(protocol.includes_tcp());
/// assert_eq!(protocol.to_string(), "all protocols");
/// assert_eq!(Protocol::parse("50"), Protocol::Other("50".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// TCP (`tcp`, `6`).
    Tcp,
    /// UDP (`udp`, `17`).
    Udp,
    /// ICMP for IPv4 (`icmp`, `1`).
    Icmp,
    /// ICMP for IPv6 (`icmpv6`, `58`).
    Icmpv6,
    /// GRE (`gre`, `47`).
    Gre,
    /// Every protocol (`all`, `-1`).
    All,
    /// Any other protocol, as written (lowercased).
    Other(String),
}

impl Protocol {
    /// Normalises a protocol as written in a template.
    ///
    /// ```
    /// use palisade_policy::cloud::protocol::Protocol;
    ///
    /// assert_eq!(Protocol::parse("TCP"), Protocol::Tcp);
    /// assert_eq!(Protocol::parse("6"), Protocol::Tcp);
    /// assert_eq!(Protocol::parse("-1"), Protocol::All);
    /// ```
    pub fn parse(text: &str) -> Self {
        let text = text.trim().to_ascii_lowercase();
        match text.as_str() {
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            "icmp" | "1" => Protocol::Icmp,
            "icmpv6" | "58" => Protocol::Icmpv6,
            "gre" | "47" => Protocol::Gre,
            "all" | "-1" => Protocol::All,
            _ => Protocol::Other(text),
        }
    }

    /// Whether traffic allowed for this protocol includes TCP: for rules about TCP
    /// services (SSH, RDP, databases), which an `all` rule exposes too.
    ///
    /// ```
    /// use palisade_policy::cloud::protocol::Protocol;
    ///
    /// assert!(Protocol::parse("-1").includes_tcp());
    /// assert!(!Protocol::parse("udp").includes_tcp());
    /// ```
    pub fn includes_tcp(&self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::All)
    }
}

/// For messages: `TCP`, `ICMPv6`, `all protocols`, `protocol 50`.
impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::Tcp => f.write_str("TCP"),
            Protocol::Udp => f.write_str("UDP"),
            Protocol::Icmp => f.write_str("ICMP"),
            Protocol::Icmpv6 => f.write_str("ICMPv6"),
            Protocol::Gre => f.write_str("GRE"),
            Protocol::All => f.write_str("all protocols"),
            Protocol::Other(name) => write!(f, "protocol {name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_agree() {
        let pairs = [
            ("tcp", "6", Protocol::Tcp),
            ("udp", "17", Protocol::Udp),
            ("icmp", "1", Protocol::Icmp),
            ("icmpv6", "58", Protocol::Icmpv6),
            ("gre", "47", Protocol::Gre),
            ("all", "-1", Protocol::All),
        ];
        for (name, number, expected) in pairs {
            assert_eq!(Protocol::parse(name), expected);
            assert_eq!(Protocol::parse(number), expected);
            assert_eq!(Protocol::parse(&name.to_uppercase()), expected);
        }
        assert_eq!(Protocol::parse(" Tcp "), Protocol::Tcp);
        assert_eq!(Protocol::parse("ESP"), Protocol::Other("esp".into()));
    }

    #[test]
    fn only_tcp_and_all_include_tcp() {
        assert!(Protocol::Tcp.includes_tcp());
        assert!(Protocol::All.includes_tcp());
        for other in [
            Protocol::Udp,
            Protocol::Icmp,
            Protocol::Icmpv6,
            Protocol::Gre,
        ] {
            assert!(!other.includes_tcp());
        }
        assert!(!Protocol::parse("50").includes_tcp());
    }
}
