//! Hash functions over strings (the `file*` variants over file contents live with the
//! file functions), and the name-based `uuidv5`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::{Args, Arity, Builtin, Called};
use crate::eval::value::Value;

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("md5", Arity::Exactly(1), |args| {
        text_digest(args, Hash::Md5, hex::encode)
    }),
    Builtin::known("sha1", Arity::Exactly(1), |args| {
        text_digest(args, Hash::Sha1, hex::encode)
    }),
    Builtin::known("sha256", Arity::Exactly(1), |args| {
        text_digest(args, Hash::Sha256, hex::encode)
    }),
    Builtin::known("sha512", Arity::Exactly(1), |args| {
        text_digest(args, Hash::Sha512, hex::encode)
    }),
    Builtin::known("base64sha256", Arity::Exactly(1), |args| {
        text_digest(args, Hash::Sha256, base64)
    }),
    Builtin::known("base64sha512", Arity::Exactly(1), |args| {
        text_digest(args, Hash::Sha512, base64)
    }),
    Builtin::known("uuidv5", Arity::Exactly(2), uuidv5),
];

/// The hash algorithms Terraform offers.
#[derive(Clone, Copy)]
pub(super) enum Hash {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

impl Hash {
    pub(super) fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Hash::Md5 => Md5::digest(bytes).to_vec(),
            Hash::Sha1 => Sha1::digest(bytes).to_vec(),
            Hash::Sha256 => Sha256::digest(bytes).to_vec(),
            Hash::Sha512 => Sha512::digest(bytes).to_vec(),
        }
    }
}

pub(super) fn base64(bytes: Vec<u8>) -> String {
    STANDARD.encode(bytes)
}

fn text_digest(args: &Args<'_>, hash: Hash, encode: fn(Vec<u8>) -> String) -> Called {
    Ok(encode(hash.digest(args.string(0)?.as_bytes())).into())
}

/// `uuidv5(namespace, name)`: the SHA-1 name-based UUID of RFC 4122; the namespace is
/// `dns`, `url`, `oid`, `x500` or a UUID.
fn uuidv5(args: &Args<'_>) -> Called {
    let namespace = args.string(0)?;
    let name = args.string(1)?;
    let namespace = match namespace.as_str() {
        "dns" => "6ba7b810-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        "url" => "6ba7b811-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        "oid" => "6ba7b812-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        "x500" => "6ba7b814-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        other => other.to_owned(),
    };
    let hex_digits: String = namespace.chars().filter(|c| *c != '-').collect();
    let namespace_bytes = hex::decode(&hex_digits)
        .ok()
        .filter(|bytes| bytes.len() == 16 && namespace.len() == 36)
        .ok_or_else(|| {
            args.error(
                0,
                format!("uuidv5() doesn't support namespace {namespace:?}"),
            )
        })?;
    let mut input = namespace_bytes;
    input.extend_from_slice(name.as_bytes());
    let mut uuid = Hash::Sha1.digest(&input);
    uuid.truncate(16);
    uuid[6] = (uuid[6] & 0x0f) | 0x50;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    let hex = hex::encode(uuid);
    Ok(Value::String(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, s, unknown};

    #[test]
    fn documented_digests() {
        assert_eq!(
            call_ok("md5", vec![s("hello world")]),
            s("5eb63bbbe01eeed093cb22bb8f5acdc3")
        );
        assert_eq!(
            call_ok("sha1", vec![s("hello world")]),
            s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
        );
        assert_eq!(
            call_ok("sha256", vec![s("hello world")]),
            s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        assert_eq!(
            call_ok("sha512", vec![s("hello world")]),
            s(
                "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"
            )
        );
        assert_eq!(
            call_ok("base64sha256", vec![s("hello world")]),
            s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        );
        assert_eq!(
            call_ok("base64sha512", vec![s("hello world")]),
            s(
                "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
            )
        );
        assert!(call_ok("md5", vec![unknown("x")]).is_unknown());
    }

    #[test]
    fn uuidv5_documented_examples() {
        assert_eq!(
            call_ok("uuidv5", vec![s("dns"), s("www.terraform.io")]),
            s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
        );
        assert_eq!(
            call_ok("uuidv5", vec![s("url"), s("https://www.terraform.io/")]),
            s("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5")
        );
        assert_eq!(
            call_ok("uuidv5", vec![s("oid"), s("1.3.6.1.4")]),
            s("af9d40a5-7a36-5c07-b23a-851cd99fbfa5")
        );
        assert_eq!(
            call_ok(
                "uuidv5",
                vec![
                    s("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
                    s("www.terraform.io")
                ]
            ),
            s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
        );
        assert_eq!(
            call_ok("uuidv5", vec![s("x500"), s("CN=Example,C=GB")]),
            s("84e09961-4aa4-57f8-95b7-03edb1073253")
        );
        assert!(invalid_message("uuidv5", vec![s("nope"), s("x")]).contains("namespace"));
    }
}
