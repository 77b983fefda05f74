//! What the `Action` and `Resource` values of a policy statement reach: every action and
//! every resource, or less.
//!
//! Both policy languages (Alibaba Cloud RAM and AWS IAM) write an action as
//! `service:name` and let `*` match any run of characters, so `*` and `*:*` are every
//! action of every service. A resource is every resource when it is `*`, or a resource
//! name whose every part but the account is a wildcard: RAM `acs:*:*:*:*` (or with the
//! account's own id, `acs:*:*:123456:*`), IAM `arn:aws:*:*:*:*`. Anything narrower
//! (`ecs:*`, `acs:oss:*:*:bucket/*`) is not administrator access.

/// The cloud whose policy language a document follows: it names the identity service
/// whose actions let a principal grant itself anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// Alibaba Cloud RAM (`acs:` resource names, `ram:` actions).
    Alibaba,
    /// AWS IAM (`arn:` resource names, `iam:` actions).
    Aws,
}

impl Cloud {
    /// The service whose actions administer identities and their permissions.
    pub fn identity_service(self) -> &'static str {
        match self {
            Cloud::Alibaba => "ram",
            Cloud::Aws => "iam",
        }
    }
}

/// Whether `action` matches every action of every service: `*`, `*:*`.
pub fn is_every_action(action: &str) -> bool {
    let action = action.trim();
    let all_stars = |part: &str| !part.is_empty() && part.chars().all(|c| c == '*');
    match action.split_once(':') {
        Some((service, name)) => all_stars(service) && all_stars(name),
        None => all_stars(action),
    }
}

/// Whether excluding `action` (`NotAction`) leaves no action of `service` granted:
/// `*`, `*:*`, `ram:*`, in any case (service names are case-insensitive).
pub fn covers_service(action: &str, service: &str) -> bool {
    let action = action.trim();
    if is_every_action(action) {
        return true;
    }
    action.split_once(':').is_some_and(|(own, name)| {
        own.eq_ignore_ascii_case(service) && !name.is_empty() && name.chars().all(|c| c == '*')
    })
}

/// Whether `resource` matches every resource of the account (see the module comment).
pub fn is_every_resource(resource: &str) -> bool {
    let resource = resource.trim();
    let star = |part: &str| !part.is_empty() && part.chars().all(|c| c == '*');
    if star(resource) {
        return true;
    }
    let parts: Vec<&str> = resource.split(':').collect();
    match parts.as_slice() {
        // acs:service:region:account:relative-id
        ["acs", service, region, _account, relative] => {
            star(service) && star(region) && star(relative)
        }
        // arn:partition:service:region:account:resource
        ["arn", _partition, service, region, _account, rest] => {
            star(service) && star(region) && star(rest)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_only_the_full_wildcard() {
        for every in ["*", "*:*", " * ", "**", "*:**"] {
            assert!(is_every_action(every), "{every}");
        }
        for narrower in [
            "ecs:*",
            "*:Describe*",
            "ram:*",
            "",
            ":",
            "*:",
            "s3:GetObject",
        ] {
            assert!(!is_every_action(narrower), "{narrower}");
        }
    }

    #[test]
    fn excluding_a_service_needs_all_of_it() {
        assert!(covers_service("ram:*", "ram"));
        assert!(covers_service("RAM:*", "ram"));
        assert!(covers_service("*", "ram"));
        assert!(!covers_service("ram:Create*", "ram"));
        assert!(!covers_service("iam:*", "ram"));
        assert!(!covers_service("ram:", "ram"));
    }

    #[test]
    fn every_resource_allows_the_account_id() {
        for every in [
            "*",
            "acs:*:*:*:*",
            "acs:*:*:1234567890:*",
            "arn:aws:*:*:*:*",
        ] {
            assert!(is_every_resource(every), "{every}");
        }
        for narrower in [
            "acs:oss:*:*:*",
            "acs:*:*:*:bucket/*",
            "arn:aws:s3:::b1/*",
            "arn:aws:s3:::*",
            "acs:*:*",
            "",
        ] {
            assert!(!is_every_resource(narrower), "{narrower}");
        }
    }
}
