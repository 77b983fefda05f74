//! The database family: rules about managed databases and caches (Alibaba Cloud RDS,
//! PolarDB, Tair/Redis (KVStore) and MongoDB, and the AWS counterparts where a rule names
//! them): who may connect, whether a password is asked, whether storage is encrypted.
//!
//! Each provider module reads its resources (`alicloud`, `aws`, `ros`) into the shapes
//! the rules decide the same way for every format: whitelists (`whitelist`), public
//! endpoints (`endpoint`), encryption settings (`encryption`) and authentication
//! (`auth`); `flag` reads switches as templates write them.

mod alicloud;
mod auth;
mod aws;
mod encryption;
mod endpoint;
mod flag;
mod ros;
mod whitelist;

palisade_policy::family!();
