//! The text of one suppression comment:
//! `palisade:ignore RULE[INSTANCE] reason="..." [expires=YYYY-MM-DD]`.
//!
//! The grammar is strict on purpose: a suppression that silently fails to parse would
//! leave a finding the author believes is justified, and one that parses loosely could
//! hide a finding nobody justified.

use std::fmt;

use palisade_model::{Date, DateError};

/// The word that starts a suppression comment.
pub const MARKER: &str = "palisade:ignore";

/// What a valid suppression says, wherever it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub rule: String,
    /// Only this instance of a `count` or `for_each` resource; all of them when `None`.
    pub instance: Option<Instance>,
    /// Why the finding is acceptable: required, and shown in reports.
    pub reason: String,
    /// From this day on the suppression no longer suppresses.
    pub expires: Option<Date>,
}

/// One instance of a repeated resource, as its address ends: `[0]` or `["blue"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instance {
    Index(u64),
    Key(String),
}

impl Instance {
    /// Whether the resource `address` is this instance (its last index or key is this one).
    pub fn matches(&self, address: &str) -> bool {
        address.ends_with(&self.to_string())
    }
}

impl fmt::Display for Instance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Instance::Index(index) => write!(f, "[{index}]"),
            // Terraform writes keys in addresses as quoted strings with JSON's escapes.
            Instance::Key(key) => write!(f, "[{}]", serde_json::Value::from(key.as_str())),
        }
    }
}

/// Why a suppression comment is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectiveError {
    #[error("a suppression needs a rule id: {MARKER} RULE reason=\"...\"")]
    MissingRule,
    #[error("suppression of {rule} needs a reason=\"...\"")]
    MissingReason { rule: String },
    #[error("suppression of {rule}: expires={source}")]
    BadDate { rule: String, source: DateError },
    #[error(
        "suppression of {rule}: the instance must be a number or a quoted key, as in `{rule}[0]` or `{rule}[\"blue\"]`"
    )]
    BadInstance { rule: String },
    #[error(
        "suppression of {rule}: unknown setting `{key}` (expected reason=\"...\" and expires=YYYY-MM-DD)"
    )]
    UnknownSetting { rule: String, key: String },
    #[error("suppression of {rule}: `{key}` is given twice")]
    Repeated { rule: String, key: String },
    #[error("suppression of {rule}: expected `name=value` at `{text}`")]
    Unexpected { rule: String, text: String },
    #[error("suppression of {rule}: a quoted value is not closed")]
    Unclosed { rule: String },
}

/// Parses `text`, which starts with [`MARKER`] and runs to the end of its comment.
pub fn parse(text: &str) -> Result<Directive, DirectiveError> {
    let rest = text.strip_prefix(MARKER).unwrap_or(text);
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return Err(DirectiveError::MissingRule);
    }
    let mut cursor = Cursor(rest.trim_start());
    let rule = cursor.take_while(|c| !c.is_whitespace() && c != '[');
    if rule.is_empty() {
        return Err(DirectiveError::MissingRule);
    }
    let rule = rule.to_owned();
    let instance = if cursor.0.starts_with('[') {
        Some(instance(&mut cursor, &rule)?)
    } else {
        None
    };
    let (mut reason, mut expires) = (None, None);
    loop {
        cursor.0 = cursor.0.trim_start();
        if cursor.0.is_empty() {
            break;
        }
        let setting = cursor.0;
        let key = cursor.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
        cursor.0 = cursor.0.trim_start();
        if key.is_empty() || !cursor.eat('=') {
            return Err(DirectiveError::Unexpected {
                rule,
                text: text_at(setting),
            });
        }
        cursor.0 = cursor.0.trim_start();
        let value = cursor
            .value()
            .ok_or_else(|| DirectiveError::Unclosed { rule: rule.clone() })?;
        let slot = match key {
            "reason" => &mut reason,
            "expires" => &mut expires,
            _ => {
                return Err(DirectiveError::UnknownSetting {
                    rule,
                    key: key.to_owned(),
                });
            }
        };
        if slot.replace(value).is_some() {
            return Err(DirectiveError::Repeated {
                rule,
                key: key.to_owned(),
            });
        }
    }
    let expires = match expires {
        Some(text) => Some(
            Date::parse(&text).map_err(|source| DirectiveError::BadDate {
                rule: rule.clone(),
                source,
            })?,
        ),
        None => None,
    };
    match reason.filter(|reason| !reason.trim().is_empty()) {
        Some(reason) => Ok(Directive {
            rule,
            instance,
            reason,
            expires,
        }),
        None => Err(DirectiveError::MissingReason { rule }),
    }
}

/// The `[0]` or `["key"]` after a rule id.
fn instance(cursor: &mut Cursor<'_>, rule: &str) -> Result<Instance, DirectiveError> {
    let bad = || DirectiveError::BadInstance {
        rule: rule.to_owned(),
    };
    cursor.eat('[');
    let instance = if cursor.0.starts_with('"') {
        Instance::Key(cursor.value().ok_or_else(bad)?)
    } else {
        let digits = cursor.take_while(|c| c.is_ascii_digit());
        Instance::Index(digits.parse().map_err(|_| bad())?)
    };
    if cursor.eat(']') && cursor.0.chars().next().is_none_or(char::is_whitespace) {
        Ok(instance)
    } else {
        Err(bad())
    }
}

/// The start of `text`, to quote in an error.
fn text_at(text: &str) -> String {
    text.split_whitespace().next().unwrap_or(text).to_owned()
}

/// The unread rest of a directive.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let end = self.0.find(|c| !keep(c)).unwrap_or(self.0.len());
        let (taken, rest) = self.0.split_at(end);
        self.0 = rest;
        taken
    }

    fn eat(&mut self, expected: char) -> bool {
        match self.0.strip_prefix(expected) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    /// A `"quoted"` value (with `\"` and `\\` escapes), or a bare word; `None` for a
    /// quote that is never closed.
    fn value(&mut self) -> Option<String> {
        if !self.eat('"') {
            return Some(self.take_while(|c| !c.is_whitespace()).to_owned());
        }
        let mut value = String::new();
        let mut chars = self.0.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.0 = &self.0[i + 1..];
                    return Some(value);
                }
                '\\' => value.push(chars.next()?.1),
                c => value.push(c),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive(rule: &str, reason: &str) -> Directive {
        Directive {
            rule: rule.to_owned(),
            instance: None,
            reason: reason.to_owned(),
            expires: None,
        }
    }

    #[test]
    fn a_rule_and_a_reason_make_a_suppression() {
        assert_eq!(
            parse(r#"palisade:ignore open-ssh reason="bastion, keys only""#),
            Ok(directive("open-ssh", "bastion, keys only"))
        );
    }

    #[test]
    fn expiry_instances_escapes_and_spacing_are_read() {
        let parsed = parse(
            r#"palisade:ignore  open-ssh["blue \"b\""]  expires = 2027-01-31 reason = "say \"hi\"""#,
        );
        assert_eq!(
            parsed,
            Ok(Directive {
                instance: Some(Instance::Key("blue \"b\"".to_owned())),
                expires: Some(Date::parse("2027-01-31").unwrap()),
                ..directive("open-ssh", "say \"hi\"")
            })
        );
        let indexed = parse(r#"palisade:ignore open-ssh[12] reason="x""#).unwrap();
        assert_eq!(indexed.instance, Some(Instance::Index(12)));
    }

    #[test]
    fn instances_match_the_end_of_an_address() {
        assert!(Instance::Index(0).matches("aws_security_group_rule.ssh[0]"));
        assert!(!Instance::Index(0).matches("aws_security_group_rule.ssh[10]"));
        assert!(!Instance::Index(1).matches("aws_security_group_rule.ssh"));
        let blue = Instance::Key("blue".to_owned());
        assert!(blue.matches(r#"module.net.aws_security_group.web["blue"]"#));
        assert!(!blue.matches(r#"aws_security_group.web["green"]"#));
        assert!(!blue.matches(r#"module.net["blue"].aws_security_group.web"#));
    }

    #[test]
    fn a_missing_or_empty_reason_is_refused_with_the_syntax() {
        let missing = DirectiveError::MissingReason {
            rule: "open-ssh".to_owned(),
        };
        for text in [
            "palisade:ignore open-ssh",
            r#"palisade:ignore open-ssh reason="  ""#,
            "palisade:ignore open-ssh expires=2027-01-01",
        ] {
            assert_eq!(parse(text), Err(missing.clone()), "{text}");
        }
        assert_eq!(
            missing.to_string(),
            r#"suppression of open-ssh needs a reason="...""#
        );
    }

    #[test]
    fn malformed_directives_say_what_is_wrong() {
        let rule = || "open-ssh".to_owned();
        let cases = [
            ("palisade:ignore", DirectiveError::MissingRule),
            ("palisade:ignore:open-ssh", DirectiveError::MissingRule),
            (
                r#"palisade:ignore open-ssh reason="x" expires=2026-02-30"#,
                DirectiveError::BadDate {
                    rule: rule(),
                    source: DateError("2026-02-30".to_owned()),
                },
            ),
            (
                r#"palisade:ignore open-ssh[blue] reason="x""#,
                DirectiveError::BadInstance { rule: rule() },
            ),
            (
                r#"palisade:ignore open-ssh[0 reason="x""#,
                DirectiveError::BadInstance { rule: rule() },
            ),
            (
                r#"palisade:ignore open-ssh reason="x" until=2027-01-01"#,
                DirectiveError::UnknownSetting {
                    rule: rule(),
                    key: "until".to_owned(),
                },
            ),
            (
                r#"palisade:ignore open-ssh reason="x" reason="y""#,
                DirectiveError::Repeated {
                    rule: rule(),
                    key: "reason".to_owned(),
                },
            ),
            (
                "palisade:ignore open-ssh because it is fine",
                DirectiveError::Unexpected {
                    rule: rule(),
                    text: "because".to_owned(),
                },
            ),
            (
                r#"palisade:ignore open-ssh reason="never closed"#,
                DirectiveError::Unclosed { rule: rule() },
            ),
        ];
        for (text, error) in cases {
            assert_eq!(parse(text), Err(error), "{text}");
        }
    }
}
