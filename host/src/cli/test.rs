//! `palisade test`: runs one policy component against the fixtures of its crate and shows
//! where its findings differ from the expected ones, like `opa test` or `cfn-guard test`.

use std::path::Path;

use super::args::TestArgs;
use crate::author::cargo::{self, CargoOptions};
use crate::author::fixtures::{self, FixtureResult, TestReport};
use crate::engine::{Engine, Policy, policy_files};
use palisade_model::{Verdict, printable};

/// Builds the crate (or takes `--component`), runs it on every fixture and prints one
/// line per fixture, a diff under each one that fails, and a summary. Exit 1 when a
/// fixture fails, 2 when one cannot be run or the component cannot be built or loaded.
pub fn run_test(args: &TestArgs) -> Verdict {
    if !args.policies.policies.is_empty() {
        eprintln!(
            "error: `palisade test` runs one component, without the built-in policies; \
             give it with --component FILE instead of --policy"
        );
        return Verdict::Error;
    }
    let component = match &args.component {
        Some(file) => file.clone(),
        None => {
            let options = CargoOptions {
                offline: args.cargo.offline,
            };
            match cargo::build(&args.dir, &options) {
                Ok(file) => file,
                Err(error) => {
                    eprintln!("error: {}", printable(&error.to_string()));
                    return Verdict::Error;
                }
            }
        }
    };
    let engine = match super::start_engine(&args.policies) {
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("error: {}", printable(&error.to_string()));
            return Verdict::Error;
        }
    };
    let policy = match load_component(&engine, &component) {
        // A built-in family is tested as the runner runs it: seeing sensitive values.
        Ok(mut policy) => {
            policy.builtin = is_builtin_family(&args.dir);
            policy
        }
        Err(message) => {
            eprintln!("error: {}", printable(&message.to_string()));
            return Verdict::Error;
        }
    };
    let report = match fixtures::run_all(&policy, &args.dir) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {}", printable(&error.to_string()));
            return Verdict::Error;
        }
    };
    super::print(&render(&report));
    if report.errors() > 0 {
        Verdict::Error
    } else if report.failed() > 0 {
        Verdict::Fail
    } else {
        Verdict::Pass
    }
}

/// The component at `file`, loaded alone: what a fixture checks is this policy's
/// findings, not the built-ins'.
fn load_component(engine: &Engine, file: &Path) -> Result<Policy, String> {
    if file.is_dir() {
        return Err(format!(
            "{} is a directory; --component takes one .wasm file",
            file.display()
        ));
    }
    let source = policy_files(file)
        .map_err(|error| error.to_string())?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{}: no component", file.display()))?;
    engine.load(source).map_err(|error| error.to_string())
}

/// The report as the terminal shows it.
fn render(report: &TestReport) -> String {
    let mut out = String::new();
    for run in &report.runs {
        let name = &run.fixture.name;
        match &run.result {
            FixtureResult::Passed { findings } => {
                out += &format!("ok     {name} ({})\n", plural(*findings, "finding"));
            }
            FixtureResult::Failed(comparison) => {
                out += &format!("FAILED {name}\n");
                for expected in &comparison.missing {
                    out += &format!("  - expected {expected}\n");
                }
                for found in &comparison.unexpected {
                    out += &format!("  + found    {found}\n");
                }
            }
            FixtureResult::Errors(errors) => {
                out += &format!("ERROR  {name}\n");
                for error in errors {
                    out += &format!("  error: {error}\n");
                }
            }
        }
    }
    out += &format!(
        "\n{}: {} passed",
        plural(report.runs.len(), "fixture"),
        report.passed()
    );
    if report.failed() > 0 {
        out += &format!(", {} failed", report.failed());
    }
    if report.errors() > 0 {
        out += &format!(", {} with errors", report.errors());
    }
    out.push('\n');
    out
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Whether the crate in `dir` is one of the rule families built into the runner
/// (`[package.metadata.palisade] builtin = true`).
fn is_builtin_family(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
        return false;
    };
    let Ok(manifest) = text.parse::<toml::Table>() else {
        return false;
    };
    manifest
        .get("package")
        .and_then(|package| package.get("metadata"))
        .and_then(|metadata| metadata.get("palisade"))
        .and_then(|palisade| palisade.get("builtin"))
        .and_then(toml::Value::as_bool)
        == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::author::expect::{Comparison, Expected, Found};
    use crate::author::fixtures::{Fixture, FixtureRun};

    fn run(name: &str, result: FixtureResult) -> FixtureRun {
        FixtureRun {
            fixture: Fixture {
                name: name.into(),
                dir: name.into(),
                rule: None,
            },
            result,
        }
    }

    #[test]
    fn the_report_shows_each_fixture_a_diff_and_a_summary() {
        let comparison = Comparison {
            missing: vec![Expected {
                rule: "open-ssh".into(),
                resource: "aws_security_group.web".into(),
                line: Some(5),
                file: None,
                severity: None,
                message: None,
            }],
            unexpected: vec![Found {
                rule: "open-ssh".into(),
                resource: "aws_security_group.web".into(),
                file: "main.tf".into(),
                line: 6,
                severity: "high".into(),
                message: "SSH (TCP 22) open".into(),
            }],
        };
        let report = TestReport {
            runs: vec![
                run("closed", FixtureResult::Passed { findings: 0 }),
                run("open", FixtureResult::Passed { findings: 1 }),
                run("moved", FixtureResult::Failed(comparison)),
                run(
                    "broken",
                    FixtureResult::Errors(vec!["main.tf:1:1: bad".into()]),
                ),
            ],
        };
        assert_eq!(
            render(&report),
            "ok     closed (0 findings)\n\
             ok     open (1 finding)\n\
             FAILED moved\n  \
               - expected line 5 open-ssh aws_security_group.web\n  \
               + found    main.tf:6 high open-ssh aws_security_group.web: SSH (TCP 22) open\n\
             ERROR  broken\n  \
               error: main.tf:1:1: bad\n\
             \n\
             4 fixtures: 2 passed, 1 failed, 1 with errors\n"
        );
        let passing = TestReport {
            runs: vec![run("open", FixtureResult::Passed { findings: 1 })],
        };
        assert!(render(&passing).ends_with("\n1 fixture: 1 passed\n"));
    }
}
