//! The module registry protocol: service discovery on the registry's host, the list of
//! a module's versions, and where the chosen version's package is (`X-Terraform-Get`).

use std::time::Instant;

use serde::Deserialize;

use crate::address::RegistryModule;
use crate::constraint::Constraints;
use crate::http::{Client, resolve};

/// Where `module`'s newest version that `constraints` allow can be downloaded, and that
/// version, asked by `deadline`.
pub fn locate(
    client: &Client,
    module: &RegistryModule,
    constraints: &Constraints,
    deadline: Instant,
) -> Result<(String, String), String> {
    let token = token(&module.host);
    let base = discover(client, &module.host, token.as_deref(), deadline)?;
    let path = format!("{}/{}/{}", module.namespace, module.name, module.system);

    let versions_url = format!("{base}{path}/versions");
    let reply = client.get(&versions_url, token.as_deref(), deadline)?;
    match reply.status {
        200 => {}
        404 => return Err(format!("the registry {} has no module {path}", module.host)),
        status => return Err(format!("GET {versions_url}: status {status}")),
    }
    let listed: Versions = serde_json::from_slice(&reply.body)
        .map_err(|e| format!("GET {versions_url}: not a list of versions: {e}"))?;
    let all = listed
        .modules
        .first()
        .map(|m| {
            m.versions
                .iter()
                .map(|v| v.version.as_str())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let version = constraints.newest(all.iter().copied()).ok_or_else(|| {
        format!(
            "no version of {module} meets the constraint (versions: {})",
            shown_versions(&all)
        )
    })?;

    let download_url = format!("{base}{path}/{version}/download");
    let reply = client.get(&download_url, token.as_deref(), deadline)?;
    let location = match (reply.status, reply.location) {
        (200 | 204, Some(location)) => location,
        (200, None) => {
            serde_json::from_slice::<Download>(&reply.body)
                .map_err(|_| format!("GET {download_url}: no X-Terraform-Get header"))?
                .location
        }
        (status, _) => return Err(format!("GET {download_url}: status {status}")),
    };
    Ok((resolve(&reply.url, &location), version.to_owned()))
}

#[derive(Deserialize)]
struct Versions {
    modules: Vec<ModuleVersions>,
}

#[derive(Deserialize)]
struct ModuleVersions {
    versions: Vec<Version>,
}

#[derive(Deserialize)]
struct Version {
    version: String,
}

#[derive(Deserialize)]
struct Download {
    location: String,
}

#[derive(Deserialize)]
struct Discovery {
    #[serde(rename = "modules.v1")]
    modules: Option<String>,
}

/// The base URL of `host`'s module registry, from its `/.well-known/terraform.json`.
/// A registry on this machine (`localhost`, `127.0.0.1`) is reached over plain HTTP.
fn discover(
    client: &Client,
    host: &str,
    token: Option<&str>,
    deadline: Instant,
) -> Result<String, String> {
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let scheme = if matches!(name, "localhost" | "127.0.0.1") {
        "http"
    } else {
        "https"
    };
    let url = format!("{scheme}://{host}/.well-known/terraform.json");
    let reply = client.get(&url, token, deadline)?;
    if reply.status != 200 {
        return Err(format!("GET {url}: status {}", reply.status));
    }
    let discovery: Discovery = serde_json::from_slice(&reply.body)
        .map_err(|e| format!("GET {url}: not a service discovery document: {e}"))?;
    let base = discovery
        .modules
        .ok_or_else(|| format!("{host} is not a module registry (no `modules.v1` service)"))?;
    let mut base = resolve(&reply.url, &base);
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(base)
}

/// The API token Terraform would send to `host`: `TF_TOKEN_` and the host with `.` as
/// `_` and `-` as `__`.
fn token(host: &str) -> Option<String> {
    let name: String = host
        .chars()
        .map(|c| match c {
            '.' => "_".to_owned(),
            '-' => "__".to_owned(),
            c => c.to_string(),
        })
        .collect();
    std::env::var(format!("TF_TOKEN_{name}"))
        .ok()
        .filter(|token| !token.is_empty())
}

fn shown_versions(all: &[&str]) -> String {
    match all.len() {
        0 => "none".to_owned(),
        n if n <= 10 => all.join(", "),
        n => format!("{}, … {} in all", all[n - 10..].join(", "), n),
    }
}
