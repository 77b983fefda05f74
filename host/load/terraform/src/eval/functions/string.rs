//! String functions. "Characters" are Unicode grapheme clusters, as in Terraform, so a
//! letter with a combining accent counts once.

use std::collections::BTreeMap;

use regex::{Regex, RegexBuilder};
use unicode_segmentation::UnicodeSegmentation;

use super::{Args, Arity, Builtin, Called, FunctionError, invalid};
use crate::eval::value::Value;

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("join", Arity::AtLeast(2), join),
    Builtin::known("split", Arity::Exactly(2), split),
    Builtin::known("lower", Arity::Exactly(1), lower),
    Builtin::known("upper", Arity::Exactly(1), upper),
    Builtin::known("title", Arity::Exactly(1), title),
    Builtin::known("trim", Arity::Exactly(2), trim),
    Builtin::known("trimprefix", Arity::Exactly(2), trimprefix),
    Builtin::known("trimsuffix", Arity::Exactly(2), trimsuffix),
    Builtin::known("trimspace", Arity::Exactly(1), trimspace),
    Builtin::known("chomp", Arity::Exactly(1), chomp),
    Builtin::known("indent", Arity::Exactly(2), indent),
    Builtin::handles_unknowns("replace", Arity::Exactly(3), replace),
    Builtin::known("regex", Arity::Exactly(2), regex),
    Builtin::known("regexall", Arity::Exactly(2), regexall),
    Builtin::known("substr", Arity::Exactly(3), substr),
    Builtin::known("strrev", Arity::Exactly(1), strrev),
    Builtin::known("startswith", Arity::Exactly(2), startswith),
    Builtin::known("endswith", Arity::Exactly(2), endswith),
    Builtin::known("strcontains", Arity::Exactly(2), strcontains),
];

/// How many grapheme clusters (Terraform's characters) `text` has.
pub(super) fn char_count(text: &str) -> usize {
    text.graphemes(true).count()
}

fn join(args: &Args<'_>) -> Called {
    let separator = args.string(0)?;
    let mut items = Vec::new();
    for i in 1..args.len() {
        for (index, item) in args.list(i)?.iter().enumerate() {
            if *item == Value::Null {
                return Err(args.error(
                    i,
                    format!("element {index} is null; cannot concatenate null values"),
                ));
            }
            items.push(super::args::to_string(item).map_err(|m| args.error(i, m))?);
        }
    }
    let separators = separator
        .len()
        .saturating_mul(items.len().saturating_sub(1));
    args.fits(
        items
            .iter()
            .map(String::len)
            .sum::<usize>()
            .saturating_add(separators),
    )?;
    Ok(items.join(&separator).into())
}

fn split(args: &Args<'_>) -> Called {
    let separator = args.string(0)?;
    let text = args.string(1)?;
    let parts: Vec<Value> = if separator.is_empty() {
        text.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        text.split(separator.as_str()).map(Value::from).collect()
    };
    Ok(Value::List(parts))
}

fn lower(args: &Args<'_>) -> Called {
    Ok(args.string(0)?.to_lowercase().into())
}

fn upper(args: &Args<'_>) -> Called {
    Ok(args.string(0)?.to_uppercase().into())
}

/// The first letter of every word in upper case; a word starts after anything that is
/// not a letter, digit or underscore (for non-ASCII text: after white space).
fn title(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    for c in text.chars() {
        if is_word_separator(previous) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        previous = c;
    }
    Ok(out.into())
}

fn is_word_separator(c: char) -> bool {
    if c.is_ascii() {
        !(c.is_ascii_alphanumeric() || c == '_')
    } else if c.is_alphanumeric() {
        false
    } else {
        c.is_whitespace()
    }
}

fn trim(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let cutset = args.string(1)?;
    Ok(text.trim_matches(|c| cutset.contains(c)).into())
}

fn trimprefix(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let prefix = args.string(1)?;
    Ok(text.strip_prefix(prefix.as_str()).unwrap_or(&text).into())
}

fn trimsuffix(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let suffix = args.string(1)?;
    Ok(text.strip_suffix(suffix.as_str()).unwrap_or(&text).into())
}

fn trimspace(args: &Args<'_>) -> Called {
    Ok(args.string(0)?.trim().into())
}

/// Removes every trailing newline (`\n`, `\r\n` or a lone `\r`).
fn chomp(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    Ok(text.trim_end_matches(['\n', '\r']).into())
}

fn indent(args: &Args<'_>) -> Called {
    let spaces = args.integer(0)?;
    let text = args.string(1)?;
    let spaces = usize::try_from(spaces)
        .map_err(|_| args.error(0, "the number of spaces must not be negative"))?;
    let lines = text.matches('\n').count();
    args.fits(spaces.saturating_mul(lines).saturating_add(text.len()))?;
    Ok(text
        .replace('\n', &format!("\n{}", " ".repeat(spaces)))
        .into())
}

/// `replace(string, substring, replacement)`: a substring wrapped in slashes is a
/// regular expression, and the replacement may then name its groups (`$1`, `${name}`).
/// Unknown when the text or the substring is; a replacement that is not known leaves a
/// text without a match as it is (a policy document with placeholders for ARNs known
/// after apply, `replace`d only when the document has them).
fn replace(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0).or_else(|| args.unknown_at(1)) {
        return Ok(unknown);
    }
    let text = args.string(0)?;
    let search = args.string(1)?;
    let replacement = match args.unknown_at(2) {
        Some(unknown) => {
            return Ok(if matches_none(args, &text, &search)? {
                text.into()
            } else {
                unknown
            });
        }
        None => args.string(2)?,
    };
    let regex = pattern_of(&search)
        .map(|pattern| compile(args, 1, pattern))
        .transpose()?;
    let matches = match &regex {
        Some(regex) => regex.find_iter(&text).count(),
        None if search.is_empty() => text.chars().count() + 1,
        None => text.matches(search.as_str()).count(),
    };
    args.fits(
        replacement
            .len()
            .saturating_mul(matches)
            .saturating_add(text.len()),
    )?;
    let replaced = match &regex {
        Some(regex) => regex.replace_all(&text, replacement.as_str()).into_owned(),
        None if search.is_empty() => text.split("").collect::<Vec<_>>().join(&replacement),
        None => text.replace(&search, &replacement),
    };
    args.fits(replaced.len())?;
    Ok(replaced.into())
}

/// Compiles a pattern of Terraform's (RE2) syntax, with bounded memory.
pub(super) fn compile(args: &Args<'_>, i: usize, pattern: &str) -> Result<Regex, FunctionError> {
    RegexBuilder::new(pattern)
        .size_limit(4 * 1024 * 1024)
        .build()
        .map_err(|error| args.error(i, format!("invalid regular expression: {error}")))
}

/// The regular expression of a `replace` search written `/pattern/`.
fn pattern_of(search: &str) -> Option<&str> {
    search
        .strip_prefix('/')
        .and_then(|rest| rest.strip_suffix('/'))
        .filter(|_| search.len() > 1)
}

/// Whether `search` (a substring, or a `/pattern/`) occurs nowhere in `text`.
fn matches_none(args: &Args<'_>, text: &str, search: &str) -> Result<bool, FunctionError> {
    Ok(match pattern_of(search) {
        Some(pattern) => !compile(args, 1, pattern)?.is_match(text),
        None => !search.is_empty() && !text.contains(search),
    })
}

fn regex(args: &Args<'_>) -> Called {
    let pattern = args.string(0)?;
    let text = args.string(1)?;
    let regex = compile(args, 0, &pattern)?;
    let captures = regex.captures(&text).ok_or_else(|| {
        invalid("`regex`: the pattern did not match any part of the given string")
    })?;
    match_value(args, &regex, &captures)
}

fn regexall(args: &Args<'_>) -> Called {
    let pattern = args.string(0)?;
    let text = args.string(1)?;
    let regex = compile(args, 0, &pattern)?;
    let matches = regex
        .captures_iter(&text)
        .map(|captures| match_value(args, &regex, &captures))
        .collect::<Result<_, _>>()?;
    Ok(Value::List(matches))
}

/// What one match yields: the matched text without groups, a list of the groups when
/// they are unnamed, an object of them when they are named (a group that took no part
/// in the match is null).
fn match_value(args: &Args<'_>, regex: &Regex, captures: &regex::Captures<'_>) -> Called {
    let group = |i: usize| {
        captures
            .get(i)
            .map_or(Value::Null, |m| Value::from(m.as_str()))
    };
    let names: Vec<Option<&str>> = regex.capture_names().skip(1).collect();
    if names.is_empty() {
        return Ok(group(0));
    }
    let named = names.iter().filter(|name| name.is_some()).count();
    if named == 0 {
        return Ok(Value::List((1..=names.len()).map(group).collect()));
    }
    if named != names.len() {
        return Err(args.error(0, "named and unnamed capture groups cannot be mixed"));
    }
    let map: BTreeMap<String, Value> = names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| name.map(|name| (name.to_owned(), group(i + 1))))
        .collect();
    Ok(Value::Object(map))
}

/// `substr(string, offset, length)`: a negative offset counts from the end, a length of
/// -1 takes the rest; out-of-range requests are cut to the string.
fn substr(args: &Args<'_>) -> Called {
    let text = args.string(0)?;
    let offset = args.integer(1)?;
    let length = args.integer(2)?;
    let graphemes: Vec<&str> = text.graphemes(true).collect();
    let total = graphemes.len() as i64;
    let start = if offset < 0 {
        (offset + total).max(0)
    } else {
        offset.min(total)
    };
    let end = if length < 0 {
        total
    } else {
        start.saturating_add(length).min(total)
    };
    let start = usize::try_from(start).unwrap_or(0);
    let end = usize::try_from(end).unwrap_or(0);
    Ok(graphemes
        .get(start..end.max(start))
        .unwrap_or_default()
        .concat()
        .into())
}

fn strrev(args: &Args<'_>) -> Called {
    Ok(args
        .string(0)?
        .graphemes(true)
        .rev()
        .collect::<String>()
        .into())
}

fn startswith(args: &Args<'_>) -> Called {
    Ok(args.string(0)?.starts_with(&args.string(1)?).into())
}

fn endswith(args: &Args<'_>) -> Called {
    Ok(args.string(0)?.ends_with(&args.string(1)?).into())
}

fn strcontains(args: &Args<'_>) -> Called {
    Ok(args.string(0)?.contains(&args.string(1)?).into())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, list, object, s, strs, unknown};
    use crate::eval::value::Value;

    #[test]
    fn join_and_split_follow_the_documented_examples() {
        assert_eq!(
            call_ok("join", vec![s("-"), strs(&["foo", "bar", "baz"])]),
            s("foo-bar-baz")
        );
        assert_eq!(call_ok("join", vec![s(", "), strs(&["foo"])]), s("foo"));
        assert_eq!(
            call_ok("join", vec![s(","), strs(&["a"]), strs(&["b", "c"])]),
            s("a,b,c")
        );
        assert_eq!(
            call_ok("join", vec![s(","), list(vec![1.0.into(), true.into()])]),
            s("1,true")
        );
        assert!(invalid_message("join", vec![s(","), list(vec![Value::Null])]).contains("null"));
        assert!(invalid_message("join", vec![s(","), s("a")]).contains("list"));
        assert_eq!(
            call_ok("split", vec![s(","), s("foo,bar,baz")]),
            strs(&["foo", "bar", "baz"])
        );
        assert_eq!(call_ok("split", vec![s(","), s("foo")]), strs(&["foo"]));
        assert_eq!(call_ok("split", vec![s(","), s("")]), strs(&[""]));
        assert_eq!(
            call_ok("split", vec![s(""), s("abc")]),
            strs(&["a", "b", "c"])
        );
    }

    #[test]
    fn case_and_trimming() {
        assert_eq!(call_ok("lower", vec![s("HELLO")]), s("hello"));
        assert_eq!(call_ok("lower", vec![s("АЛЛО!")]), s("алло!"));
        assert_eq!(call_ok("upper", vec![s("hello")]), s("HELLO"));
        assert_eq!(call_ok("title", vec![s("hello world")]), s("Hello World"));
        assert_eq!(
            call_ok("title", vec![s("hello-world foo_bar")]),
            s("Hello-World Foo_bar")
        );
        assert_eq!(call_ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(call_ok("trim", vec![s("foobar"), s("far")]), s("oob"));
        assert_eq!(
            call_ok("trim", vec![s("   hello! world.!  "), s("! ")]),
            s("hello! world.")
        );
        assert_eq!(
            call_ok("trimprefix", vec![s("helloworld"), s("hello")]),
            s("world")
        );
        assert_eq!(
            call_ok("trimprefix", vec![s("helloworld"), s("cat")]),
            s("helloworld")
        );
        assert_eq!(
            call_ok("trimsuffix", vec![s("helloworld"), s("world")]),
            s("hello")
        );
        assert_eq!(call_ok("trimspace", vec![s("  hello\n\n")]), s("hello"));
        assert_eq!(call_ok("chomp", vec![s("hello\n")]), s("hello"));
        assert_eq!(call_ok("chomp", vec![s("hello\r\n")]), s("hello"));
        assert_eq!(call_ok("chomp", vec![s("hello\n\n")]), s("hello"));
        assert_eq!(call_ok("upper", vec![1.0.into()]), s("1"));
        assert!(invalid_message("upper", vec![Value::Null]).contains("null"));
        assert!(invalid_message("upper", vec![strs(&["a"])]).contains("string is required"));
    }

    #[test]
    fn indent_pads_every_line_but_the_first() {
        assert_eq!(
            call_ok("indent", vec![2.0.into(), s("[\n  foo,\n  bar,\n]\n")]),
            s("[\n    foo,\n    bar,\n  ]\n  ")
        );
        assert!(invalid_message("indent", vec![(-1.0).into(), s("a")]).contains("negative"));
        assert!(
            invalid_message("indent", vec![1e12.into(), s("a\nb")]).ends_with("(--max-value-size)")
        );
    }

    #[test]
    fn a_replacement_not_known_leaves_a_text_without_a_match_as_it_is() {
        let unknown = Value::unknown("known after apply");
        let replace = |text: &str, search: &str| {
            call_ok("replace", vec![s(text), s(search), unknown.clone()])
        };
        assert_eq!(
            replace("{\"Resource\": \"*\"}", "_ARN_"),
            s("{\"Resource\": \"*\"}")
        );
        assert_eq!(replace("no digits", "/[0-9]/"), s("no digits"));
        assert!(replace("arn _ARN_", "_ARN_").is_unknown());
        assert!(replace("abc", "/b/").is_unknown());
        assert!(replace("abc", "").is_unknown());
        let text_unknown = call_ok("replace", vec![unknown.clone(), s("a"), s("b")]);
        assert!(text_unknown.is_unknown());
    }

    #[test]
    fn replace_substrings_and_patterns() {
        assert_eq!(
            call_ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]),
            s("1 - 2 - 3")
        );
        assert_eq!(
            call_ok(
                "replace",
                vec![s("hello world"), s("/w.*d/"), s("everybody")]
            ),
            s("hello everybody")
        );
        assert_eq!(
            call_ok("replace", vec![s("hello world"), s("/(h)(e)/"), s("$2$1")]),
            s("ehllo world")
        );
        assert_eq!(call_ok("replace", vec![s("a/b"), s("/"), s("-")]), s("a-b"));
        assert!(
            invalid_message("replace", vec![s("a"), s("/(/"), s("b")])
                .contains("regular expression")
        );
    }

    #[test]
    fn regex_results_depend_on_the_groups() {
        assert_eq!(
            call_ok(
                "regex",
                vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")]
            ),
            s("aaabbbccc")
        );
        assert_eq!(
            call_ok(
                "regex",
                vec![s(r"(\d\d\d\d)-(\d\d)-(\d\d)"), s("2019-02-01")]
            ),
            strs(&["2019", "02", "01"])
        );
        assert_eq!(
            call_ok(
                "regex",
                vec![
                    s(r"^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                    s("https://terraform.io/docs/")
                ]
            ),
            object(&[("authority", s("terraform.io")), ("scheme", s("https"))])
        );
        assert_eq!(
            call_ok("regex", vec![s("(a)|(b)"), s("b")]),
            list(vec![Value::Null, s("b")])
        );
        assert!(invalid_message("regex", vec![s("[a-z]+"), s("123")]).contains("did not match"));
        assert!(invalid_message("regex", vec![s("(?P<a>x)(y)"), s("xy")]).contains("mixed"));
        assert_eq!(
            call_ok("regexall", vec![s("[a-z]+"), s("1234abcd5678efgh9")]),
            strs(&["abcd", "efgh"])
        );
        assert_eq!(
            call_ok("regexall", vec![s("[a-z]+"), s("123")]),
            list(vec![])
        );
    }

    #[test]
    fn substr_counts_characters_from_either_end() {
        assert_eq!(
            call_ok("substr", vec![s("hello world"), 1.0.into(), 4.0.into()]),
            s("ello")
        );
        assert_eq!(
            call_ok("substr", vec![s("🤔🤷"), 0.0.into(), 1.0.into()]),
            s("🤔")
        );
        assert_eq!(
            call_ok(
                "substr",
                vec![s("hello world"), (-5.0).into(), (-1.0).into()]
            ),
            s("world")
        );
        assert_eq!(
            call_ok("substr", vec![s("hello world"), 6.0.into(), 10.0.into()]),
            s("world")
        );
        assert_eq!(
            call_ok("substr", vec![s("hello"), 10.0.into(), 2.0.into()]),
            s("")
        );
        assert_eq!(
            call_ok("substr", vec![s("hello"), (-10.0).into(), 2.0.into()]),
            s("he")
        );
        assert_eq!(
            call_ok("substr", vec![s("hello"), 1.0.into(), 0.0.into()]),
            s("")
        );
        assert!(
            invalid_message("substr", vec![s("hello"), 1.5.into(), 1.0.into()]).contains("whole")
        );
    }

    #[test]
    fn reversal_and_tests() {
        assert_eq!(call_ok("strrev", vec![s("hello")]), s("olleh"));
        assert_eq!(call_ok("strrev", vec![s("a☃")]), s("☃a"));
        assert_eq!(
            call_ok("startswith", vec![s("hello world"), s("hello")]),
            true.into()
        );
        assert_eq!(
            call_ok("startswith", vec![s("hello world"), s("world")]),
            false.into()
        );
        assert_eq!(
            call_ok("endswith", vec![s("hello world"), s("world")]),
            true.into()
        );
        assert_eq!(
            call_ok("strcontains", vec![s("hello world"), s("wor")]),
            true.into()
        );
        assert_eq!(
            call_ok("strcontains", vec![s("hello world"), s("wod")]),
            false.into()
        );
        assert!(call_ok("startswith", vec![unknown("x"), s("a")]).is_unknown());
    }

    /// Every example of the string functions' documentation pages (`indent`'s from the
    /// page's earlier revision, which had one).
    #[test]
    fn documented_examples() {
        let cases: Vec<(&str, Vec<Value>, Value)> = vec![
            (
                "join",
                vec![s(", "), strs(&["foo", "bar", "baz"])],
                s("foo, bar, baz"),
            ),
            ("join", vec![s(", "), strs(&["foo"])], s("foo")),
            (
                "split",
                vec![s(","), s("foo,bar,baz")],
                strs(&["foo", "bar", "baz"]),
            ),
            ("split", vec![s(","), s("foo")], strs(&["foo"])),
            ("split", vec![s(","), s("")], strs(&[""])),
            ("lower", vec![s("HELLO")], s("hello")),
            ("lower", vec![s("ΓΕΙΑ ΣΟΥ")], s("γεια σου")),
            ("upper", vec![s("hello")], s("HELLO")),
            ("upper", vec![s("алло!")], s("АЛЛО!")),
            ("title", vec![s("hello world")], s("Hello World")),
            ("trim", vec![s("?!hello?!"), s("!?")], s("hello")),
            ("trim", vec![s("foobar"), s("far")], s("oob")),
            (
                "trim",
                vec![s("   hello! world.!  "), s("! ")],
                s("hello! world."),
            ),
            ("trimprefix", vec![s("helloworld"), s("hello")], s("world")),
            (
                "trimprefix",
                vec![s("helloworld"), s("cat")],
                s("helloworld"),
            ),
            ("trimsuffix", vec![s("helloworld"), s("world")], s("hello")),
            ("trimspace", vec![s("  hello\n\n")], s("hello")),
            ("chomp", vec![s("hello\n")], s("hello")),
            ("chomp", vec![s("hello\r\n")], s("hello")),
            ("chomp", vec![s("hello\n\n")], s("hello")),
            (
                "indent",
                vec![2.0.into(), s("[\n  foo,\n  bar,\n]\n")],
                s("[\n    foo,\n    bar,\n  ]\n  "),
            ),
            (
                "replace",
                vec![s("1 + 2 + 3"), s("+"), s("-")],
                s("1 - 2 - 3"),
            ),
            (
                "replace",
                vec![s("hello world"), s("/w.*d/"), s("everybody")],
                s("hello everybody"),
            ),
            (
                "regex",
                vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")],
                s("aaabbbccc"),
            ),
            (
                "regex",
                vec![s("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)"), s("2019-02-01")],
                strs(&["2019", "02", "01"]),
            ),
            (
                "regex",
                vec![
                    s("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                    s("https://terraform.io/docs/"),
                ],
                object(&[("authority", s("terraform.io")), ("scheme", s("https"))]),
            ),
            (
                "regexall",
                vec![s("[a-z]+"), s("1234abcd5678efgh9")],
                strs(&["abcd", "efgh"]),
            ),
            ("regexall", vec![s("[a-z]+"), s("123456789")], list(vec![])),
            (
                "substr",
                vec![s("hello world"), 1.0.into(), 4.0.into()],
                s("ello"),
            ),
            ("substr", vec![s("🤔🤷"), 0.0.into(), 1.0.into()], s("🤔")),
            (
                "substr",
                vec![s("hello world"), (-5.0).into(), (-1.0).into()],
                s("world"),
            ),
            ("strrev", vec![s("hello")], s("olleh")),
            ("strrev", vec![s("a ☃")], s("☃ a")),
            (
                "startswith",
                vec![s("hello world"), s("hello")],
                true.into(),
            ),
            (
                "startswith",
                vec![s("hello world"), s("world")],
                false.into(),
            ),
            ("endswith", vec![s("hello world"), s("world")], true.into()),
            ("endswith", vec![s("hello world"), s("hello")], false.into()),
            ("strcontains", vec![s("hello world"), s("wor")], true.into()),
            (
                "strcontains",
                vec![s("hello world"), s("wod")],
                false.into(),
            ),
        ];
        for (name, args, expected) in cases {
            let shown = format!("{name}({})", list(args.clone()));
            assert_eq!(call_ok(name, args), expected, "{shown}");
        }
        assert!(
            invalid_message("regex", vec![s("[a-z]+"), s("53453453.34534523454")])
                .contains("did not match")
        );
    }
}
