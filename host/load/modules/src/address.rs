//! Module `source` addresses that name something to download, as `terraform init` reads
//! them: a registry module (`alibaba/security-group/alicloud`), a git repository
//! (`git::https://…?ref=v1.2.0`, `github.com/org/repo`) or an archive over HTTPS, each
//! with an optional `//subdir` inside the package.
//!
//! Only `http` and `https` transports are followed: `file://` would read the machine's
//! disk, and `ssh` would use its keys, on behalf of whoever wrote the template.

use std::fmt;

/// What a module `source` names, once parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A module of a registry, at a version the call's `version` constraint selects.
    Registry(RegistryModule),
    /// A package at a fixed place.
    Remote(Remote),
}

/// `hostname/namespace/name/system`, and the directory inside its package.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegistryModule {
    pub host: String,
    pub namespace: String,
    pub name: String,
    pub system: String,
    pub subdir: Option<String>,
}

/// A package downloaded from one place, and the directory inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Remote {
    pub kind: Kind,
    /// The URL fetched: `ref`, `depth` and `archive` taken out of its query.
    pub url: String,
    pub subdir: Option<String>,
}

/// How a remote package is fetched.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Cloned with git, then `reference` (a tag, branch or commit) checked out.
    Git { reference: Option<String> },
    /// An archive, unpacked.
    Archive(Archive),
    /// A URL that answers with where the package is (`X-Terraform-Get`).
    Redirect,
}

/// The archive formats a package may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Archive {
    TarGz,
    Tar,
    Zip,
}

/// The public registry, where a source without a hostname is looked up.
pub const DEFAULT_REGISTRY: &str = "registry.terraform.io";

impl Address {
    /// Reads a module `source` that is not a local path. `Err` says why it cannot be
    /// downloaded (a transport that is refused, a form that is not understood).
    pub fn parse(source: &str) -> Result<Address, String> {
        if source.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("the address holds spaces or control characters".to_owned());
        }
        if let Some((forced, rest)) = forced_getter(source) {
            return match forced {
                "git" => git(rest),
                "http" | "https" => archive_or_redirect(rest),
                other => Err(format!(
                    "`{other}::` sources are not downloaded (git, registry and HTTP(S) \
                     sources are); run `terraform init` to install it"
                )),
            };
        }
        if let Some(registry) = registry(source) {
            return Ok(Address::Registry(registry));
        }
        if let Some(rest) = source.strip_prefix("github.com/") {
            let (path, subdir, query) = split(rest);
            let path = path.trim_end_matches(".git");
            if path.split('/').count() != 2 {
                return Err("a github.com source is `github.com/OWNER/REPOSITORY`".to_owned());
            }
            return git(&format!(
                "https://github.com/{path}.git{}{query}",
                subdir.map(|s| format!("//{s}")).unwrap_or_default()
            ));
        }
        if source.starts_with("git@") || source.starts_with("ssh://") {
            return Err(refused_transport("ssh"));
        }
        if source.starts_with("http://") || source.starts_with("https://") {
            return archive_or_redirect(source);
        }
        for (prefix, what) in [
            ("bitbucket.org/", "Bitbucket"),
            ("s3", "S3"),
            ("gcs", "Google Cloud Storage"),
        ] {
            if source.starts_with(prefix) {
                return Err(format!(
                    "{what} sources are not downloaded; run `terraform init` to install it"
                ));
            }
        }
        Err(
            "not a registry address (`NAMESPACE/NAME/SYSTEM`), a git or an HTTP(S) source"
                .to_owned(),
        )
    }
}

/// `git::URL` → ("git", "URL"): the getter a source forces, which go-getter writes
/// before `::`.
fn forced_getter(source: &str) -> Option<(&str, &str)> {
    let (getter, rest) = source.split_once("::")?;
    (!getter.is_empty() && getter.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some((getter, rest))
}

fn refused_transport(scheme: &str) -> String {
    format!(
        "`{scheme}` sources are not downloaded: only `https` and `http` are, so that a \
         template cannot make the check use this machine's files or keys; run `terraform \
         init` to install it"
    )
}

/// `URL//subdir?query` → (`URL`, `subdir`, `?query`): the `//` that is not the scheme's.
fn split(source: &str) -> (&str, Option<&str>, &str) {
    let (body, query) = match source.find('?') {
        Some(at) => source.split_at(at),
        None => (source, ""),
    };
    let after_scheme = body.find("://").map_or(0, |at| at + 3);
    match body[after_scheme..].find("//") {
        Some(at) => {
            let at = after_scheme + at;
            let subdir = &body[at + 2..];
            (&body[..at], (!subdir.is_empty()).then_some(subdir), query)
        }
        None => (body, None, query),
    }
}

/// The query's parameters without those named in `take`, and the values of those.
fn take_params<'q>(query: &'q str, take: &[&str]) -> (String, Vec<(&'q str, &'q str)>) {
    let mut kept = Vec::new();
    let mut taken = Vec::new();
    for pair in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if take.contains(&key) {
            taken.push((key, value));
        } else {
            kept.push(pair);
        }
    }
    let kept = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    (kept, taken)
}

fn checked_subdir(subdir: Option<&str>) -> Result<Option<String>, String> {
    let Some(subdir) = subdir else {
        return Ok(None);
    };
    let subdir = subdir.trim_matches('/');
    if subdir.split('/').any(|part| part == "..") || subdir.starts_with('/') {
        return Err(format!("the subdirectory `{subdir}` leaves the package"));
    }
    Ok((!subdir.is_empty()).then(|| subdir.to_owned()))
}

fn http_url(url: &str) -> Result<(), String> {
    match url.split_once("://") {
        Some(("https" | "http", rest)) if !rest.is_empty() => Ok(()),
        Some((scheme, _)) => Err(refused_transport(scheme)),
        None => Err(format!("`{url}` is not a URL")),
    }
}

fn git(source: &str) -> Result<Address, String> {
    if source.starts_with("git@") {
        return Err(refused_transport("ssh"));
    }
    let (url, subdir, query) = split(source);
    http_url(url)?;
    let (query, taken) = take_params(query, &["ref", "depth", "sshkey"]);
    let mut reference = None;
    for (key, value) in taken {
        match key {
            "ref" if !value.is_empty() => reference = Some(value.to_owned()),
            "sshkey" => return Err(refused_transport("ssh")),
            _ => {}
        }
    }
    if let Some(reference) = &reference
        && (reference.starts_with('-') || reference.contains(".."))
    {
        return Err(format!("`{reference}` is not a git reference"));
    }
    Ok(Address::Remote(Remote {
        kind: Kind::Git { reference },
        url: format!("{url}{query}"),
        subdir: checked_subdir(subdir)?,
    }))
}

fn archive_or_redirect(source: &str) -> Result<Address, String> {
    let (url, subdir, query) = split(source);
    http_url(url)?;
    let (query, taken) = take_params(query, &["archive"]);
    let named = taken.first().map(|(_, value)| *value);
    let kind = match named {
        Some("false") => Kind::Redirect,
        Some(name) => Kind::Archive(
            archive_named(name).ok_or_else(|| format!("`{name}` archives are not unpacked"))?,
        ),
        None => {
            let path = url
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let extension = [".tar.gz", ".tgz", ".tar", ".zip"]
                .into_iter()
                .find(|ext| path.ends_with(ext));
            match extension {
                Some(ext) => Kind::Archive(archive_named(ext.trim_start_matches('.')).unwrap()),
                None => Kind::Redirect,
            }
        }
    };
    Ok(Address::Remote(Remote {
        kind,
        url: format!("{url}{query}"),
        subdir: checked_subdir(subdir)?,
    }))
}

fn archive_named(name: &str) -> Option<Archive> {
    match name {
        "tar.gz" | "tgz" => Some(Archive::TarGz),
        "tar" => Some(Archive::Tar),
        "zip" => Some(Archive::Zip),
        _ => None,
    }
}

/// `[hostname/]namespace/name/system[//subdir]`, as Terraform's registry addresses are.
fn registry(source: &str) -> Option<RegistryModule> {
    let (path, subdir) = match source.split_once("//") {
        Some((path, subdir)) => (path, Some(subdir)),
        None => (source, None),
    };
    let parts: Vec<&str> = path.split('/').collect();
    let (host, rest) = match parts.as_slice() {
        [namespace, name, system] => (DEFAULT_REGISTRY, [*namespace, *name, *system]),
        [host, namespace, name, system] if hostname(host) => (*host, [*namespace, *name, *system]),
        _ => return None,
    };
    let [namespace, name, system] = rest;
    let system_ok = !system.is_empty()
        && system.len() <= 64
        && system
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !(label(namespace) && label(name) && system_ok) {
        return None;
    }
    Some(RegistryModule {
        host: host.to_ascii_lowercase(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        system: system.to_owned(),
        subdir: checked_subdir(subdir).ok()?,
    })
}

/// A namespace or module name: letters, digits, `-` and `_`, not at either end.
fn label(text: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    (1..=64).contains(&text.len())
        && edge(text.chars().next())
        && edge(text.chars().last())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A registry hostname, with an optional port: `example.com`, `127.0.0.1:8080`.
fn hostname(text: &str) -> bool {
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (text, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && (host.contains('.') || host == "localhost");
    port_ok && host_ok
}

impl fmt::Display for RegistryModule {
    /// `alibaba/security-group/alicloud`, with the host when it is not the public one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host != DEFAULT_REGISTRY {
            write!(f, "{}/", self.host)?;
        }
        write!(f, "{}/{}/{}", self.namespace, self.name, self.system)
    }
}

impl fmt::Display for Remote {
    /// The URL without its scheme and query, and the git reference: `github.com/org/repo@v1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self
            .url
            .split_once("://")
            .map_or(&*self.url, |(_, rest)| rest);
        let url = url.split('?').next().unwrap_or(url);
        f.write_str(url.trim_end_matches(".git"))?;
        if let Kind::Git {
            reference: Some(reference),
        } = &self.kind
        {
            write!(f, "@{reference}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(source: &str) -> Remote {
        match Address::parse(source) {
            Ok(Address::Remote(remote)) => remote,
            other => panic!("{source}: {other:?}"),
        }
    }

    #[test]
    fn registry_addresses_with_and_without_host() {
        let Ok(Address::Registry(module)) = Address::parse("alibaba/security-group/alicloud")
        else {
            panic!()
        };
        assert_eq!(module.host, DEFAULT_REGISTRY);
        assert_eq!(
            (&*module.namespace, &*module.name, &*module.system),
            ("alibaba", "security-group", "alicloud")
        );
        let Ok(Address::Registry(module)) =
            Address::parse("127.0.0.1:8080/acme/network/alicloud//modules/vpc")
        else {
            panic!()
        };
        assert_eq!(module.host, "127.0.0.1:8080");
        assert_eq!(module.subdir.as_deref(), Some("modules/vpc"));
        assert_eq!(module.to_string(), "127.0.0.1:8080/acme/network/alicloud");
    }

    #[test]
    fn git_sources_keep_ref_and_subdir_apart() {
        let git = remote("git::https://example.com/net.git//modules/sg?ref=v1.2.0&depth=1");
        assert_eq!(git.url, "https://example.com/net.git");
        assert_eq!(git.subdir.as_deref(), Some("modules/sg"));
        assert_eq!(
            git.kind,
            Kind::Git {
                reference: Some("v1.2.0".into())
            }
        );
        assert_eq!(git.to_string(), "example.com/net@v1.2.0");
        let github = remote("github.com/acme/terraform-net?ref=main");
        assert_eq!(github.url, "https://github.com/acme/terraform-net.git");
    }

    #[test]
    fn archives_by_extension_or_query() {
        let tar = remote("https://example.com/v1.tar.gz//*?archive=tar.gz");
        assert_eq!(tar.kind, Kind::Archive(Archive::TarGz));
        assert_eq!(tar.subdir.as_deref(), Some("*"));
        assert_eq!(tar.url, "https://example.com/v1.tar.gz");
        assert_eq!(
            remote("https://example.com/m.zip").kind,
            Kind::Archive(Archive::Zip)
        );
        assert_eq!(remote("https://example.com/module").kind, Kind::Redirect);
    }

    #[test]
    fn transports_that_reach_the_machine_are_refused() {
        for source in [
            "git::file:///etc",
            "git::ssh://git@example.com/repo.git",
            "git@github.com:acme/repo.git",
            "git::https://example.com/r.git?sshkey=abc",
            "git::https://example.com/r.git?ref=--upload-pack=touch",
            "https://example.com/m.tar.gz//../../etc",
            "hg::https://example.com/repo",
            "s3::https://s3.amazonaws.com/bucket/m.zip",
            "git::https://example.com/r.git\n",
        ] {
            assert!(Address::parse(source).is_err(), "{source}");
        }
    }
}
