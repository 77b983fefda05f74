//! SHA-256 digests as `palisade.toml` pins them: 64 hexadecimal digits, the way
//! `sha256sum` prints them, so a pin can be checked by hand.

use std::fmt;
use std::str::FromStr;

use sha2::Digest as _;

/// The SHA-256 digest of a component file, in lowercase hex. A pin names exactly one
/// build: any change to the file, however small, changes its digest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Sha256(String);

impl Sha256 {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(hex::encode(sha2::Sha256::digest(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A pin that is not a SHA-256 digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a SHA-256 digest: a pin is 64 hexadecimal digits, as `sha256sum` prints \
     them (`palisade policy add FILE` writes it)"
)]
pub struct MalformedDigest(String);

impl FromStr for Sha256 {
    type Err = MalformedDigest;

    /// Accepts upper- or lowercase digits; keeps them lowercase, as the engine reports
    /// digests, so that pins compare as strings.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(MalformedDigest(text.to_owned()))
        }
    }
}

impl TryFrom<String> for Sha256 {
    type Error = MalformedDigest;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_what_sha256sum_prints() {
        let digest = Sha256::of(b"abc");
        assert_eq!(
            digest.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn pins_and_the_engine_agree_on_a_component_digest() {
        use crate::engine::{CacheMode, Engine, EngineOptions, builtin_policies};
        let source = builtin_policies().remove(0);
        let pin = Sha256::of(&source.bytes);
        let engine = Engine::new(EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        })
        .unwrap();
        assert_eq!(engine.load(source).unwrap().digest, pin.as_str());
    }

    #[test]
    fn pins_parse_in_either_case_and_print_lowercase() {
        let upper = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
        let parsed: Sha256 = upper.parse().unwrap();
        assert_eq!(parsed, Sha256::of(b"abc"));
        assert_eq!(parsed.to_string(), upper.to_ascii_lowercase());
    }

    #[test]
    fn anything_else_is_malformed() {
        let too_short = "ba7816bf";
        let not_hex = "z".repeat(64);
        let prefixed = format!("sha256:{}", Sha256::of(b"abc"));
        for bad in ["", too_short, &not_hex, &prefixed, "é".repeat(32).as_str()] {
            let error = bad.parse::<Sha256>().unwrap_err();
            assert!(
                error.to_string().contains("is not a SHA-256 digest"),
                "{bad}"
            );
        }
    }
}
