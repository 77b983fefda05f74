#!/usr/bin/env python3
"""Load report of `palisade check` over real, unlabeled modules.

    python3 bench/corpus_report.py [--corpus ../shared/corpus/unlabeled]
                                   [--binary target/release/palisade] [--cache-dir DIR]

Every top-level directory of the corpus is one module set, scanned as a whole with
`--format json --verbose`. The report is one Markdown table with a row per set (files,
resources, notes about values that could not be decided, findings per rule, errors),
followed by every error with its file:line:col and message, so that a reader can judge
whether each one is a real defect of the input or a gap in palisade.

The modules carry no ground truth; this measures how much of real code loads and
evaluates, not whether the findings are right. The script exits non-zero only when
palisade could not be run or did not print a report.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = PROJECT_ROOT / "target" / "release" / "palisade"
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "unlabeled"
BUILTIN_RULES = ("public-bucket", "open-ssh", "unencrypted-disk")
UNKNOWN_VALUE_NOTE = "could not decide"
# Exit codes of `palisade check` that still come with a full JSON report.
REPORTED_EXIT_CODES = (0, 1, 2)


class ReportError(Exception):
    """Palisade could not be run on a set; the only reason to exit non-zero."""


@dataclass
class SetReport:
    """What palisade made of one module set."""

    name: str
    root: Path
    files: int
    resources: int
    unknown_notes: int
    other_notes: int
    findings_by_rule: Counter
    errors: list[dict]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS,
        help="directory whose top-level directories are the module sets "
        "(default: ../shared/corpus/unlabeled)",
    )
    parser.add_argument(
        "--binary", type=Path, default=DEFAULT_BINARY,
        help="the palisade executable (default: target/release/palisade)",
    )
    parser.add_argument(
        "--cache-dir", type=Path,
        help="compiled-policy cache shared by all sets "
        "(default: a temporary directory, removed afterwards)",
    )
    return parser.parse_args(argv)


def module_sets(corpus: Path) -> list[Path]:
    if not corpus.is_dir():
        raise ReportError(f"{corpus} is not a directory (see --corpus)")
    return sorted(path for path in corpus.resolve().iterdir() if path.is_dir())


def check(binary: Path, module_set: Path, cache_dir: Path) -> dict:
    command = [str(binary), "check", str(module_set), "--format", "json", "--verbose",
               "--cache-dir", str(cache_dir)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in REPORTED_EXIT_CODES:
        raise ReportError(f"`{' '.join(command)}` exited with {done.returncode}: "
                          f"{done.stderr.strip()}")
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise ReportError(f"`{' '.join(command)}` did not print a JSON report: {error}") from None


def summarize(module_set: Path, report: dict) -> SetReport:
    unknown = sum(1 for note in report["notes"]
                  if note["message"].startswith(UNKNOWN_VALUE_NOTE))
    return SetReport(
        name=module_set.name,
        root=module_set,
        files=report["summary"]["files"],
        resources=report["summary"]["resources"],
        unknown_notes=unknown,
        other_notes=len(report["notes"]) - unknown,
        findings_by_rule=Counter(finding["rule"] for finding in report["findings"]),
        errors=report["errors"],
    )


def rule_columns(reports: list[SetReport]) -> list[str]:
    """The built-in rules, then any other rule that reported something, in name order."""
    seen = set().union(*(r.findings_by_rule for r in reports))
    return [*BUILTIN_RULES, *sorted(seen - set(BUILTIN_RULES))]


def summary_table(reports: list[SetReport]) -> str:
    rules = rule_columns(reports)
    header = ["module set", "files", "resources", "unknown-value notes", "other notes",
              *rules, "errors"]
    rows = [[r.name, r.files, r.resources, r.unknown_notes, r.other_notes,
             *(r.findings_by_rule[rule] for rule in rules), len(r.errors)]
            for r in reports]
    totals = [sum(column) for column in zip(*(row[1:] for row in rows))]
    rows.append(["**total**", *totals])
    return markdown_table(header, rows)


def markdown_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def error_location(error: dict, root: Path) -> str:
    if error["file"] is None:
        return f"policy {error['policy']}" if error["policy"] else "(no location)"
    path = Path(error["file"])
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return f"{shown}:{error['line'] or '?'}:{error['column'] or '?'}"


def error_list(reports: list[SetReport]) -> str:
    sections = []
    for report in reports:
        if not report.errors:
            continue
        lines = [f"### {report.name}", ""]
        lines += [f"- `{error_location(e, report.root)}`: {e['message']}"
                  for e in report.errors]
        sections.append("\n".join(lines))
    return "\n\n".join(sections) if sections else "No errors."


def print_report(corpus: Path, reports: list[SetReport]) -> None:
    print(f"## palisade check over {corpus}\n")
    print(summary_table(reports))
    print("\n## Errors\n")
    print(error_list(reports))


def run(args: argparse.Namespace, cache_dir: Path) -> None:
    if not args.binary.is_file():
        raise ReportError(f"{args.binary} not found: build it first with `cargo build --release`")
    reports = []
    for module_set in module_sets(args.corpus):
        print(f"checking {module_set.name}...", file=sys.stderr)
        reports.append(summarize(module_set, check(args.binary, module_set, cache_dir)))
    print_report(args.corpus, reports)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        if args.cache_dir:
            run(args, args.cache_dir)
        else:
            with tempfile.TemporaryDirectory(prefix="palisade-corpus-") as cache_dir:
                run(args, Path(cache_dir))
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
