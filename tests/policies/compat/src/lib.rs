//! A policy written against the raw WIT rather than the SDK, so that it can be built
//! against frozen copies of the contract. The same source is built three times, each
//! crate reading its own `wit/` copy (`generate!` resolves it from the crate being built):
//!
//! | crate           | contract                          | a 0.1.0 runner |
//! |-----------------|-----------------------------------|----------------|
//! | `old/`          | `palisade:policy@0.1.0`, frozen   | runs it        |
//! | `newer/`        | the same, relabelled `0.1.9`      | refuses it     |
//! | `incompatible/` | the same, relabelled `0.2.0`      | refuses it     |
//!
//! One rule, `compat-marker`, reports every resource of type `compat_marker`.

wit_bindgen::generate!({ world: "policy" });

use palisade::policy::types::{Finding, Severity};

struct Compat;

impl Guest for Compat {
    fn info() -> PolicyInfo {
        PolicyInfo {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            authors: vec!["Palisade compatibility tests".to_owned()],
        }
    }

    fn rules() -> Vec<Rule> {
        vec![Rule {
            id: "compat-marker".to_owned(),
            title: "Marks every compat_marker resource (compatibility tests)".to_owned(),
            severity: Severity::Low,
            description: "Reports each resource of type compat_marker, to show that a \
                component built against an older contract still runs."
                .to_owned(),
            remediation: "None: this rule exists for tests.".to_owned(),
            documentation: String::new(),
            resource_types: vec!["compat_marker".to_owned()],
        }]
    }

    fn evaluate(resources: Vec<CloudResource>) -> Result<Evaluation, String> {
        let findings = resources
            .iter()
            .map(|resource| Finding {
                rule: "compat-marker".to_owned(),
                resource_index: resource.index,
                attribute: String::new(),
                message: format!("{} saw {}", env!("CARGO_PKG_NAME"), resource.address),
                severity: None,
            })
            .collect();
        Ok(Evaluation {
            findings,
            notes: Vec::new(),
        })
    }
}

export!(Compat);
