//! The build script of a rule family: finds the rule files under `src/rules/` and writes
//! the module that declares them and lists them, so that adding a rule to a family is
//! adding one file.
//!
//! A family crate's `build.rs` is one line, `fn main() { palisade_family_build::generate(); }`,
//!
//! and its `lib.rs` ends with `palisade_policy::family!();`, which includes the
//! generated module and exports every rule as one component. Each `src/rules/<name>.rs`
//! declares `pub const RULE: Rule` with the id `<name>` (`_` written `-`) and
//! `pub fn evaluate(resources: &[&Resource]) -> Evaluation` (in a family with a shared
//! reading, `evaluate(input: &Input<..>)`: see `palisade_policy::family`);
//! subdirectories (a rule's `tests.rs`) and other files (its Markdown page) are left to
//! the rule itself.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// The file written into `OUT_DIR`, which `palisade_policy::family!` includes.
pub const GENERATED: &str = "palisade_rules.rs";

/// Writes `$OUT_DIR/palisade_rules.rs` for the crate being built, and asks cargo to run
/// the build script again when a rule file is added or removed.
///
/// # Panics
///
/// When cargo's variables are missing or the rule directory cannot be read or holds
/// no rule: a build script reports failure by panicking, and the message is the
/// build error.
pub fn generate() {
    let crate_dir = env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let rules_dir = Path::new(&crate_dir).join("src").join("rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let names = rule_names(&rules_dir).unwrap_or_else(|error| panic!("{error}"));
    let code = module(&rules_dir, &names);
    let file = PathBuf::from(out_dir).join(GENERATED);
    fs::write(&file, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
}

/// The module names of the rule files in `dir`, sorted: every `*.rs` file directly in
/// it.
pub fn rule_names(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if !path.is_file() || path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .filter(|stem| is_module_name(stem))
            .ok_or_else(|| {
                format!(
                    "{}: a rule file is named after its rule id, in lowercase letters, \
                     digits and `_` (`open_ssh.rs` for `open-ssh`)",
                    path.display()
                )
            })?;
        names.push(name.to_owned());
    }
    if names.is_empty() {
        return Err(format!(
            "{} holds no rule: add one `<rule_id>.rs` per rule",
            dir.display()
        ));
    }
    names.sort();
    Ok(names)
}

fn is_module_name(stem: &str) -> bool {
    stem.starts_with(|c: char| c.is_ascii_lowercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The generated source: `mod rules` loaded from `rules_dir`, one `pub mod` per rule,
/// the list of rules, the function that runs the selected ones (each given the
/// resources of its types and the family's shared reading, `crate::FamilyShared`, which
/// `family!` declares), and a compile-time check that each rule's id is its file name.
pub fn module(rules_dir: &Path, names: &[String]) -> String {
    let mut code = String::new();
    let _ = writeln!(
        code,
        "/// The rules of this family, one per file under `src/rules/`."
    );
    let _ = writeln!(code, "#[path = {:?}]", rules_dir.display().to_string());
    let _ = writeln!(code, "pub mod rules {{");
    for name in names {
        let _ = writeln!(code, "    pub mod {name};");
    }
    let _ = writeln!(code);
    let _ = writeln!(
        code,
        "    /// Every rule of the family, in file name order."
    );
    let _ = writeln!(code, "    pub const ALL: &[::palisade_policy::Rule] = &[");
    for name in names {
        let _ = writeln!(code, "        {name}::RULE,");
    }
    let _ = writeln!(code, "    ];");
    let _ = writeln!(code);
    let _ = writeln!(
        code,
        "    /// Runs the rules `selection` selects on `resources` and merges what they report."
    );
    let _ = writeln!(code, "    #[allow(clippy::redundant_closure)]");
    let _ = writeln!(
        code,
        "    pub fn evaluate(\n        resources: &[::palisade_policy::Resource],\n        \
         selection: ::palisade_policy::family::Selection<'_>,\n    ) -> ::palisade_policy::Evaluation {{"
    );
    let _ = writeln!(
        code,
        "        let mut run = ::palisade_policy::family::Run::<super::FamilyShared<'_>>::new(resources, selection);"
    );
    for name in names {
        let _ = writeln!(
            code,
            "        run.rule(&{name}::RULE, |input| {name}::evaluate(input));"
        );
    }
    let _ = writeln!(code, "        run.finish()");
    let _ = writeln!(code, "    }}");
    for name in names {
        let id = name.replace('_', "-");
        let _ = writeln!(
            code,
            "    const _: () = assert!(::palisade_policy::family::id_is(&{name}::RULE, {id:?}), \
             \"the rule in {name}.rs must have the id `{id}`\");"
        );
    }
    let _ = writeln!(code, "}}");
    code
}

#[cfg(test)]
mod tests;
