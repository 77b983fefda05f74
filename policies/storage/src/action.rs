//! Policy actions (`s3:GetObject`, `oss:Put*`, `*`): whether one reaches a bucket, and
//! whether it can write.
//!
//! An action is `service:name`, where both parts may hold the wildcards `*` (any run of
//! characters) and `?` (one character), compared case-insensitively. Only the `s3` and
//! `oss` services act on buckets; a bare `*` is every action of every service.
//!
//! Every object storage operation reads or writes the bucket, its objects or its
//! configuration, so an action that reaches the bucket is at least a public read. It is a
//! write when it can match an operation whose name starts with a verb that changes
//! something (`PutObject`, `DeleteObject`, `PutBucketPolicy`, `AbortMultipartUpload`,
//! ...): `s3:*`, `oss:Put*` and `*Object` all can.

use palisade_policy::cloud::acl::Exposure;

/// The services whose actions act on buckets.
const BUCKET_SERVICES: [&str; 2] = ["s3", "oss"];

/// Leading verbs of the operations that change objects, buckets or their settings.
const WRITE_VERBS: [&str; 12] = [
    "Put",
    "Delete",
    "Post",
    "Append",
    "Abort",
    "Create",
    "Restore",
    "Replicate",
    "Initiate",
    "Complete",
    "Upload",
    "Write",
];

/// What granting `action` to the public exposes, or `None` when it cannot reach a bucket
/// (another service's action): `s3:GetObject` reads, `oss:*` writes, `kms:Decrypt`
/// does not reach a bucket.
pub fn exposure(action: &str) -> Option<Exposure> {
    let action = action.trim();
    let (service, name) = match action.split_once(':') {
        Some((service, name)) => (service, name),
        None if action.chars().all(|c| c == '*') && !action.is_empty() => ("*", "*"),
        None => return None,
    };
    if !BUCKET_SERVICES.iter().any(|s| glob_matches(service, s)) {
        return None;
    }
    let writes = WRITE_VERBS.iter().any(|verb| can_start_with(name, verb));
    Some(if writes {
        Exposure::WorldWritable
    } else {
        Exposure::PublicRead
    })
}

/// Whether the pattern `pattern` matches every action of the bucket services it names
/// (`*`, `s3:*`, `oss:*`): excluding it (`NotAction`) leaves nothing on buckets.
pub fn covers_every_bucket_action(pattern: &str) -> bool {
    let pattern = pattern.trim();
    let name = match pattern.split_once(':') {
        Some((_, name)) => name,
        None => pattern,
    };
    !name.is_empty() && name.chars().all(|c| c == '*') && exposure(pattern).is_some()
}

/// Whether `pattern` matches all of `text` (case-insensitive, `*` and `?` wildcards).
fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let text: Vec<char> = text.to_lowercase().chars().collect();
    matches(&pattern, &text, false)
}

/// Whether `pattern` matches at least one text that starts with `prefix`.
fn can_start_with(pattern: &str, prefix: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let prefix: Vec<char> = prefix.to_lowercase().chars().collect();
    matches(&pattern, &prefix, true)
}

/// Matches `pattern` against `text`; with `open_end`, `text` is only a prefix and the
/// rest of the pattern may match whatever follows it.
///
/// Dynamic programming over (pattern position, text position), linear in their product,
/// so hostile patterns (`*a*a*a*...`) cannot make it slow.
fn matches(pattern: &[char], text: &[char], open_end: bool) -> bool {
    // reachable[j]: the first i pattern characters can consume the first j text ones.
    let mut reachable = vec![false; text.len() + 1];
    reachable[0] = true;
    for &p in pattern {
        if open_end && reachable[text.len()] {
            // The whole prefix is consumed; pattern[i..] matches some continuation.
            return true;
        }
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match p {
                '*' => reachable[j] || (j > 0 && next[j - 1]),
                '?' => j > 0 && reachable[j - 1],
                c => j > 0 && reachable[j - 1] && text[j - 1] == c,
            };
        }
        reachable = next;
    }
    reachable[text.len()]
}

#[cfg(test)]
mod tests;
