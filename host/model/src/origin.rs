//! Where a value comes from when it is not written where it is used: a finding on
//! `acl = var.acl` is about a value set in a variables file, a module call or a ROS
//! parameter default, and says so.
//!
//! Loaders record origins as data, with typed locations, so that a later step can move
//! them (an embedded Terraform workspace's lines become the ROS template's lines) without
//! reading text back; only [`fmt::Display`] turns them into the words a report shows.

use std::fmt;
use std::path::{Path, PathBuf};

use super::Position;

/// Where a value comes from: every variable or parameter it was computed from, shown
/// joined by `; `.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    pub sources: Vec<Source>,
}

/// One input a value was computed from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A Terraform variable: `var.acl from default at variables.tf:3:13`.
    Variable { name: String, setting: Setting },
    /// A ROS parameter: `parameter Acl: default at template.yaml:4:16`.
    Parameter { name: String, setting: Setting },
    /// The branch of a ROS condition the value belongs to: `when IsProd is true`.
    Branch(String),
    /// The root module whose call reached a module's resource: `in root module envs/prod`.
    /// The same module file called from two roots gives findings that differ by it.
    Root(String),
    /// Where a resource of a downloaded module is written, which the report shows at
    /// the module call that brings it in: `defined at acme/net/alicloud@1.3.0/main.tf:4:1`.
    Downloaded(Location),
}

/// How a variable or parameter got its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// The declaration's default.
    Default(Location),
    /// An assignment in a file: `terraform.tfvars`, `-var-file`, `--parameters`.
    File(Location),
    /// A `TF_VAR_NAME` environment variable, by `NAME`.
    Environment(String),
    /// A command-line option: `-var`, `--param`.
    Flag(&'static str),
    /// An argument of a module call: `set by module.net[0] at main.tf:7:3`, and where that
    /// argument's own value comes from, if it reads variables.
    ModuleInput {
        call: String,
        at: Location,
        upstream: Option<Box<Origin>>,
    },
    /// A ROS parameter passed to the Terraform variable of the same name (a
    /// `Transform: Aliyun::Terraform` workspace).
    Parameter { name: String, setting: Box<Setting> },
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub file: PathBuf,
    pub position: Position,
}

impl Origin {
    /// An origin of one source.
    pub fn of(source: Source) -> Self {
        Self {
            sources: vec![source],
        }
    }

    /// Whether no source is known.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Visits every location the origin names, to move it.
    pub fn locations_mut(&mut self, visit: &mut dyn FnMut(&mut Location)) {
        for source in &mut self.sources {
            match source {
                Source::Variable { setting, .. } | Source::Parameter { setting, .. } => {
                    setting.locations_mut(visit);
                }
                // A downloaded package's path, not a file of the inputs.
                Source::Branch(_) | Source::Root(_) | Source::Downloaded(_) => {}
            }
        }
    }
}

impl Setting {
    /// Visits every location the setting names, to move it.
    pub fn locations_mut(&mut self, visit: &mut dyn FnMut(&mut Location)) {
        match self {
            Setting::Default(at) | Setting::File(at) => visit(at),
            Setting::Environment(_) | Setting::Flag(_) => {}
            Setting::ModuleInput { at, upstream, .. } => {
                visit(at);
                if let Some(upstream) = upstream {
                    upstream.locations_mut(visit);
                }
            }
            Setting::Parameter { setting, .. } => setting.locations_mut(visit),
        }
    }
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, position: Position) -> Self {
        Self {
            file: file.into(),
            position,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, source) in self.sources.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{source}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Variable {
                name,
                setting: setting @ Setting::ModuleInput { .. },
            } => write!(f, "var.{name} {setting}"),
            Source::Variable { name, setting } => write!(f, "var.{name} from {setting}"),
            Source::Parameter { name, setting } => write!(f, "parameter {name}: {setting}"),
            Source::Branch(when) => f.write_str(when),
            Source::Root(root) => write!(f, "in root module {root}"),
            Source::Downloaded(at) => write!(f, "defined at {}", at.shown()),
        }
    }
}

impl fmt::Display for Setting {
    /// `default at variables.tf:3:13`, `prod.tfvars:4:1`, `TF_VAR_acl`, `-var`,
    /// `set by module.net at main.tf:7:3, from var.acl from -var`,
    /// `parameter Acl: --param`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Setting::Default(at) => write!(f, "default at {}", at.shown()),
            Setting::File(at) => write!(
                f,
                "{}:{}:{}",
                at.file.display(),
                at.position.line,
                at.position.column
            ),
            Setting::Environment(name) => write!(f, "TF_VAR_{name}"),
            Setting::Flag(flag) => f.write_str(flag),
            Setting::ModuleInput { call, at, upstream } => {
                write!(f, "set by {call} at {}", at.shown())?;
                match upstream {
                    Some(upstream) => write!(f, ", from {upstream}"),
                    None => Ok(()),
                }
            }
            Setting::Parameter { name, setting } => write!(f, "parameter {name}: {setting}"),
        }
    }
}

impl Location {
    /// `file:line:column`, with the file as messages show paths (no leading `./`).
    fn shown(&self) -> String {
        format!(
            "{}:{}:{}",
            shown(&self.file),
            self.position.line,
            self.position.column
        )
    }
}

/// A path as messages show it: without a leading `./`.
fn shown(path: &Path) -> std::path::Display<'_> {
    path.strip_prefix(".").unwrap_or(path).display()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: &str, line: u32, column: u32) -> Location {
        Location::new(file, Position::new(line, column))
    }

    #[test]
    fn origins_read_as_before() {
        let upstream = Origin::of(Source::Variable {
            name: "acl".into(),
            setting: Setting::Flag("-var"),
        });
        let origin = Origin {
            sources: vec![
                Source::Variable {
                    name: "acl".into(),
                    setting: Setting::Default(at("./variables.tf", 3, 13)),
                },
                Source::Variable {
                    name: "cidr".into(),
                    setting: Setting::ModuleInput {
                        call: "module.net[0]".into(),
                        at: at("main.tf", 7, 3),
                        upstream: Some(Box::new(upstream)),
                    },
                },
                Source::Parameter {
                    name: "Acl".into(),
                    setting: Setting::File(at("./params.json", 2, 3)),
                },
                Source::Branch("when IsProd is true".into()),
            ],
        };
        assert_eq!(
            origin.to_string(),
            "var.acl from default at variables.tf:3:13; \
             var.cidr set by module.net[0] at main.tf:7:3, from var.acl from -var; \
             parameter Acl: ./params.json:2:3; when IsProd is true"
        );
    }

    #[test]
    fn every_location_can_be_moved() {
        let mut origin = Origin::of(Source::Variable {
            name: "x".into(),
            setting: Setting::ModuleInput {
                call: "module.m".into(),
                at: at("a.tf", 1, 1),
                upstream: Some(Box::new(Origin::of(Source::Variable {
                    name: "y".into(),
                    setting: Setting::Default(at("b.tf", 2, 2)),
                }))),
            },
        });
        let mut seen = Vec::new();
        origin.locations_mut(&mut |location| {
            seen.push(location.file.clone());
            location.position = Position::new(9, 9);
        });
        assert_eq!(seen, [PathBuf::from("a.tf"), PathBuf::from("b.tf")]);
        assert!(
            origin
                .to_string()
                .contains("a.tf:9:9, from var.y from default at b.tf:9:9")
        );
    }
}
