//! Attribute paths, the way findings name the attribute they are about.
//!
//! Rules rarely build one: every [`Field`](crate::Field) knows its path
//! ([`Field::path`](crate::Field::path)), and [`Unknown::path`](crate::Unknown::path)
//! says where an unknown value is. Build one for a place no field was read from, such as
//! [`AttrPath::root`] for an insecure default:
//!
//! ```
//! use palisade_policy::AttrPath;
//!
//! let path = AttrPath::root().key("ingress").index(1).key("cidr_blocks").index(0);
//! assert_eq!(path.as_str(), "ingress[1].cidr_blocks[0]");
//! assert_eq!(AttrPath::root().key("Tags").key("a.b").as_str(), r#"Tags["a.b"]"#);
//! ```
//!
//! The syntax is the runner's too, so it is defined once, in `palisade-contract`.

pub use palisade_contract::{AttrPath, Segment};
