//! Fetching the modules a Terraform configuration calls, as `terraform init` would: a
//! registry module at the newest version its `version` constraint allows (the module
//! registry protocol), a git repository at a reference, or an archive over HTTPS; each
//! unpacked into a cache that later runs reuse.
//!
//! Downloading is asked for (`--download-modules`); a template chooses what is fetched,
//! so everything here is bounded: one deadline per package, a size for what is
//! downloaded and unpacked, a number of packages per run, `http(s)` transports only, and
//! nothing is written outside the package's own directory in the cache.

mod address;
mod archive;
mod constraint;
mod git;
mod http;
mod registry;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub use address::{Address, Archive, Kind, RegistryModule, Remote};
pub use constraint::Constraints;

/// Where packages go and what fetching them may spend. The bounds are command-line
/// settings: `palisade.toml` belongs to the repository being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The cache directory (`--module-cache`).
    pub cache: PathBuf,
    /// The most time one package may take, every request and clone included
    /// (`--module-timeout`).
    pub timeout: Duration,
    /// The most bytes one package may download, and unpack to (`--max-module-size`).
    pub max_package_size: u64,
    /// The most packages one run fetches (`--max-modules`).
    pub max_packages: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cache: default_cache(),
            timeout: Duration::from_secs(120),
            max_package_size: 200 * 1024 * 1024,
            max_packages: 100,
        }
    }
}

/// `palisade/modules` in the user's cache directory (`~/.cache` on Linux).
pub fn default_cache() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("palisade")
        .join("modules")
}

/// A fetched module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The called module's directory: the package itself, or its `//subdir`.
    pub dir: PathBuf,
    /// The whole package, which the module may read files of and call modules in.
    pub root: PathBuf,
    /// What the package's paths are shown relative to: its root, or the one directory an
    /// archive holds (`//*`), whose name is only noise (`acme-net-1a2b3c`).
    pub base: PathBuf,
    /// How reports name it: `alibaba/security-group/alicloud@2.4.0`,
    /// `github.com/acme/net@v1.2.0`.
    pub name: String,
}

type Fetched = Result<Arc<Package>, String>;

/// Each `(source, version)` of the run, and its package once fetched.
type Calls = HashMap<(String, Option<String>), Arc<OnceLock<Fetched>>>;

/// Fetches the packages of one run, each at most once however many module calls name it;
/// shared by the threads that evaluate root modules.
pub struct Downloader {
    settings: Settings,
    client: http::Client,
    fetched: Mutex<Calls>,
    /// Whether this run has placed each package directory of the cache. Sources that
    /// differ can share a package (a registry module and its `//subdir`, one repository
    /// at two subdirectories): it is fetched once, and never by two threads at a time,
    /// which would unpack into one partial directory and replace each other's package.
    placed: Mutex<HashMap<PathBuf, Arc<Mutex<bool>>>>,
}

impl std::fmt::Debug for Downloader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Downloader")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Downloader {
    pub fn new(settings: Settings) -> Self {
        Self {
            client: http::Client::new(&settings),
            settings,
            fetched: Mutex::new(HashMap::new()),
            placed: Mutex::new(HashMap::new()),
        }
    }

    /// The module a call's `source` and `version` name, fetched or found in the cache;
    /// `Err` says why it could not be.
    pub fn fetch(&self, source: &str, version: Option<&str>) -> Fetched {
        let key = (source.to_owned(), version.map(str::to_owned));
        let slot = {
            let mut fetched = self.fetched.lock().unwrap_or_else(|e| e.into_inner());
            let count = fetched.len();
            match fetched.get(&key) {
                Some(slot) => Arc::clone(slot),
                None if count >= self.settings.max_packages => {
                    return Err(format!(
                        "more than {} module packages to fetch in one run (--max-modules)",
                        self.settings.max_packages
                    ));
                }
                None => Arc::clone(fetched.entry(key).or_default()),
            }
        };
        slot.get_or_init(|| self.fetch_now(source, version).map(Arc::new))
            .clone()
    }

    fn fetch_now(&self, source: &str, version: Option<&str>) -> Result<Package, String> {
        // One deadline for the package: the registry's answers, redirects and the
        // download share it.
        let deadline = Instant::now() + self.settings.timeout;
        match Address::parse(source)? {
            Address::Registry(module) => {
                let constraints = match version {
                    Some(text) => Constraints::parse(text)?,
                    None => Constraints::any(),
                };
                let (location, chosen) =
                    registry::locate(&self.client, &module, &constraints, deadline)?;
                let remote = match Address::parse(&location) {
                    Ok(Address::Remote(remote)) => remote,
                    Ok(Address::Registry(_)) => {
                        return Err(format!(
                            "the registry sends {module} to another registry module ({location})"
                        ));
                    }
                    Err(why) => {
                        return Err(format!("the registry sends {module} to {location}: {why}"));
                    }
                };
                let subdir = join_subdirs(remote.subdir.as_deref(), module.subdir.as_deref());
                let name = format!("{module}@{chosen}");
                self.package(&remote, subdir.as_deref(), name, deadline)
            }
            Address::Remote(remote) => {
                if version.is_some() {
                    return Err(
                        "`version` applies to registry modules only (give a git source a `?ref=`)"
                            .to_owned(),
                    );
                }
                let remote = self.follow(remote, deadline)?;
                self.package(
                    &remote,
                    remote.subdir.as_deref(),
                    remote.to_string(),
                    deadline,
                )
            }
        }
    }

    /// A URL that is no archive points to the package with `X-Terraform-Get`.
    fn follow(&self, remote: Remote, deadline: Instant) -> Result<Remote, String> {
        if remote.kind != Kind::Redirect {
            return Ok(remote);
        }
        let separator = if remote.url.contains('?') { '&' } else { '?' };
        let url = format!("{}{separator}terraform-get=1", remote.url);
        let reply = self.client.get(&url, None, deadline)?;
        if !(200..300).contains(&reply.status) {
            return Err(format!("GET {url}: status {}", reply.status));
        }
        let location = reply.location.ok_or_else(|| {
            format!(
                "{} is neither an archive nor answers with X-Terraform-Get",
                remote.url
            )
        })?;
        match Address::parse(&http::resolve(&reply.url, &location))? {
            Address::Remote(next) if next.kind != Kind::Redirect => Ok(Remote {
                subdir: join_subdirs(next.subdir.as_deref(), remote.subdir.as_deref()),
                ..next
            }),
            _ => Err(format!(
                "{} points to {location}, which is no package",
                remote.url
            )),
        }
    }

    /// `remote` unpacked in the cache (fetched now unless an earlier run did), and the
    /// module at `subdir` in it.
    fn package(
        &self,
        remote: &Remote,
        subdir: Option<&str>,
        name: String,
        deadline: Instant,
    ) -> Result<Package, String> {
        let identity = format!("{:?}\n{}", remote.kind, remote.url);
        let digest = hex::encode(Sha256::digest(identity.as_bytes()));
        let root = self.settings.cache.join(&digest[..24]);
        // A branch moves: a git source without a reference is fetched again each run.
        let pinned = !matches!(remote.kind, Kind::Git { reference: None });
        let complete = root.join(COMPLETE);
        let slot = Arc::clone(
            self.placed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(root.clone())
                .or_default(),
        );
        let mut placed = slot.lock().unwrap_or_else(|e| e.into_inner());
        let present = *placed || (pinned && complete.is_file());
        if !present {
            self.download(remote, &root, &identity, !pinned, deadline)?;
        }
        *placed = true;
        drop(placed);
        let root = std::fs::canonicalize(&root).map_err(|e| format!("the cache: {e}"))?;
        let (base, dir) = match subdir {
            Some(subdir) => find_subdir(&root, subdir)?,
            None => (root.clone(), root.clone()),
        };
        Ok(Package {
            dir,
            root,
            base,
            name,
        })
    }

    /// Fetches `remote` into a fresh directory beside `root`, then puts it in place:
    /// over what is there when `replace` is set, else only if no other run placed it
    /// meanwhile (a run may be reading it).
    fn download(
        &self,
        remote: &Remote,
        root: &Path,
        identity: &str,
        replace: bool,
        deadline: Instant,
    ) -> Result<(), String> {
        let cache = &self.settings.cache;
        std::fs::create_dir_all(cache)
            .map_err(|e| format!("cannot create the module cache {}: {e}", cache.display()))?;
        let partial = cache.join(format!(
            ".partial-{}-{}",
            std::process::id(),
            root.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("package")
        ));
        let _ = std::fs::remove_dir_all(&partial);
        let fetched = match &remote.kind {
            Kind::Git { reference } => git::clone(
                &remote.url,
                reference.as_deref(),
                &partial,
                deadline,
                &self.settings,
            ),
            Kind::Archive(kind) => self.unpack_url(&remote.url, *kind, &partial, deadline),
            Kind::Redirect => Err("a redirect is followed before download".to_owned()),
        };
        let placed = fetched.and_then(|()| {
            std::fs::write(partial.join(COMPLETE), identity)
                .map_err(|e| format!("cannot write the module cache: {e}"))?;
            if !replace && root.join(COMPLETE).is_file() {
                return Ok(());
            }
            let _ = std::fs::remove_dir_all(root);
            match std::fs::rename(&partial, root) {
                Ok(()) => Ok(()),
                // Another run placed it first.
                Err(_) if root.join(COMPLETE).is_file() => Ok(()),
                Err(e) => Err(format!("cannot write the module cache: {e}")),
            }
        });
        let _ = std::fs::remove_dir_all(&partial);
        placed
    }

    fn unpack_url(
        &self,
        url: &str,
        kind: Archive,
        dest: &Path,
        deadline: Instant,
    ) -> Result<(), String> {
        let reply = self.client.get(url, None, deadline)?;
        if !(200..300).contains(&reply.status) {
            return Err(format!("GET {url}: status {}", reply.status));
        }
        std::fs::create_dir_all(dest).map_err(|e| format!("cannot write the module cache: {e}"))?;
        archive::unpack(&reply.body, kind, dest, self.settings.max_package_size)
            .map_err(|why| format!("{url}: {why}"))
    }
}

/// The file that marks a package as completely fetched.
const COMPLETE: &str = ".palisade-package";

/// `outer//inner`: a registry module's own subdirectory inside the package's.
fn join_subdirs(outer: Option<&str>, inner: Option<&str>) -> Option<String> {
    match (outer, inner) {
        (Some(outer), Some(inner)) => Some(format!("{outer}/{inner}")),
        (one, other) => one.or(other).map(str::to_owned),
    }
}

/// The directory `subdir` names in the package at `root`, where a `*` part matches the
/// one directory there (an archive's top directory, `//*`); and the directory its last
/// `*` matched, which the package's paths are shown from.
fn find_subdir(root: &Path, subdir: &str) -> Result<(PathBuf, PathBuf), String> {
    let mut dir = root.to_path_buf();
    let mut base = root.to_path_buf();
    for part in subdir.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part.contains('*') {
            let matching: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| format!("the package: {e}"))?
                .flatten()
                .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|entry| wildcard(part, &entry.file_name().to_string_lossy()))
                .map(|entry| entry.path())
                .collect();
            match matching.as_slice() {
                [one] => {
                    dir = one.clone();
                    base = one.clone();
                }
                [] => return Err(format!("the package has no directory matching `{subdir}`")),
                _ => {
                    return Err(format!(
                        "`{subdir}` matches more than one directory of the package"
                    ));
                }
            }
        } else {
            dir.push(part);
        }
    }
    let dir = std::fs::canonicalize(&dir)
        .map_err(|_| format!("the package has no directory `{subdir}`"))?;
    if !dir.starts_with(root) || !dir.is_dir() {
        return Err(format!("the package has no directory `{subdir}`"));
    }
    Ok((base, dir))
}

/// Whether `name` matches `pattern`, where `*` is any run of characters.
fn wildcard(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((prefix, rest)) => {
            let Some(name) = name.strip_prefix(prefix) else {
                return false;
            };
            (0..=name.len())
                .filter(|at| name.is_char_boundary(*at))
                .any(|at| wildcard(rest, &name[at..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_directory_part() {
        assert!(wildcard("*", "acme-terraform-net-1a2b3c"));
        assert!(wildcard("acme-*", "acme-net"));
        assert!(!wildcard("acme-*", "other"));
        assert!(wildcard("a*c*e", "abcde"));
    }

    #[test]
    fn subdirectories_join_outer_first() {
        assert_eq!(
            join_subdirs(Some("*"), Some("modules/sg")).as_deref(),
            Some("*/modules/sg")
        );
        assert_eq!(join_subdirs(None, Some("x")).as_deref(), Some("x"));
        assert_eq!(join_subdirs(None, None), None);
    }
}
