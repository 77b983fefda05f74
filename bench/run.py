#!/usr/bin/env python3
"""Benchmark `palisade check` on the synthetic corpus: speed, memory and accuracy.

    python3 bench/run.py [--formats tf,ros,plan] [--resources 1000,10000] [--seed 1]
                         [--runs 5] [--binary target/release/palisade]
                         [--generator ../shared/bench/gen_corpus.py] [--json OUT] [--profile]
                         [--rule ID ...] [--versus-rule ID ...]

For every format and size the synthetic corpus generator writes a corpus (with its ground
truth) into a temporary directory; ROS is generated twice, as YAML and as JSON. Palisade
runs once with a fresh compile cache (the warm-up, which compiles the policies), then
`--runs` times against that warm cache. Each timed run is measured from outside: wall time
around the child process and the child's own peak RSS (from `wait4`). The findings of the
last run are scored against the ground truth with the generator's scorer.

The results are printed as Markdown tables, followed by the peer tools' figures from the
generator's README as the baseline. The script exits non-zero only when something could
not be run; slow numbers are reported, never asserted. Build the binary first with
`cargo build --release`.

With `--versus-rule` (repeatable), every timed run is followed by one of the same check
with only those rules (`palisade check --rule ID ...`), on the same corpus and cache, and
a second table sets the two side by side: what loading every rule costs over the few,
measured in turns, so that a machine that slows down during the sitting slows both.

The README's figures for the peers are from another sitting. To measure Palisade against
regorus (the Rego of the three original rules) on the same plan in one sitting, with
medians and the ratio, run `python3 bench/versus_regorus.py` (`--help`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = PROJECT_ROOT / "target" / "release" / "palisade"
DEFAULT_GENERATOR = PROJECT_ROOT.parent / "shared" / "bench" / "gen_corpus.py"
RULES = ("public-bucket", "open-ssh", "unencrypted-disk")
FORMATS = ("tf", "ros", "plan")
# Exit codes of `palisade check` that still come with a full JSON report.
REPORTED_EXIT_CODES = (0, 1, 2)
PROFILE_TOP_SYMBOLS = 15
# `perf report --stdio` pads every row with empty ("-") columns; they carry nothing here.
TRAILING_PERF_COLUMNS = re.compile(r"(\s+-)*\s*$")


class BenchError(Exception):
    """Something the benchmark needs could not be run; the only reason to exit non-zero."""


@dataclass(frozen=True)
class Case:
    """One corpus to benchmark: a generator format (and ROS syntax) at one size."""

    format: str
    resources: int
    ros_syntax: str | None = None

    @property
    def label(self) -> str:
        return f"{self.format} ({self.ros_syntax})" if self.ros_syntax else self.format

    @property
    def slug(self) -> str:
        return f"{self.label.replace(' (', '-').rstrip(')')}-{self.resources}"


@dataclass
class Run:
    """One measured `palisade check`: wall seconds and the child's peak RSS."""

    wall: float
    peak_rss_kib: int
    exit_code: int


class Medians:
    """The figures of repeated runs, for a class with `walls` (seconds) and
    `peak_rss_kib` lists."""

    walls: list[float]
    peak_rss_kib: list[int]

    @property
    def median_wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def min_wall(self) -> float:
        return min(self.walls)

    @property
    def median_rss_mib(self) -> float:
        return statistics.median(self.peak_rss_kib) / 1024


@dataclass
class CaseResult(Medians):
    """Everything measured for one case, ready to print or dump as JSON."""

    case: Case
    files: int
    resources_read: int
    findings: int
    errors: int
    walls: list[float]
    peak_rss_kib: list[int]
    accuracy: dict[str, dict] = field(default_factory=dict)
    first_error: str | None = None
    profile: str | None = None
    # The runs with only the `--versus-rule` rules, taken in turns with the others.
    versus_walls: list[float] = field(default_factory=list)
    versus_rss_kib: list[int] = field(default_factory=list)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help="comma-separated corpus formats among tf, ros and plan; "
        "ros runs both the YAML and the JSON syntax (default: %(default)s)",
    )
    parser.add_argument(
        "--resources",
        default="1000,10000",
        help="comma-separated corpus sizes, in resources (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=1,
        help="generator seed; the peers' figures use seed 1 (default: %(default)s)",
    )
    parser.add_argument(
        "--runs", type=int, default=5,
        help="timed runs per case after the warm-up run (default: %(default)s)",
    )
    parser.add_argument(
        "--binary", type=Path, default=DEFAULT_BINARY,
        help="the palisade executable to measure (default: target/release/palisade)",
    )
    parser.add_argument(
        "--generator", type=Path, default=DEFAULT_GENERATOR,
        help="the corpus generator; its score.py and README.md are read from the same "
        "directory (default: ../shared/bench/gen_corpus.py)",
    )
    parser.add_argument(
        "--json", type=Path, metavar="OUT",
        help="also write every measurement and score to this JSON file",
    )
    parser.add_argument(
        "--profile", action="store_true",
        help="per case, one extra run under `perf record -g` and its top "
        f"{PROFILE_TOP_SYMBOLS} symbols (skipped when perf is not installed)",
    )
    parser.add_argument(
        "--rule", action="append", default=[], metavar="ID",
        help="run only this rule (repeatable), as `palisade check --rule`: to compare "
        "the cost of every built-in rule with that of a few",
    )
    parser.add_argument(
        "--versus-rule", action="append", default=[], metavar="ID",
        help="also time, in turns with each run, a check with only this rule "
        "(repeatable), and print both side by side with the ratios",
    )
    parser.add_argument(
        "--keep", action="store_true",
        help="keep the temporary directory with the corpora and reports, and print its path",
    )
    args = parser.parse_args(argv)
    args.formats = split_list(parser, "--formats", args.formats, str)
    args.resources = split_list(parser, "--resources", args.resources, int)
    if not args.formats or not args.resources:
        parser.error("--formats and --resources need at least one value each")
    unknown = [f for f in args.formats if f not in FORMATS]
    if unknown:
        parser.error(f"--formats: unknown format {', '.join(unknown)} (use {', '.join(FORMATS)})")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def split_list(parser: argparse.ArgumentParser, option: str, text: str, kind: type) -> list:
    try:
        return [kind(item.strip()) for item in text.split(",") if item.strip()]
    except ValueError:
        parser.error(f"{option}: expected a comma-separated list, got {text!r}")


def cases_for(formats: list[str], sizes: list[int]) -> list[Case]:
    cases = []
    for fmt in formats:
        for size in sizes:
            if fmt == "ros":
                cases += [Case(fmt, size, "yaml"), Case(fmt, size, "json")]
            else:
                cases.append(Case(fmt, size))
    return cases


def check_inputs(args: argparse.Namespace) -> None:
    if not os.access(args.binary, os.X_OK):
        raise BenchError(
            f"{args.binary} not found: build it first with `cargo build --release`"
        )
    for path in (args.generator, scorer_path(args.generator)):
        if not path.is_file():
            raise BenchError(f"{path} not found (see --generator)")


def scorer_path(generator: Path) -> Path:
    return generator.parent / "score.py"


def generate(generator: Path, case: Case, seed: int, outdir: Path) -> None:
    command = [sys.executable, str(generator), str(outdir),
               "--resources", str(case.resources), "--seed", str(seed),
               "--format", case.format]
    if case.ros_syntax:
        command += ["--ros-syntax", case.ros_syntax]
    run_quietly(command, f"generating {case.label} at {case.resources}")


def run_quietly(command: list[str], what: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"{what} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def check_command(binary: Path, corpus: Path, cache_dir: Path, rules: list[str]) -> list[str]:
    command = [str(binary), "check", str(corpus), "--format", "json", "--cache-dir", str(cache_dir)]
    for rule in rules:
        command += ["--rule", rule]
    return command


def measure(command: list[str], scratch: Path) -> Run:
    """One `palisade check`, its report written to `scratch`."""
    return run_child(command, scratch / "report.json", scratch / "stderr.txt",
                     REPORTED_EXIT_CODES)


def run_child(command: list[str], stdout_path: Path, stderr_path: Path,
              allowed: tuple[int, ...]) -> Run:
    """Runs one child and reads its rusage with `wait4`. Linux counts in a child's peak
    RSS what its process held before `exec`, a copy of this script, so the scripts keep
    no report in memory while they measure: the RSS stays the child's own. An exit code
    outside `allowed` is an error, with the end of the child's stderr."""
    with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in allowed:
        raise BenchError(
            f"`{' '.join(command)}` exited with {code}: "
            f"{stderr_path.read_text(errors='replace').strip()[-2000:]}"
        )
    return Run(wall, usage.ru_maxrss, code)


@contextlib.contextmanager
def work_directory(prefix: str, keep: bool):
    """A temporary directory for corpora and reports, removed afterwards unless `keep`."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
    finally:
        if keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def last_report(command: list[str], scratch: Path) -> dict:
    """The JSON report of the last run of `command` in `scratch`."""
    try:
        return json.loads((scratch / "report.json").read_text())
    except json.JSONDecodeError as error:
        raise BenchError(f"`{' '.join(command)}` did not print a JSON report: {error}") from None


def score(generator: Path, corpus: Path, report: dict, scratch: Path) -> dict[str, dict]:
    """Scores the report's findings with the generator's own scorer (`--tool generic`)."""
    findings = [{"rule": f["rule"], "address": f["resource"]["address"]}
                for f in report["findings"]]
    findings_path, scores_path = scratch / "findings.json", scratch / "scores.json"
    findings_path.write_text(json.dumps(findings))
    run_quietly([sys.executable, str(scorer_path(generator)), str(corpus),
                 str(findings_path), "--tool", "generic", "--json", str(scores_path)],
                f"scoring {corpus}")
    scores = json.loads(scores_path.read_text())
    return {rule: scores[rule] for rule in RULES}


def bench_case(args: argparse.Namespace, case: Case, workdir: Path) -> CaseResult:
    casedir = workdir / case.slug
    corpus, scratch = casedir / "corpus", casedir / "scratch"
    scratch.mkdir(parents=True)
    generate(args.generator, case, args.seed, corpus)
    command = check_command(args.binary, corpus, casedir / "cache", args.rule)
    measure(command, scratch)  # warm-up: compiles the policies into the fresh cache
    versus_command = check_command(args.binary, corpus, casedir / "cache", args.versus_rule)
    if args.versus_rule:
        measure(versus_command, scratch)
    runs, versus = [], []
    for _ in range(args.runs):
        if args.versus_rule:
            versus.append(measure(versus_command, scratch))
        runs.append(measure(command, scratch))
    report = last_report(command, scratch)
    errors = report["errors"]
    return CaseResult(
        case=case,
        files=report["summary"]["files"],
        resources_read=report["summary"]["resources"],
        findings=len(report["findings"]),
        errors=len(errors),
        walls=[run.wall for run in runs],
        peak_rss_kib=[run.peak_rss_kib for run in runs],
        accuracy=score(args.generator, corpus, report, scratch),
        first_error=errors[0]["message"] if errors else None,
        profile=profile(case, command, scratch) if args.profile else None,
        versus_walls=[run.wall for run in versus],
        versus_rss_kib=[run.peak_rss_kib for run in versus],
    )


def profile(case: Case, command: list[str], scratch: Path) -> str:
    """Answers "where does the time go": one run under perf, top symbols by self time."""
    title = f"### Profile: {case.label}, {case.resources} resources"
    if shutil.which("perf") is None:
        return f"{title}\n\nskipped: perf is not installed"
    data = scratch / "perf.data"
    record = ["perf", "record", "-g", "--quiet", "-o", str(data), "--", *command]
    subprocess.run(record, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    report = subprocess.run(
        ["perf", "report", "-i", str(data), "--no-children", "--sort", "symbol", "--stdio",
         "-g", "none", "--percent-limit", "0.5"],
        capture_output=True, text=True,
    )
    if report.returncode != 0:
        return f"{title}\n\nperf failed: {report.stderr.strip()}"
    rows = [TRAILING_PERF_COLUMNS.sub("", line) for line in report.stdout.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    top = "\n".join(rows[:PROFILE_TOP_SYMBOLS])
    return f"{title} (top {PROFILE_TOP_SYMBOLS} symbols, self time)\n\n```\n{top}\n```"


def recall_precision(scores: dict) -> str:
    def number(value):
        return "n/a" if value is None else f"{value:.2f}"
    return f"{number(scores['recall'])} / {number(scores['precision'])}"


def results_table(results: list[CaseResult], runs: int) -> str:
    header = ["format", "resources", "files", f"median wall ({runs} runs)", "min wall",
              "peak RSS", "errors", *(f"{rule} R / P" for rule in RULES)]
    rows = [[r.case.label, str(r.case.resources), str(r.files), f"{r.median_wall:.3f} s",
             f"{r.min_wall:.3f} s", f"{r.median_rss_mib:.0f} MB", str(r.errors),
             *(recall_precision(r.accuracy[rule]) for rule in RULES)]
            for r in results]
    return markdown_table(header, rows)


def versus_table(results: list[CaseResult], rules: list[str], runs: int) -> str:
    """Each case with its rules and with only `rules`, medians of runs taken in turns."""
    def more(value: float, base: float) -> str:
        return f"{(value / base - 1) * 100:+.0f} %"
    header = ["format", "resources", f"median wall ({runs} runs)", "with only those",
              "time", "peak RSS", "with only those", "memory"]
    rows = []
    for r in results:
        wall, rss = r.median_wall, r.median_rss_mib
        versus_wall = statistics.median(r.versus_walls)
        versus_rss = statistics.median(r.versus_rss_kib) / 1024
        rows.append([r.case.label, str(r.case.resources), f"{wall:.3f} s",
                     f"{versus_wall:.3f} s", more(wall, versus_wall), f"{rss:.0f} MB",
                     f"{versus_rss:.0f} MB", more(rss, versus_rss)])
    return f"Against only {', '.join(rules)}:\n\n" + markdown_table(header, rows)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def peer_rows(readme: Path, formats: list[str]) -> list[list[str]]:
    """The peers' rows of the generator README's table (all measured at 10k, seed 1)."""
    if not readme.is_file():
        return []
    rows = []
    for line in readme.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1] in formats:
            rows.append(cells)
    return rows


def error_notes(results: list[CaseResult]) -> list[str]:
    return [f"- {r.case.label} at {r.case.resources}: {r.errors} error(s), "
            f"first: {r.first_error}" for r in results if r.errors]


def print_report(args: argparse.Namespace, results: list[CaseResult]) -> None:
    print(f"\n## palisade check (seed {args.seed}, warm compile cache)\n")
    print(results_table(results, args.runs))
    if args.versus_rule:
        print(f"\n{versus_table(results, args.versus_rule, args.runs)}")
    notes = error_notes(results)
    if notes:
        print("\nErrors reported by palisade (the corpus was not checked in full):\n")
        print("\n".join(notes))
    peers = peer_rows(args.generator.parent / "README.md", args.formats)
    if peers:
        print(f"\n## Baseline: peer tools at 10k resources, seed 1 "
              f"(from {args.generator.parent / 'README.md'})\n")
        header = ["tool", "input", "10k resources, wall", "peak RSS",
                  "recall public-bucket / open-ssh / unencrypted-disk"]
        print(markdown_table(header, peers))
    for r in results:
        if r.profile:
            print(f"\n{r.profile}")


def write_json(path: Path, args: argparse.Namespace, results: list[CaseResult]) -> None:
    document = {
        "seed": args.seed,
        "runs": args.runs,
        "binary": str(args.binary),
        "cases": [{
            "format": r.case.format, "ros_syntax": r.case.ros_syntax,
            "resources": r.case.resources, "files": r.files,
            "resources_read": r.resources_read, "findings": r.findings, "errors": r.errors,
            "first_error": r.first_error, "wall_seconds": r.walls,
            "median_wall_seconds": r.median_wall, "min_wall_seconds": r.min_wall,
            "peak_rss_kib": r.peak_rss_kib, "accuracy": r.accuracy,
            "versus_rules": args.versus_rule, "versus_wall_seconds": r.versus_walls,
            "versus_peak_rss_kib": r.versus_rss_kib,
        } for r in results],
    }
    path.write_text(json.dumps(document, indent=1) + "\n")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        with work_directory("palisade-bench-", args.keep) as workdir:
            check_inputs(args)
            results = []
            for case in cases_for(args.formats, args.resources):
                print(f"benchmarking {case.label} at {case.resources} resources...",
                      file=sys.stderr)
                results.append(bench_case(args, case, workdir))
            print_report(args, results)
            if args.json:
                write_json(args.json, args, results)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
