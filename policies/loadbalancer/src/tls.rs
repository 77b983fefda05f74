//! Which TLS versions a load balancer setting lets clients negotiate, as the providers
//! name them: Alibaba Cloud system policies (`tls_cipher_policy_1_0`, ...), TLS version
//! lists (`TLSv1.0`, ...) and AWS ELB security policies (`ELBSecurityPolicy-...`).
//!
//! Only the versions before TLS 1.2 matter here: TLS 1.0 and 1.1 are deprecated
//! (RFC 8996) and rejected by PCI DSS and most compliance baselines.

use std::fmt;

/// The deprecated TLS versions a setting accepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Old {
    /// TLS 1.0.
    pub tls10: bool,
    /// TLS 1.1.
    pub tls11: bool,
}

impl Old {
    /// Both TLS 1.0 and TLS 1.1.
    pub const BOTH: Old = Old {
        tls10: true,
        tls11: true,
    };
    /// TLS 1.1 only (a policy whose minimum is 1.1).
    pub const TLS11: Old = Old {
        tls10: false,
        tls11: true,
    };
    /// Neither: TLS 1.2 or later only.
    pub const NONE: Old = Old {
        tls10: false,
        tls11: false,
    };

    /// What a policy whose lowest version is 1.`minor` accepts.
    fn from_minimum(minor: u8) -> Self {
        match minor {
            0 => Old::BOTH,
            1 => Old::TLS11,
            _ => Old::NONE,
        }
    }

    /// Whether any deprecated version is accepted.
    pub fn any(self) -> bool {
        self.tls10 || self.tls11
    }

    /// Both sets together.
    pub fn union(self, other: Old) -> Old {
        Old {
            tls10: self.tls10 || other.tls10,
            tls11: self.tls11 || other.tls11,
        }
    }
}

impl fmt::Display for Old {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.tls10, self.tls11) {
            (true, true) => f.write_str("TLS 1.0 and TLS 1.1"),
            (true, false) => f.write_str("TLS 1.0"),
            (false, true) => f.write_str("TLS 1.1"),
            (false, false) => f.write_str("TLS 1.2 or later only"),
        }
    }
}

/// The load balancer a system policy name is given to: all know the same five names,
/// and ALB also has `tls_cipher_policy_1_0_to_1_3` (its Extensible edition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Classic Load Balancer (SLB/CLB) `tls_cipher_policy`.
    Slb,
    /// Application Load Balancer `security_policy_id`.
    Alb,
    /// Network Load Balancer `security_policy_id` (TCPSSL listeners).
    Nlb,
}

/// What the Alibaba Cloud system TLS policy `name` accepts, or `None` when `name` is not
/// a system policy of `family`. Terraform validates the names exactly; ROS templates are
/// read without regard to case (`ignore_case`).
pub fn system_policy(name: &str, family: Family, ignore_case: bool) -> Option<Old> {
    let name = name.trim();
    let is = |known: &str| {
        if ignore_case {
            name.eq_ignore_ascii_case(known)
        } else {
            name == known
        }
    };
    if is("tls_cipher_policy_1_0") {
        Some(Old::BOTH)
    } else if is("tls_cipher_policy_1_1") {
        Some(Old::TLS11)
    } else if is("tls_cipher_policy_1_2")
        || is("tls_cipher_policy_1_2_strict")
        || is("tls_cipher_policy_1_2_strict_with_1_3")
    {
        Some(Old::NONE)
    } else if family == Family::Alb && is("tls_cipher_policy_1_0_to_1_3") {
        Some(Old::BOTH)
    } else {
        None
    }
}

/// What one entry of a TLS version list (`TLSv1.0`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`)
/// accepts, or `None` when it is not one of them. The case is ignored: the providers do
/// not validate the list, and a misspelt version must not hide an old one.
pub fn version(entry: &str) -> Option<Old> {
    let entry = entry.trim();
    let minor = entry
        .get(..6)
        .filter(|prefix| prefix.eq_ignore_ascii_case("TLSv1."))
        .and_then(|_| entry.get(6..))?;
    match minor {
        "0" => Some(Old {
            tls10: true,
            tls11: false,
        }),
        "1" => Some(Old::TLS11),
        "2" | "3" => Some(Old::NONE),
        _ => None,
    }
}

/// What the AWS ELB security policy `name` accepts, or `None` when the name is not one
/// of the predefined policies' patterns. The lowest version is in the name
/// (`ELBSecurityPolicy-TLS13-1-2-2021-06`, `-TLS-1-1-2017-01`, `-FS-1-2-Res-2019-08`);
/// the dated policies (`ELBSecurityPolicy-2016-08`, `-2015-05`) and `-FS-2018-06` accept
/// TLS 1.0.
pub fn aws_policy(name: &str) -> Option<Old> {
    let rest = name.trim().strip_prefix("ELBSecurityPolicy-")?;
    let versioned = rest
        .strip_prefix("TLS13-")
        .or_else(|| rest.strip_prefix("TLS-"))
        .or_else(|| rest.strip_prefix("FS-").filter(|fs| fs.starts_with("1-")));
    match versioned {
        Some(versioned) => {
            let minor = versioned.strip_prefix("1-")?.bytes().next()?;
            minor
                .is_ascii_digit()
                .then(|| Old::from_minimum(minor - b'0'))
        }
        None if rest == "FS-2018-06" => Some(Old::BOTH),
        None => {
            let dated = rest.len() == 7
                && rest.bytes().enumerate().all(|(at, byte)| {
                    if at == 4 {
                        byte == b'-'
                    } else {
                        byte.is_ascii_digit()
                    }
                });
            dated.then_some(Old::BOTH)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alibaba_system_policies() {
        let slb = |name| system_policy(name, Family::Slb, false);
        assert_eq!(slb("tls_cipher_policy_1_0"), Some(Old::BOTH));
        assert_eq!(slb("tls_cipher_policy_1_1"), Some(Old::TLS11));
        assert_eq!(
            slb("tls_cipher_policy_1_2_strict_with_1_3"),
            Some(Old::NONE)
        );
        assert_eq!(slb("TLS_CIPHER_POLICY_1_0"), None);
        assert_eq!(slb("tls_cipher_policy_1_0_to_1_3"), None);
        assert_eq!(
            system_policy("tls_cipher_policy_1_0_to_1_3", Family::Alb, false),
            Some(Old::BOTH)
        );
        assert_eq!(
            system_policy("TLS_CIPHER_POLICY_1_1", Family::Slb, true),
            Some(Old::TLS11)
        );
        assert_eq!(slb("spy-123"), None);
        assert_eq!(
            system_policy("tls_cipher_policy_1_0_to_1_3", Family::Nlb, false),
            None
        );
    }

    #[test]
    fn version_lists() {
        assert_eq!(version("TLSv1.0").map(|old| old.tls10), Some(true));
        assert_eq!(version(" tlsv1.1"), Some(Old::TLS11));
        assert_eq!(version("TLSv1.3"), Some(Old::NONE));
        assert_eq!(version("TLSv1"), None);
        assert_eq!(version("SSLv3"), None);
        assert_eq!(version("TLSv1.é"), None);
    }

    #[test]
    fn aws_policies() {
        assert_eq!(aws_policy("ELBSecurityPolicy-2016-08"), Some(Old::BOTH));
        assert_eq!(aws_policy("ELBSecurityPolicy-2015-05"), Some(Old::BOTH));
        assert_eq!(aws_policy("ELBSecurityPolicy-FS-2018-06"), Some(Old::BOTH));
        assert_eq!(
            aws_policy("ELBSecurityPolicy-TLS-1-0-2015-04"),
            Some(Old::BOTH)
        );
        assert_eq!(
            aws_policy("ELBSecurityPolicy-TLS-1-1-2017-01"),
            Some(Old::TLS11)
        );
        assert_eq!(
            aws_policy("ELBSecurityPolicy-FS-1-1-2019-08"),
            Some(Old::TLS11)
        );
        assert_eq!(
            aws_policy("ELBSecurityPolicy-TLS13-1-0-2021-06"),
            Some(Old::BOTH)
        );
        assert_eq!(
            aws_policy("ELBSecurityPolicy-TLS13-1-1-2021-06"),
            Some(Old::TLS11)
        );
        for strong in [
            "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
            "ELBSecurityPolicy-TLS13-1-3-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
            "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
            "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        ] {
            assert_eq!(aws_policy(strong), Some(Old::NONE), "{strong}");
        }
        for unknown in [
            "custom",
            "ELBSecurityPolicy-",
            "ELBSecurityPolicy-TLS13-x",
            "ELBSecurityPolicy-2016",
        ] {
            assert_eq!(aws_policy(unknown), None, "{unknown}");
        }
    }
}
