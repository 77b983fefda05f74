//! The identity family: rules about who may do what in the cloud account, for Alibaba
//! Cloud RAM and its AWS IAM counterparts.
//!
//! Policy documents are read in `document` (which statements grant administrator
//! access, with the wildcard semantics of `grant`); `holders` says which attributes of
//! which resources hold documents, `attachment` which resources attach a policy to a
//! user, group or role, and `link` joins a custom policy to the attachments that name it.
//! Console logins and the account's MFA enforcement are read in `login`. The rules
//! (`rules/`) read these modules.

mod attachment;
mod document;
mod grant;
mod holders;
mod link;
mod login;

palisade_policy::family!();
