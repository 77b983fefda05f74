//! The modules a root module calls: found on disk for a local `source`, or where
//! `terraform init` installed them (`.terraform/modules/modules.json`) for a registry or
//! remote one, else fetched into the module cache when the user asked for downloads.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::Options;
use crate::{Library, ModuleFiles, normalize, read_module_dir};
use palisade_model::LoadError;
use palisade_modules::Package;

/// Where a module instance finds the modules it calls.
pub trait ModuleSource {
    /// The module in `dir` (a local `source` joined to the caller's directory).
    fn local(&self, dir: &Path) -> Found<'_>;
    /// The directory `terraform init` installed the module call `key` into
    /// (`web`, `web.sg` for a call inside module `web`), if it did.
    fn installed(&self, key: &str) -> Option<PathBuf>;
    /// The package a registry, git or archive `source` names, fetched (or why it could
    /// not be); `None` when downloading is off.
    fn download(&self, source: &str, version: Option<&str>)
    -> Option<Result<Arc<Package>, String>>;
    /// The problems of `module`'s own files, the first time it is used in this root.
    fn first_use(&self, module: &ModuleFiles) -> Vec<LoadError>;
    /// Why the module in `dir` may not be used (it is outside what may be read, or there
    /// is no such directory, which Terraform refuses too), if it may not.
    fn refused(&self, dir: &Path) -> Option<String>;
}

/// A parsed module: one of the scan's, or one read for this root.
pub enum Found<'a> {
    Scanned(&'a ModuleFiles),
    Read(Rc<ModuleFiles>),
}

impl Found<'_> {
    pub fn files(&self) -> &ModuleFiles {
        match self {
            Found::Scanned(module) => module,
            Found::Read(module) => module,
        }
    }
}

/// The modules of one root module's evaluation.
pub struct Children<'l> {
    library: &'l Library<'l>,
    options: &'l Options,
    root_dir: &'l Path,
    /// `modules.json`: call key to installed directory.
    installed: HashMap<String, PathBuf>,
    read: RefCell<HashMap<PathBuf, Rc<ModuleFiles>>>,
    used: RefCell<HashSet<PathBuf>>,
    /// The directory of files held in memory (a ROS `Workspace`): modules come only from
    /// them and from downloaded packages, and nothing else is read from disk.
    in_memory: Option<PathBuf>,
    /// The roots of the packages fetched for this root module, whose modules are read
    /// from disk.
    packages: RefCell<Vec<PathBuf>>,
}

impl<'l> Children<'l> {
    pub fn new(library: &'l Library<'l>, root_dir: &'l Path, options: &'l Options) -> Self {
        Self {
            library,
            options,
            root_dir,
            installed: installed_modules(root_dir),
            read: RefCell::new(HashMap::new()),
            used: RefCell::new(HashSet::new()),
            in_memory: None,
            packages: RefCell::new(Vec::new()),
        }
    }

    /// The modules of files held in memory under `root_dir`: only those, never the disk.
    pub fn in_memory(library: &'l Library<'l>, root_dir: &'l Path, options: &'l Options) -> Self {
        Self {
            library,
            options,
            root_dir,
            installed: HashMap::new(),
            read: RefCell::new(HashMap::new()),
            used: RefCell::new(HashSet::new()),
            in_memory: Some(normalize(root_dir)),
            packages: RefCell::new(Vec::new()),
        }
    }
}

/// Whether `dir` is `root` or below it, both normalized.
fn within(dir: &Path, root: &Path) -> bool {
    if root == Path::new(".") {
        return dir.is_relative() && !dir.starts_with("..");
    }
    dir.starts_with(root)
}

impl ModuleSource for Children<'_> {
    fn local(&self, dir: &Path) -> Found<'_> {
        let dir = normalize(dir);
        if let Some(module) = self.library.get(&dir) {
            return Found::Scanned(module);
        }
        let downloaded = self
            .packages
            .borrow()
            .iter()
            .any(|root| dir.starts_with(root));
        let read = |dir: &Path| match self.in_memory {
            Some(_) if !downloaded => ModuleFiles {
                dir: dir.to_path_buf(),
                sources: Vec::new(),
                errors: Vec::new(),
                files: 0,
            },
            _ => read_module_dir(dir, self.options),
        };
        let module = Rc::clone(
            self.read
                .borrow_mut()
                .entry(dir.clone())
                .or_insert_with(|| Rc::new(read(&dir))),
        );
        Found::Read(module)
    }

    fn refused(&self, dir: &Path) -> Option<String> {
        let dir = normalize(dir);
        let scanned = self.library.contains_key(&dir);
        match &self.in_memory {
            Some(root) if !within(&dir, root) => {
                Some("it is outside the workspace, whose modules are all its own files".to_owned())
            }
            Some(_) if !scanned => Some("the workspace has no such directory".to_owned()),
            None if !scanned && !dir.is_dir() => Some("there is no such directory".to_owned()),
            _ => None,
        }
    }

    fn installed(&self, key: &str) -> Option<PathBuf> {
        self.installed.get(key).map(|dir| self.root_dir.join(dir))
    }

    fn download(
        &self,
        source: &str,
        version: Option<&str>,
    ) -> Option<Result<Arc<Package>, String>> {
        let fetched = self.options.downloads.as_ref()?.fetch(source, version);
        if let Ok(package) = &fetched {
            let mut packages = self.packages.borrow_mut();
            if !packages.contains(&package.root) {
                packages.push(package.root.clone());
            }
        }
        Some(fetched)
    }

    fn first_use(&self, module: &ModuleFiles) -> Vec<LoadError> {
        if self.used.borrow_mut().insert(normalize(&module.dir)) {
            module.errors.clone()
        } else {
            Vec::new()
        }
    }
}

/// The `Key` to `Dir` entries of `.terraform/modules/modules.json`, if the file is there.
fn installed_modules(root_dir: &Path) -> HashMap<String, PathBuf> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: PathBuf,
    }
    let path = root_dir.join(".terraform/modules/modules.json");
    let manifest: Option<Manifest> = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    manifest
        .map(|m| {
            m.modules
                .into_iter()
                .filter(|e| !e.key.is_empty())
                .map(|e| (e.key, e.dir))
                .collect()
        })
        .unwrap_or_default()
}
