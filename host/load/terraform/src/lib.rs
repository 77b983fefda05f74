//! Terraform configurations: one root module (the `.tf` and `.tf.json` files of a
//! directory, and every module it calls) to one [`DocumentSet`].
//!
//! Loading has two phases: every module directory of the scan is parsed (native syntax
//! with [`hcl`], JSON syntax with [`eval::json_structure`]), then each root module is
//! evaluated ([`eval`]) with the modules it calls, whichever syntax each file is in.
//! [`spans`] locates native syntax.

mod eval;
mod hcl;
mod spans;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use palisade_model::{DocumentSet, Format, Limits, LoadError, Setting};
use palisade_modules::Downloader;
use palisade_syntax::source;
use rayon::prelude::*;

use eval::children::Children;
use eval::functions::MemoryFiles;
use eval::module::{Module, Place};
use eval::syntax::SourceFile;
use eval::variables;

pub use eval::variables::{CliInput, Inputs};
pub use palisade_modules as modules;

/// What the user gives the Terraform loader.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// What loading may spend: file sizes, instances, value sizes, depth.
    pub limits: Limits,
    /// Input variables from `--var-file`, `--var` and `TF_VAR_*`.
    pub inputs: Inputs,
    /// Fetches registry, git and archive modules that `terraform init` has not
    /// installed (`--download-modules`); without it they are errors.
    pub downloads: Option<Arc<Downloader>>,
}

/// What evaluating one root module produced: its resources, every problem found in it
/// or in the modules it calls, and how many files were read.
#[derive(Debug)]
pub struct RootLoad {
    pub set: DocumentSet,
    pub errors: Vec<LoadError>,
    pub files: usize,
}

/// The parsed files of one module directory, shared by every call of that module.
pub(crate) struct ModuleFiles {
    pub dir: PathBuf,
    /// The `.tf` and `.tf.json` files, in the order given.
    pub sources: Vec<SourceFile>,
    /// Files that could not be read or parsed, and problems of JSON files that load.
    pub errors: Vec<LoadError>,
    pub files: usize,
}

/// Reads and parses the module in `dir` from `files`, in parallel; a file that cannot be
/// read or parsed is reported and the others still load.
pub(crate) fn parse_module(dir: &Path, files: &[PathBuf], options: &Options) -> ModuleFiles {
    let parsed = files
        .par_iter()
        .map(|file| parse_file(file, options))
        .collect();
    module_files(dir, parsed)
}

/// The parsed files of a module, in the order of `parsed`.
fn module_files(
    dir: &Path,
    parsed: Vec<Result<(SourceFile, Vec<LoadError>), LoadError>>,
) -> ModuleFiles {
    let files = parsed.len();
    let mut module = ModuleFiles {
        dir: dir.to_path_buf(),
        sources: Vec::new(),
        errors: Vec::new(),
        files,
    };
    for file in parsed {
        match file {
            Ok((source, problems)) => {
                module.sources.push(source);
                module.errors.extend(problems);
            }
            Err(error) => module.errors.push(error),
        }
    }
    module
}

/// Reads a module directory that discovery did not list (a module called from outside
/// the scanned paths, or one installed under `.terraform/modules`).
pub(crate) fn read_module_dir(dir: &Path, options: &Options) -> ModuleFiles {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| {
                    path.is_file()
                        && path
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    // On the calling thread: evaluation runs outside the thread pool, whose workers may
    // all be waiting for evaluations to end, so a parallel parse here could never start.
    let parsed = files.iter().map(|file| parse_file(file, options)).collect();
    module_files(dir, parsed)
}

impl ModuleFiles {
    /// The directories this module calls with a local `source` (`./modules/web`), so
    /// that a directory only ever used as a child is not also checked as a root.
    pub fn local_calls(&self) -> Vec<PathBuf> {
        self.sources
            .iter()
            .flat_map(SourceFile::blocks)
            .filter(|declared| declared.kind == "module")
            .filter_map(|declared| {
                let source = declared.block.attribute("source")?.literal_text()?;
                local_source(source).then(|| normalize(&self.dir.join(source)))
            })
            .collect()
    }
}

/// Whether a module `source` is a path on disk rather than a registry or remote address.
pub(crate) fn local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// `path` with `.` and `..` components resolved lexically, so that `a/./b/../c` and
/// `a/c` are one module.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Loads the Terraform module directories a scan found, as `(dir, files)`: all are parsed,
/// then the roots are evaluated. A directory that another one calls with a local
/// `source` is evaluated through that call, with its inputs, not as a root of its own.
/// `scanned` are the paths the user gave, which bound what file functions may read.
pub fn evaluate_roots(
    modules: &[(&Path, &[PathBuf])],
    scanned: &[PathBuf],
    options: &Options,
) -> Vec<RootLoad> {
    let parsed: Vec<ModuleFiles> = modules
        .par_iter()
        .map(|(dir, files)| parse_module(dir, files, options))
        .collect();
    let library: Library<'_> = parsed
        .iter()
        .map(|module| (normalize(&module.dir), module))
        .collect();
    let called: HashSet<PathBuf> = parsed
        .iter()
        .flat_map(|module| {
            let own = normalize(&module.dir);
            module
                .local_calls()
                .into_iter()
                .filter(move |dir| *dir != own)
        })
        .collect();
    parsed
        .par_iter()
        .filter(|module| !called.contains(&normalize(&module.dir)))
        .map(|module| {
            let scan_root = scan_root(&module.dir, scanned);
            evaluate_root(module, &library, options, &scan_root)
        })
        .collect()
}

/// Evaluates `root` as a root module: its variables from the user's inputs, its
/// resources and those of every module it calls.
pub(crate) fn evaluate_root(
    root: &ModuleFiles,
    library: &Library<'_>,
    options: &Options,
    scan_root: &Path,
) -> RootLoad {
    let presets = BTreeMap::new();
    on_evaluation_stack(root, &options.limits, || {
        evaluate_here(root, library, options, scan_root, &presets, None)
    })
}

/// A value set for a root module's variable by what embeds the module (a ROS template
/// passes its parameters to its `Workspace`), over the variable's default.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    pub value: serde_json::Value,
    /// Where the value comes from: a ROS parameter, and how it was set (none for a
    /// parameter nobody gave, whose value is unknown).
    pub origin: Option<Setting>,
}

/// Evaluates Terraform files held in memory, as `(path, text)`: the `.tf` and `.tf.json`
/// files directly in `dir` are the root module, those in its subdirectories modules it
/// may call with a local `source`; a `source` outside `dir` is an error, and no module is
/// read from disk but those `downloads` fetches. Every file, code or not, is what file functions (`file`,
/// `templatefile`, `fileexists`, `fileset`) read: they never read the disk.
/// The user's Terraform inputs do not apply; `presets` set the root module's variables
/// that it declares. No variables file is read when `dir` does not exist.
pub fn evaluate_files(
    dir: &Path,
    files: Vec<(PathBuf, String)>,
    presets: &BTreeMap<String, Preset>,
    limits: Limits,
    downloads: Option<Arc<Downloader>>,
) -> RootLoad {
    let options = Options {
        limits,
        inputs: Inputs::default(),
        downloads,
    };
    let memory: MemoryFiles = files
        .iter()
        .map(|(path, text)| (normalize(path), text.clone()))
        .collect();
    let code = files.into_iter().filter(|(path, _)| {
        let name = path.to_string_lossy();
        name.ends_with(".tf") || name.ends_with(".tf.json")
    });
    let mut modules: BTreeMap<PathBuf, ModuleFiles> = BTreeMap::new();
    for (path, text) in code {
        let module_dir = normalize(path.parent().unwrap_or(dir));
        let module = modules
            .entry(module_dir.clone())
            .or_insert_with(|| ModuleFiles {
                dir: module_dir,
                sources: Vec::new(),
                errors: Vec::new(),
                files: 0,
            });
        module.files += 1;
        match SourceFile::parse(&path, text) {
            Ok((source, problems)) => {
                module.sources.push(source);
                module.errors.extend(problems);
            }
            Err(error) => module.errors.push(error),
        }
    }
    let root_dir = normalize(dir);
    let empty = ModuleFiles {
        dir: root_dir.clone(),
        sources: Vec::new(),
        errors: Vec::new(),
        files: 0,
    };
    let root = modules.get(&root_dir).unwrap_or(&empty);
    let library: Library<'_> = modules
        .iter()
        .map(|(dir, module)| (dir.clone(), module))
        .collect();
    let mut outcome = on_evaluation_stack(root, &options.limits, || {
        evaluate_here(root, &library, &options, &root_dir, presets, Some(&memory))
    });
    outcome.files = modules.values().map(|module| module.files).sum();
    // Modules that the root does not call are still checked, as ROS deploys only the root.
    outcome.errors.extend(
        modules
            .values()
            .filter(|module| module.dir != root_dir)
            .flat_map(|module| module.errors.iter().cloned()),
    );
    outcome
}

/// Stack bytes one level of nesting may take: the frames between two counted levels
/// (an expression inside another, a reference to a local, a resource or a module output,
/// a `templatefile` rendering a template) measured at 1.1 to 3.3 KiB in release builds
/// (the most for chains of resources with `dynamic` blocks), four times over: what runs
/// below the deepest level (walking a value, converting it) needs room too.
const STACK_PER_LEVEL: u64 = 16 * 1024;

/// The stack of an evaluation thread: room for `--max-depth` levels at
/// [`STACK_PER_LEVEL`], and for what runs around them. 10,000 levels take 160 MiB of
/// address space, of which only the pages a deep evaluation touches are ever used.
fn evaluation_stack(limits: &Limits) -> usize {
    const BASE: u64 = 4 * 1024 * 1024;
    let bytes = limits
        .depth
        .saturating_mul(STACK_PER_LEVEL)
        .saturating_add(BASE);
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

/// Runs `evaluate` (of the root module `root`) on a thread of its own, whose stack holds
/// the deepest evaluation `--max-depth` allows: references are followed by recursion,
/// and a chain of them must end in a depth error, never in a stack overflow.
fn on_evaluation_stack(
    root: &ModuleFiles,
    limits: &Limits,
    evaluate: impl FnOnce() -> RootLoad + Send,
) -> RootLoad {
    let stack = evaluation_stack(limits);
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("terraform-eval".to_owned())
            .stack_size(stack)
            .spawn_scoped(scope, evaluate);
        match thread {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(error) => {
                let message = format!(
                    "cannot start an evaluation with a stack of {stack} bytes ({error}): lower --max-depth"
                );
                unevaluated(root, message)
            }
        }
    })
}

/// The outcome of a root module that could not be evaluated, and why.
fn unevaluated(root: &ModuleFiles, message: String) -> RootLoad {
    let file = root
        .sources
        .first()
        .map_or_else(|| root.dir.clone(), |s| s.path.clone());
    let mut errors = root.errors.clone();
    errors.push(LoadError::whole_file(file, message));
    RootLoad {
        set: DocumentSet {
            format: Format::Terraform,
            origin: root.dir.clone(),
            resources: Vec::new(),
        },
        errors,
        files: root.files,
    }
}

/// Evaluates `root` on the calling thread, within one [`eval::budget::Budget`] for it and
/// every module it calls.
fn evaluate_here(
    root: &ModuleFiles,
    library: &Library<'_>,
    options: &Options,
    scan_root: &Path,
    presets: &BTreeMap<String, Preset>,
    memory: Option<&MemoryFiles>,
) -> RootLoad {
    let mut errors = root.errors.clone();
    let mut declarations = Vec::new();
    for source in &root.sources {
        let (found, problems) = variables::declarations(source);
        declarations.extend(found);
        errors.extend(problems);
    }
    let resolved = variables::values(
        &declarations,
        &root.dir,
        &options.inputs,
        options.limits.file_size,
        scan_root,
    );
    errors.extend(resolved.errors);

    // Files in memory are found by the paths they were given under.
    let file_base = match memory {
        Some(_) => root.dir.clone(),
        None => std::fs::canonicalize(&root.dir).unwrap_or_else(|_| root.dir.clone()),
    };
    let children = if memory.is_some() {
        Children::in_memory(library, &root.dir, options)
    } else {
        Children::new(library, &root.dir, options)
    };
    let budget = eval::budget::Budget::new(options.limits);
    let place = Place {
        dir: &root.dir,
        root_dir: &root.dir,
        file_base: &file_base,
        scan_root,
        memory,
        key: String::new(),
        package: None,
        children: &children,
        budget: &budget,
    };
    let mut origins = resolved.origins;
    let mut values = resolved.values;
    for (name, preset) in presets {
        if let Some(value) = values.get_mut(name) {
            *value = eval::value::Value::from_evaluated(&preset.value);
            match &preset.origin {
                Some(origin) => origins.insert(name.clone(), origin.clone()),
                None => origins.remove(name),
            };
        }
    }
    let module = Module::new(place, String::new(), &root.sources, values, origins);
    let (resources, problems) = module.finish();
    errors.extend(problems);
    RootLoad {
        set: DocumentSet {
            format: Format::Terraform,
            origin: root.dir.clone(),
            resources,
        },
        errors,
        files: root.files,
    }
}

/// Every module directory of the scan, parsed once, by normalized path.
pub(crate) type Library<'a> = HashMap<PathBuf, &'a ModuleFiles>;

/// Reads and parses one file of a module.
fn parse_file(file: &Path, options: &Options) -> Result<(SourceFile, Vec<LoadError>), LoadError> {
    let text = source::read_text(file, options.limits.file_size)?;
    SourceFile::parse(file, text)
}

/// The directory file functions may read under for a module in `dir`: the path the
/// user asked to scan that holds it, else the module's own directory.
pub(crate) fn scan_root(dir: &Path, scanned: &[PathBuf]) -> PathBuf {
    let module = normalize(dir);
    let given = scanned
        .iter()
        .map(|path| {
            if path.is_file() {
                path.parent().unwrap_or(path).to_path_buf()
            } else {
                path.clone()
            }
        })
        .map(|path| normalize(&path))
        .find(|path| {
            let below_cwd =
                path == Path::new(".") && module.is_relative() && !module.starts_with("..");
            below_cwd || module.starts_with(path)
        })
        .unwrap_or(module);
    std::fs::canonicalize(&given).unwrap_or(given)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod json_tests;

#[cfg(test)]
mod limits_tests;

#[cfg(test)]
mod semantics_tests;

#[cfg(test)]
mod documents_tests;
