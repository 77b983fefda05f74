//! IP network functions (`cidrhost`, `cidrnetmask`, `cidrsubnet`, `cidrsubnets`), for
//! IPv4 and IPv6. Addresses are computed as 128-bit integers; an IPv4 prefix uses the
//! low 32 bits.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::args::whole;
use super::{Args, Arity, Builtin, Called, FunctionError, invalid};
use crate::eval::value::Value;

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("cidrhost", Arity::Exactly(2), cidrhost),
    Builtin::known("cidrnetmask", Arity::Exactly(1), cidrnetmask),
    Builtin::known("cidrsubnet", Arity::Exactly(3), cidrsubnet),
    Builtin::known("cidrsubnets", Arity::AtLeast(1), cidrsubnets),
];

/// A network in CIDR notation: its first address, prefix length and address width.
struct Network {
    base: u128,
    length: u32,
    bits: u32,
}

impl Network {
    fn parse(args: &Args<'_>, i: usize) -> Result<Self, FunctionError> {
        let text = args.string(i)?;
        let bad = || args.error(i, format!("invalid CIDR address {text:?}"));
        let (address, length) = text.split_once('/').ok_or_else(bad)?;
        let address: IpAddr = address.parse().map_err(|_| bad())?;
        let (address, bits) = match address {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        let length: u32 = length
            .parse()
            .ok()
            .filter(|l| *l <= bits && length.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(bad)?;
        Ok(Network {
            base: address & !host_mask(bits - length),
            length,
            bits,
        })
    }

    /// How many addresses a prefix of `length` bits holds, `None` for all 2^128.
    fn size(&self, length: u32) -> Option<u128> {
        1u128.checked_shl(self.bits - length)
    }

    fn address(&self, address: u128) -> String {
        if self.bits == 32 {
            Ipv4Addr::from(address as u32).to_string()
        } else {
            Ipv6Addr::from(address).to_string()
        }
    }
}

/// The mask of the low `host_bits` bits.
fn host_mask(host_bits: u32) -> u128 {
    1u128
        .checked_shl(host_bits)
        .map_or(u128::MAX, |size| size - 1)
}

/// A whole-number argument as a 128-bit integer.
fn big_integer(args: &Args<'_>, i: usize) -> Result<i128, FunctionError> {
    let number = args.number(i)?;
    if number.fract() != 0.0 || number.abs() >= 1.7e38 {
        return Err(args.error(i, "a whole number is required"));
    }
    Ok(number as i128)
}

/// `cidrhost(prefix, hostnum)`: a negative host number counts back from the last address.
fn cidrhost(args: &Args<'_>) -> Called {
    let network = Network::parse(args, 0)?;
    let number = big_integer(args, 1)?;
    let size = network.size(network.length);
    let offset = if number >= 0 {
        Some(number.unsigned_abs()).filter(|n| size.is_none_or(|size| *n < size))
    } else {
        let back = number.unsigned_abs();
        match size {
            Some(size) => size.checked_sub(back),
            None => Some(u128::MAX - (back - 1)),
        }
    };
    let offset = offset.ok_or_else(|| {
        invalid(format!(
            "`cidrhost`: prefix of {} bits cannot accommodate a host numbered {number}",
            network.length
        ))
    })?;
    Ok(network.address(network.base | offset).into())
}

fn cidrnetmask(args: &Args<'_>) -> Called {
    let network = Network::parse(args, 0)?;
    if network.bits != 32 {
        return Err(args.error(0, "IPv6 addresses cannot have a netmask"));
    }
    Ok(network
        .address(!host_mask(32 - network.length) & 0xffff_ffff)
        .into())
}

/// `cidrsubnet(prefix, newbits, netnum)`: the `netnum`th subnet `newbits` longer.
fn cidrsubnet(args: &Args<'_>) -> Called {
    let network = Network::parse(args, 0)?;
    let newbits = args.integer(1)?;
    let number = big_integer(args, 2)?;
    let length = extended_length(args, &network, newbits)?;
    let count = 1u128.checked_shl(length - network.length);
    let number = u128::try_from(number)
        .ok()
        .filter(|n| count.is_none_or(|count| *n < count))
        .ok_or_else(|| {
            invalid(format!(
                "`cidrsubnet`: prefix extension of {newbits} does not accommodate a subnet numbered {number}"
            ))
        })?;
    let shifted = number.checked_shl(network.bits - length).unwrap_or(0);
    Ok(format!("{}/{length}", network.address(network.base | shifted)).into())
}

/// `cidrsubnets(prefix, newbits...)`: consecutive subnets of the given sizes, each
/// aligned to its own size, all inside the prefix.
fn cidrsubnets(args: &Args<'_>) -> Called {
    let network = Network::parse(args, 0)?;
    let last = network.base | host_mask(network.bits - network.length);
    let mut next = Some(network.base);
    let mut subnets = Vec::new();
    for i in 1..args.len() {
        let newbits = args.integer(i)?;
        let length = extended_length(args, &network, newbits)?;
        let block = network.size(length).unwrap_or(u128::MAX);
        let start = next.and_then(|next| next.div_ceil(block).checked_mul(block));
        let start = start
            .filter(|start| start.checked_add(block - 1).is_some_and(|end| end <= last))
            .ok_or_else(|| {
                args.error(
                    i,
                    format!("not enough remaining address space for a subnet with a prefix of {length} bits"),
                )
            })?;
        subnets.push(Value::String(format!(
            "{}/{length}",
            network.address(start)
        )));
        next = start.checked_add(block);
    }
    Ok(Value::List(subnets))
}

/// The prefix length `newbits` longer than the network's, if the address has room.
fn extended_length(args: &Args<'_>, network: &Network, newbits: i64) -> Result<u32, FunctionError> {
    let length = whole(network.length as f64 + newbits as f64)
        .filter(|_| newbits >= 0)
        .and_then(|l| u32::try_from(l).ok())
        .filter(|l| *l <= network.bits);
    length.ok_or_else(|| {
        args.error(
            0,
            format!(
                "insufficient address space to extend prefix of {} by {newbits}",
                network.length
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, n, s, strs};

    #[test]
    fn cidrhost_counts_from_either_end() {
        assert_eq!(
            call_ok("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            call_ok("cidrhost", vec![s("10.12.112.0/20"), n(268.0)]),
            s("10.12.113.12")
        );
        assert_eq!(
            call_ok(
                "cidrhost",
                vec![s("fd00:fd12:3456:7890:00a2::/72"), n(34.0)]
            ),
            s("fd00:fd12:3456:7890::22")
        );
        assert_eq!(
            call_ok("cidrhost", vec![s("10.0.0.0/24"), n(-1.0)]),
            s("10.0.0.255")
        );
        assert_eq!(
            call_ok("cidrhost", vec![s("10.0.0.0/24"), n(-256.0)]),
            s("10.0.0.0")
        );
        assert_eq!(
            call_ok("cidrhost", vec![s("::/0"), n(-1.0)]),
            s("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
        );
        assert!(
            invalid_message("cidrhost", vec![s("10.0.0.0/24"), n(256.0)])
                .contains("cannot accommodate")
        );
        assert!(
            invalid_message("cidrhost", vec![s("10.0.0.0/24"), n(-257.0)])
                .contains("cannot accommodate")
        );
        assert!(invalid_message("cidrhost", vec![s("10.0.0.0"), n(1.0)]).contains("invalid CIDR"));
        assert!(
            invalid_message("cidrhost", vec![s("10.0.0.0/33"), n(1.0)]).contains("invalid CIDR")
        );
        assert!(invalid_message("cidrhost", vec![s("10.0.0.0/24"), n(1.5)]).contains("whole"));
    }

    #[test]
    fn cidrnetmask_for_ipv4_only() {
        assert_eq!(
            call_ok("cidrnetmask", vec![s("172.16.0.0/12")]),
            s("255.240.0.0")
        );
        assert_eq!(
            call_ok("cidrnetmask", vec![s("10.0.0.0/32")]),
            s("255.255.255.255")
        );
        assert_eq!(call_ok("cidrnetmask", vec![s("0.0.0.0/0")]), s("0.0.0.0"));
        assert!(invalid_message("cidrnetmask", vec![s("fd00::/8")]).contains("IPv6"));
    }

    #[test]
    fn cidrsubnet_documented_examples() {
        assert_eq!(
            call_ok("cidrsubnet", vec![s("172.16.0.0/12"), n(4.0), n(2.0)]),
            s("172.18.0.0/16")
        );
        assert_eq!(
            call_ok("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
            s("10.1.2.240/28")
        );
        assert_eq!(
            call_ok(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(
            call_ok("cidrsubnet", vec![s("10.1.2.3/16"), n(8.0), n(0.0)]),
            s("10.1.0.0/24")
        );
        assert!(
            invalid_message("cidrsubnet", vec![s("10.0.0.0/24"), n(9.0), n(0.0)])
                .contains("insufficient address space")
        );
        assert!(
            invalid_message("cidrsubnet", vec![s("10.0.0.0/24"), n(-1.0), n(0.0)])
                .contains("insufficient address space")
        );
        assert!(
            invalid_message("cidrsubnet", vec![s("10.0.0.0/24"), n(2.0), n(4.0)])
                .contains("does not accommodate")
        );
        assert!(
            invalid_message("cidrsubnet", vec![s("10.0.0.0/24"), n(2.0), n(-1.0)])
                .contains("does not accommodate")
        );
        assert!(
            invalid_message("cidrsubnet", vec![s("nonsense"), n(2.0), n(1.0)])
                .contains("invalid CIDR")
        );
    }

    #[test]
    fn cidrsubnets_allocates_consecutively() {
        assert_eq!(
            call_ok(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            strs(&[
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ])
        );
        assert_eq!(
            call_ok(
                "cidrsubnets",
                vec![
                    s("fd00:fd12:3456:7890::/56"),
                    n(16.0),
                    n(16.0),
                    n(16.0),
                    n(32.0)
                ]
            ),
            strs(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88",
            ])
        );
        assert_eq!(call_ok("cidrsubnets", vec![s("10.0.0.0/8")]), strs(&[]));
        assert!(
            invalid_message(
                "cidrsubnets",
                vec![s("10.0.0.0/24"), n(1.0), n(1.0), n(1.0)]
            )
            .contains("not enough remaining")
        );
        assert!(
            invalid_message("cidrsubnets", vec![s("10.0.0.0/24"), n(9.0)]).contains("insufficient")
        );
    }
}
