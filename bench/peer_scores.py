#!/usr/bin/env python3
"""Score Palisade rules on the peers' public test fixtures.

    python3 bench/peer_scores.py ROOT [--labels bench/peer-labels/network.json]
                                      [--binary target/release/palisade]
                                      [--policy COMPONENT.wasm ...]

A labels file is a JSON list of cases, one per resource of a peer fixture:

    {"rule": "open-rdp", "peer": "checkov", "peer_check": "CKV_ALI_3",
     "file": "tests/.../main.tf", "resource": "alicloud_security_group_rule.x",
     "upstream": "fail", "expected": "pass", "note": "why"}

`upstream` is the peer's verdict, `expected` the label under Palisade's semantics
(../shared/RULES.md). `file` is relative to ROOT/<peer>. Each file is copied alone into a
temporary directory (a KICS test directory holds several files defining the same
resources, which Terraform would reject as duplicates) and checked with
`palisade check FILE --format json --rule RULE`; a case fails when a finding names its
resource. The script prints, per rule, the number of cases, how many Palisade results
agree with `expected`, every case where they do not, and every case where `expected`
departs from the peer's verdict, with its note. It exits 1 when a Palisade result
disagrees with `expected`, 2 when a file cannot be checked.

How to fetch ROOT for a labels file is in the Markdown file beside it
(bench/peer-labels/network.md for network.json).

The verdicts come from the peers' tests: InfraGuard labels per file (compliant/violation),
Checkov lists the passing and failing addresses in test_<Check>.py, KICS lists the
failing files in positive_expected_result.json (every negative*.tf passes).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def failing_resources(binary: Path, policies: list[Path], path: Path, rule: str) -> set[str]:
    """Addresses of the resources for which `rule` reports a finding in `path` alone."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        run = subprocess.run([str(binary), "check", str(copy), "--format", "json",
                              "--rule", rule,
                              *[arg for p in policies for arg in ("--policy", str(p))]],
                             capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"{path}: palisade exited {run.returncode}: {run.stderr.strip()}")
    report = json.loads(run.stdout)
    if report["errors"]:
        raise RuntimeError(f"{path}: {report['errors']}")
    return {f["resource"]["address"] for f in report["findings"] if f["rule"] == rule}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="directory holding <peer>/<file>")
    parser.add_argument("--labels", type=Path,
                        default=PROJECT_ROOT / "bench" / "peer-labels" / "network.json")
    parser.add_argument("--binary", type=Path,
                        default=PROJECT_ROOT / "target" / "release" / "palisade")
    parser.add_argument("--policy", type=Path, action="append", default=[],
                        help="an extra policy component holding the rules to score "
                             "(one not built into the binary yet)")
    args = parser.parse_args()

    cases = json.loads(args.labels.read_text())
    found: dict[tuple[str, str, str], set[str]] = {}
    by_rule: dict[str, list[dict]] = defaultdict(list)
    try:
        for case in cases:
            key = (case["rule"], case["peer"], case["file"])
            if key not in found:
                found[key] = failing_resources(args.binary, args.policy, args.root / case["peer"] / case["file"],
                                               case["rule"])
            case["palisade"] = "fail" if case["resource"] in found[key] else "pass"
            by_rule[case["rule"]].append(case)
    except (RuntimeError, OSError, json.JSONDecodeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

    def line(c: dict) -> str:
        return (f"    {c['peer']} {c['peer_check']}: {c['file']} {c['resource']}: upstream "
                f"{c['upstream']}, expected {c['expected']}, palisade {c['palisade']}"
                f" ({c['note']})")

    print("| rule | cases | palisade = expected | upstream = expected |")
    print("|---|---|---|---|")
    for rule, rows in by_rule.items():
        ok = sum(c["palisade"] == c["expected"] for c in rows)
        up = sum(c["upstream"] == c["expected"] for c in rows)
        print(f"| {rule} | {len(rows)} | {ok} | {up} |")
    bugs = 0
    for rule, rows in by_rule.items():
        print(f"\n{rule}")
        wrong = [c for c in rows if c["palisade"] != c["expected"]]
        bugs += len(wrong)
        print(f"  Palisade disagrees with the expected label: {len(wrong)}")
        for c in wrong:
            print(line(c))
        split = [c for c in rows if c["upstream"] != c["expected"]]
        print(f"  Expected label departs from the peer's verdict: {len(split)}")
        for c in split:
            print(line(c))
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
