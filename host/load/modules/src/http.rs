//! HTTP(S) requests bounded as a download must be: the package's deadline for the whole
//! request, a body size, a few redirects, and only `http` and `https`.

use std::time::{Duration, Instant};

use ureq::ResponseExt;

use crate::Settings;

/// Sends the requests of one run.
pub struct Client {
    agent: ureq::Agent,
    max_size: u64,
}

/// What a request got back.
pub struct Reply {
    pub status: u16,
    /// `X-Terraform-Get`: where the package is, for a registry's download endpoint or a
    /// URL that points elsewhere.
    pub location: Option<String>,
    pub body: Vec<u8>,
    /// The URL answered, after redirects: relative locations resolve against it.
    pub url: String,
}

const MAX_REDIRECTS: u32 = 10;

const TIMED_OUT: &str = "no answer in time (--module-timeout)";

impl Client {
    pub fn new(settings: &Settings) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(settings.timeout.min(Duration::from_secs(30))))
            .max_redirects(MAX_REDIRECTS)
            .http_status_as_error(false)
            .user_agent(concat!("palisade/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self {
            agent,
            max_size: settings.max_package_size,
        }
    }

    /// `GET url`, with a bearer `token`, done by `deadline` (the package's, which its
    /// other requests share); the body is read up to the package size limit.
    pub fn get(&self, url: &str, token: Option<&str>, deadline: Instant) -> Result<Reply, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!("GET {url}: {TIMED_OUT}"));
        }
        let mut request = self
            .agent
            .get(url)
            .config()
            .timeout_global(Some(left))
            .build();
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let mut response = request
            .call()
            .map_err(|e| format!("GET {url}: {}", why(&e)))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("x-terraform-get")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let answered = response.get_uri().to_string();
        let body = response
            .body_mut()
            .with_config()
            .limit(self.max_size)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => format!(
                    "GET {url}: the answer is larger than {} bytes (--max-module-size)",
                    self.max_size
                ),
                other => format!("GET {url}: {}", why(&other)),
            })?;
        Ok(Reply {
            status,
            location,
            body,
            url: answered,
        })
    }
}

/// A failed request, said briefly.
fn why(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => TIMED_OUT.to_owned(),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        other => other.to_string(),
    }
}

/// `base` joined with `reference` as a browser would: an absolute URL as it is, `/x`
/// from the host, `./x` and `../x` from `base`'s directory.
pub fn resolve(base: &str, reference: &str) -> String {
    if reference.contains("://") || reference.contains("::") {
        return reference.to_owned();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    if reference.starts_with('/') {
        return format!("{scheme}://{host}{reference}");
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    let (reference, query) = match reference.find('?') {
        Some(at) => reference.split_at(at),
        None => (reference, ""),
    };
    for part in reference.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            other => parts.push(other),
        }
    }
    format!("{scheme}://{host}{}{query}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn relative_locations_resolve_like_urls() {
        let base = "https://reg.example/v1/modules/a/b/c/1.0.0/download";
        assert_eq!(
            resolve(base, "/files/m.tar.gz"),
            "https://reg.example/files/m.tar.gz"
        );
        assert_eq!(
            resolve(base, "./m.tar.gz?archive=tar.gz"),
            "https://reg.example/v1/modules/a/b/c/1.0.0/m.tar.gz?archive=tar.gz"
        );
        assert_eq!(
            resolve(base, "../../x.zip"),
            "https://reg.example/v1/modules/a/b/x.zip"
        );
        assert_eq!(
            resolve(base, "git::https://g/x.git"),
            "git::https://g/x.git"
        );
        assert_eq!(
            resolve(
                "http://127.0.0.1:9/.well-known/terraform.json",
                "/v1/modules/"
            ),
            "http://127.0.0.1:9/v1/modules/"
        );
    }
}
