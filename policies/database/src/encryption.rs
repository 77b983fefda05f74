//! Encryption at rest of one database, whatever resource declares it, and the decision
//! about it.
//!
//! A database is encrypted when any of its encryption settings is on (TDE, or disk
//! encryption); provider modules read each setting into a [`Setting`], saying in words
//! why it is off, and [`AtRest::any`] combines them: one setting on passes whatever the
//! others say, an unknown one leaves the database undecided unless another is on, and
//! otherwise every reason is listed in one finding, pointed at the first setting written
//! off (at the resource header when all are omitted, since the default is what fails).

use palisade_policy::{Attr, AttrPath, Field, Unknown};

use crate::flag;

/// One encryption setting of a database.
pub enum Setting<'a> {
    /// It encrypts the storage.
    On,
    /// It does not: `why` names the attribute and its value, `at` is the attribute when
    /// it is written (`None` when omitted).
    Off { at: Option<AttrPath>, why: String },
    /// It depends on an unknown value.
    Unknown(Unknown<'a>),
}

/// What one database's settings amount to.
pub enum AtRest {
    /// Encrypted, or not a database this rule judges (a Memcache instance).
    Pass,
    /// Unencrypted: a finding at `at`, "storage is not encrypted at rest: ...".
    Unencrypted { at: AttrPath, why: Vec<String> },
    /// Undecidable from the template: a note at `at`.
    Undecided { at: AttrPath, message: String },
}

impl<'a> Setting<'a> {
    /// A switch read as on, off or unknown (`tde_status`, `encrypted`): `omitted` says
    /// what an absent one means ("is not set and defaults to false").
    pub fn switch(field: &Field<'a>, value: Attr<'a, bool>, omitted: &str) -> Self {
        let name = field.path();
        match value {
            Attr::Known(true) => Setting::On,
            Attr::Known(false) => Setting::Off {
                at: Some(name.clone()),
                why: format!("`{name}` is {}", flag::written(field)),
            },
            Attr::Absent => Setting::Off {
                at: None,
                why: format!("`{name}` {omitted}"),
            },
            Attr::Unknown(unknown) => Setting::Unknown(unknown),
        }
    }
}

impl AtRest {
    /// Encrypted when any setting is on; see the module documentation.
    pub fn any<'a>(settings: impl IntoIterator<Item = Setting<'a>>) -> Self {
        let mut first_unknown = None;
        let mut at = None;
        let mut why = Vec::new();
        for setting in settings {
            match setting {
                Setting::On => return AtRest::Pass,
                Setting::Off {
                    at: written,
                    why: reason,
                } => {
                    if at.is_none() {
                        at = written;
                    }
                    why.push(reason);
                }
                Setting::Unknown(unknown) => {
                    first_unknown.get_or_insert(unknown);
                }
            }
        }
        match first_unknown {
            Some(unknown) => AtRest::undecided(&unknown),
            None => AtRest::Unencrypted {
                at: at.unwrap_or_else(AttrPath::root),
                why,
            },
        }
    }

    /// Undecided because of `unknown`: "could not decide: <reason>" at the unknown value.
    pub fn undecided(unknown: &Unknown<'_>) -> Self {
        AtRest::Undecided {
            at: unknown.path.clone(),
            message: format!("could not decide: {}", unknown.reason),
        }
    }
}

/// The engines RDS disk encryption (`encryption_key`, `EncryptionKey`) exists for; the
/// provider ignores the key for the others.
const DISK_ENCRYPTION_ENGINES: [&str; 3] = ["MySQL", "PostgreSQL", "SQLServer"];

impl<'a> Setting<'a> {
    /// RDS disk encryption: a KMS key (`encryption_key`, ROS `EncryptionKey`) encrypts the
    /// cloud disks, except the value `disabled` and engines other than MySQL, PostgreSQL
    /// and SQL Server (`engine`, ROS `Engine`). A reference to another resource (a key the
    /// configuration creates) is a key.
    pub fn rds_disk_key(key: &Field<'a>, engine: &Field<'a>) -> Self {
        let name = key.path();
        match key.text() {
            Attr::Absent => {
                return Setting::Off {
                    at: None,
                    why: format!("`{name}` is not set (no disk encryption)"),
                };
            }
            // The id of a key the configuration creates (`alicloud_kms_key.rds.id`): a key.
            Attr::Unknown(unknown) if unknown.refers.is_some() => {}
            Attr::Unknown(unknown) => return Setting::Unknown(unknown),
            Attr::Known(value) => {
                let value = value.trim();
                if value.is_empty() || value.eq_ignore_ascii_case("disabled") {
                    return Setting::Off {
                        at: Some(name.clone()),
                        why: format!("`{name}` is {value:?}"),
                    };
                }
            }
        }
        match engine.text() {
            Attr::Known(engine) => {
                let engine = engine.trim();
                if DISK_ENCRYPTION_ENGINES
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(engine))
                {
                    Setting::On
                } else {
                    Setting::Off {
                        at: Some(name.clone()),
                        why: format!(
                            "`{name}` is ignored for engine {engine} (disk encryption exists \
                             for MySQL, PostgreSQL and SQL Server only)"
                        ),
                    }
                }
            }
            Attr::Unknown(unknown) => Setting::Unknown(unknown),
            Attr::Absent => Setting::Unknown(engine.unknown(format!(
                "`{name}` is set but `{}` is not, and disk encryption depends on the engine",
                engine.path()
            ))),
        }
    }
}
