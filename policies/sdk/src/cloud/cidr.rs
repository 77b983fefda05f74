//! CIDR blocks, and whether one is open to the whole internet.
//!
//! A prefix length of 0 covers every address of its family whatever the address part
//! says, so `0.0.0.0/0`, `::/0`, `::0/0`, `0:0:0:0:0:0:0:0/0` (and even `10.0.0.0/0`)
//! are all the whole internet. Whitespace around the text is ignored.

use std::net::IpAddr;

/// A parsed CIDR block (an address without `/n` is a single host).
///
/// For rules that need more than [`is_world_open`]: comparing a source with an allowed
/// range, or with the block a drop rule denies.
///
/// ```
/// use palisade_policy::cloud::cidr::Cidr;
///
/// let office = Cidr::parse("203.0.113.0/24").unwrap();
/// let source = Cidr::parse("203.0.113.7").unwrap();
/// assert!(office.covers(&source));
/// assert!(!source.covers(&office));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    /// The address part as written.
    pub address: IpAddr,
    /// The prefix length.
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n` or an IPv6 block; `None` when it is neither.
    ///
    /// ```
    /// use palisade_policy::cloud::cidr::Cidr;
    ///
    /// assert_eq!(Cidr::parse("10.0.0.0/8").unwrap().prefix, 8);
    /// assert_eq!(Cidr::parse("192.168.1.1").unwrap().prefix, 32);
    /// assert!(Cidr::parse("10.0.0.0/33").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address.trim(), Some(prefix.trim())),
            None => (text, None),
        };
        let address: IpAddr = address.parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) if prefix.bytes().all(|b| b.is_ascii_digit()) => prefix.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        (prefix <= max).then_some(Self { address, prefix })
    }

    /// Whether the block is every address of its family (prefix length 0).
    ///
    /// ```
    /// use palisade_policy::cloud::cidr::Cidr;
    ///
    /// assert!(Cidr::parse("::/0").unwrap().is_world());
    /// assert!(!Cidr::parse("0.0.0.0/1").unwrap().is_world());
    /// ```
    pub fn is_world(&self) -> bool {
        self.prefix == 0
    }

    /// Whether every address of `other` is in this block (same family only: an IPv4
    /// block never covers an IPv6 one).
    ///
    /// ```
    /// use palisade_policy::cloud::cidr::Cidr;
    ///
    /// let parse = |text| Cidr::parse(text).unwrap();
    /// assert!(parse("10.0.0.0/8").covers(&parse("10.1.0.0/16")));
    /// assert!(!parse("0.0.0.0/0").covers(&parse("::/0")));
    /// ```
    pub fn covers(&self, other: &Cidr) -> bool {
        if self.prefix > other.prefix {
            return false;
        }
        match (self.address, other.address) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                same_prefix(u32::from(a).into(), u32::from(b).into(), 32, self.prefix)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                same_prefix(u128::from(a), u128::from(b), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn same_prefix(a: u128, b: u128, width: u8, prefix: u8) -> bool {
    let shift = u32::from(width - prefix);
    a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0)
}

/// Whether `text` is a CIDR block open to the whole internet (IPv4 or IPv6).
///
/// ```
/// use palisade_policy::cloud::cidr::is_world_open;
///
/// assert!(is_world_open("0.0.0.0/0"));
/// assert!(is_world_open(" ::/0 "));
/// assert!(!is_world_open("10.0.0.0/8"));
/// ```
pub fn is_world_open(text: &str) -> bool {
    Cidr::parse(text).is_some_and(|cidr| cidr.is_world())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_the_whole_internet() {
        for world in [
            "0.0.0.0/0",
            "::/0",
            "::0/0",
            "0:0:0:0:0:0:0:0/0",
            " 0.0.0.0/0\n",
            "0.0.0.0/00",
            "10.0.0.0/0",
        ] {
            assert!(is_world_open(world), "{world:?}");
        }
    }

    #[test]
    fn restricted_and_invalid_blocks_are_not_world_open() {
        for other in [
            "10.0.0.0/8",
            "0.0.0.0/1",
            "0.0.0.0",
            "::/1",
            "2001:db8::/32",
            "",
            "0.0.0.0/",
            "0.0.0.0/-0",
            "0.0.0.0/+0",
            "anywhere",
            "0.0.0.0/0/0",
        ] {
            assert!(!is_world_open(other), "{other:?}");
        }
    }

    #[test]
    fn coverage_is_per_family() {
        let parse = |text| Cidr::parse(text).unwrap();
        assert!(parse("0.0.0.0/0").covers(&parse("10.1.0.0/16")));
        assert!(parse("10.0.0.0/8").covers(&parse("10.1.0.0/16")));
        assert!(!parse("10.0.0.0/8").covers(&parse("11.0.0.0/16")));
        assert!(!parse("10.1.0.0/16").covers(&parse("10.0.0.0/8")));
        assert!(parse("::/0").covers(&parse("::/0")));
        assert!(!parse("::/0").covers(&parse("0.0.0.0/0")));
        assert!(!parse("0.0.0.0/0").covers(&parse("::/0")));
        assert!(parse("10.0.0.1").covers(&parse("10.0.0.1/32")));
    }
}
