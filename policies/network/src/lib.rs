//! The network family: rules about what security groups let in.
//!
//! Each provider has a module that turns its resources into `Ingress` permissions
//! (`alicloud`, `aws`, `ros`), and `ingress` decides one permission the same way for all;
//! every rule of the family (`rules/`) starts from the permissions `exposure` reads once
//! per evaluation.

mod alicloud;
mod aws;
mod exposure;
mod ingress;
mod ros;

palisade_policy::family!(shared: exposure::Exposures);
