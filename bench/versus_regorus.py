#!/usr/bin/env python3
"""Palisade and regorus side by side on the same Terraform plan, in one sitting.

    python3 bench/versus_regorus.py [--resources 10000] [--seed 1] [--runs 7]
                                    [--binary target/release/palisade]
                                    [--generator ../shared/bench/gen_corpus.py]
                                    [--peers ../shared/bench/peers] [--regorus PATH]
                                    [--json OUT] [--keep]

Plans are where the policy engines of other tools compete: regorus (a Rust Rego
interpreter) runs the hand-written Rego of the three original rules (`peers/plan.rego`,
query `data.bench.findings`) over the same plan JSON. The generator writes one plan;
then three commands run in turns, `--runs` times each after one warm-up run apiece:

- palisade with every built-in rule loaded, as a user runs it;
- palisade with `--rule` for each of the three rules the Rego implements;
- regorus-cli with the Rego.

Taking turns keeps a change in the machine's load from favouring one of them. Each run
is measured as `bench/run.py` measures it (wall time around the child, the child's own
peak RSS), and the findings of each tool's last run are scored against the ground truth.
The table gives medians, and each row's ratio to regorus: the figure to keep low.

regorus-cli is the 35-line program in `PEERS/regorus-cli` (regorus 0.14.1 from
crates.io). Unless `--regorus` names a built one, it is built with cargo into
`$TMPDIR/regorus-cli` the first time (a few minutes) and reused after. Without the peers'
directory, get `plan.rego` and `regorus-cli/` from the benchmark generator's repository
(the `peers/` directory next to `gen_corpus.py`) and pass `--peers`. Timings are only
comparable on a quiet machine (`uptime`); build palisade first with
`cargo build --release`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from run import (DEFAULT_BINARY, DEFAULT_GENERATOR, REPORTED_EXIT_CODES, RULES, BenchError,
                 Case, Medians, generate, markdown_table, recall_precision, run_child,
                 scorer_path, work_directory)

DEFAULT_PEERS = DEFAULT_GENERATOR.parent / "peers"
REGORUS_QUERY = "data.bench.findings"


@dataclass
class Tool(Medians):
    """One command measured in turns with the others, and what its runs gave."""

    name: str
    command: list[str]
    # Where the command's standard output goes, and the file its findings are read from.
    stdout: Path
    output: Path
    # Turns that file into the generator scorer's `generic` list.
    findings: Callable[[Path], list[dict]]
    walls: list[float] = field(default_factory=list)
    peak_rss_kib: list[int] = field(default_factory=list)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--resources", type=int, default=10000,
                        help="resources in the generated plan (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1,
                        help="generator seed; the peers' figures use 1 (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=7,
                        help="timed runs of each command after its warm-up (default: %(default)s)")
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY,
                        help="the palisade executable (default: target/release/palisade)")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR,
                        help="the corpus generator (default: ../shared/bench/gen_corpus.py)")
    parser.add_argument("--peers", type=Path, default=DEFAULT_PEERS,
                        help="where plan.rego and regorus-cli/ are "
                        "(default: ../shared/bench/peers)")
    parser.add_argument("--regorus", type=Path,
                        help="a built regorus-cli; by default PEERS/regorus-cli is built "
                        "into $TMPDIR/regorus-cli")
    parser.add_argument("--json", type=Path, metavar="OUT",
                        help="also write every measurement to this JSON file")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory with the plan and the outputs")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.resources < 1:
        parser.error("--runs and --resources must be at least 1")
    return args


def regorus_binary(args: argparse.Namespace) -> Path:
    """The regorus-cli to run: the one given, else the peers' one, built when missing."""
    if args.regorus:
        if not os.access(args.regorus, os.X_OK):
            raise BenchError(f"{args.regorus} is not an executable (see --regorus)")
        return args.regorus
    source = args.peers / "regorus-cli"
    if not (source / "Cargo.toml").is_file():
        raise BenchError(
            f"{source} not found: pass --peers (the `peers/` directory next to the "
            "benchmark generator) or --regorus with a built regorus-cli"
        )
    target = Path(tempfile.gettempdir()) / "regorus-cli"
    binary = target / "release" / "regorus-cli"
    if not os.access(binary, os.X_OK):
        print(f"building regorus-cli into {target} (once)...", file=sys.stderr)
        environment = dict(os.environ, CARGO_TARGET_DIR=str(target))
        built = subprocess.run(["cargo", "build", "--release"], cwd=source, env=environment,
                               capture_output=True, text=True)
        if built.returncode != 0:
            raise BenchError(f"building regorus-cli failed: {built.stderr.strip()[-2000:]}")
    return binary


def palisade_findings(report_path: Path) -> list[dict]:
    report = json.loads(report_path.read_text())
    return [{"rule": f["rule"], "address": f["resource"]["address"]}
            for f in report["findings"]]


def regorus_findings(out_path: Path) -> list[dict]:
    return json.loads(out_path.read_text())


def tools(args: argparse.Namespace, plan: Path, workdir: Path) -> list[Tool]:
    cache = workdir / "cache"
    palisade = [str(args.binary), "check", str(plan), "--format", "json",
                "--cache-dir", str(cache)]
    three = [arg for rule in RULES for arg in ("--rule", rule)]
    regorus_out = workdir / "regorus.json"
    regorus = [str(regorus_binary(args)), str(args.peers / "plan.rego"), str(plan),
               REGORUS_QUERY, str(regorus_out)]
    every, only_three = workdir / "every.json", workdir / "three.json"
    return [
        Tool("palisade, every rule", palisade, every, every, palisade_findings),
        Tool("palisade, the three rules", palisade + three, only_three, only_three,
             palisade_findings),
        Tool("regorus 0.14.1, Rego of the three rules", regorus, workdir / "regorus.out",
             regorus_out, regorus_findings),
    ]


def run_once(tool: Tool, scratch: Path) -> tuple[float, int]:
    """One run of `tool`: its wall time and peak RSS (KiB)."""
    allowed = REPORTED_EXIT_CODES if tool.name.startswith("palisade") else (0,)
    run = run_child(tool.command, tool.stdout, scratch / "stderr", allowed)
    return run.wall, run.peak_rss_kib


def score(args: argparse.Namespace, corpus: Path, tool: Tool, scratch: Path) -> dict:
    findings_path, scores_path = scratch / "findings.json", scratch / "scores.json"
    findings_path.write_text(json.dumps(tool.findings(tool.output)))
    done = subprocess.run([sys.executable, str(scorer_path(args.generator)), str(corpus),
                           str(findings_path), "--tool", "generic", "--json", str(scores_path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"scoring {tool.name} failed: {done.stderr.strip()}")
    scores = json.loads(scores_path.read_text())
    return {rule: scores[rule] for rule in RULES}


def table(measured: list[Tool], scores: dict[str, dict], runs: int) -> str:
    regorus = measured[-1].median_wall
    header = ["tool", f"median wall ({runs} runs)", "min wall", "peak RSS",
              "x regorus", *(f"{rule} R / P" for rule in RULES)]
    rows = [[tool.name, f"{tool.median_wall:.3f} s", f"{tool.min_wall:.3f} s",
             f"{tool.median_rss_mib:.0f} MB", f"{tool.median_wall / regorus:.2f}",
             *(recall_precision(scores[tool.name][rule]) for rule in RULES)]
            for tool in measured]
    return markdown_table(header, rows)


def bench(args: argparse.Namespace, workdir: Path) -> tuple[list[Tool], dict]:
    if not os.access(args.binary, os.X_OK):
        raise BenchError(f"{args.binary} not found: build it first with `cargo build --release`")
    if not (args.peers / "plan.rego").is_file() and not args.regorus:
        raise BenchError(f"{args.peers / 'plan.rego'} not found (see --peers)")
    corpus, scratch = workdir / "corpus", workdir / "scratch"
    scratch.mkdir(parents=True)
    print(f"generating a plan of {args.resources} resources...", file=sys.stderr)
    generate(args.generator, Case("plan", args.resources), args.seed, corpus)
    measured = tools(args, corpus / "plan.json", workdir)
    for tool in measured:  # warm-up: compiles the policies, reads the plan into the page cache
        run_once(tool, scratch)
    for turn in range(args.runs):
        print(f"turn {turn + 1} of {args.runs}...", file=sys.stderr)
        for tool in measured:
            wall, rss = run_once(tool, scratch)
            tool.walls.append(wall)
            tool.peak_rss_kib.append(rss)
    return measured, {tool.name: score(args, corpus, tool, scratch) for tool in measured}


def write_json(path: Path, args: argparse.Namespace, measured: list[Tool], scores: dict) -> None:
    document = {
        "resources": args.resources, "seed": args.seed, "runs": args.runs,
        "tools": [{"name": tool.name, "command": tool.command, "wall_seconds": tool.walls,
                   "median_wall_seconds": tool.median_wall, "peak_rss_kib": tool.peak_rss_kib,
                   "accuracy": scores[tool.name]} for tool in measured],
    }
    path.write_text(json.dumps(document, indent=1) + "\n")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        with work_directory("palisade-vs-regorus-", args.keep) as workdir:
            measured, scores = bench(args, workdir)
            load = os.getloadavg()[0]
            print(f"\n## Plan of {args.resources} resources (seed {args.seed}), in turns; "
                  f"load average {load:.2f} at the end\n")
            print(table(measured, scores, args.runs))
            if args.json:
                write_json(args.json, args, measured, scores)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
