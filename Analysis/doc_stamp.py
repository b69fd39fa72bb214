#!/usr/bin/env python3
"""Stamps on generated documents: which model and which inputs made them.

A generated document (docs/ROBUSTNESS.md, the tables of docs/FINDINGS.md, the sweep figures of
docs/USAGE.md, the Argentine and evidence calibration reports) carries
one line

    <!-- generated: model 1a2b3c4d5e6f7a8b; Analysis/robustness.py 0f1e2d3c4b5a6978; … -->

naming the fingerprint of the model that made it (`parecon-sim validate --fingerprint`: every
shipped scenario run once, small, on fixed seeds) and a digest of each script and input file it
came from. The document is stale when the model now behaves differently or one of those files
changed; a refactoring that changes no number keeps the fingerprint.

  python3 Analysis/doc_stamp.py stamp FILE…   the line for a document made from FILE… now
  python3 Analysis/doc_stamp.py check [DOC…]  exit 1 naming every stale document (default: all
                                               of GENERATED) and how to regenerate it
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP = re.compile(r"<!-- generated: model ([0-9a-f]{16})((?:; [^;>]+? [0-9a-f]{16})*) -->")

# Every generated document, the files its stamp must name, and the command that remakes it.
GENERATED: dict[str, tuple[list[str], str]] = {
    "docs/ROBUSTNESS.md": (
        ["Analysis/robustness.py", "Scenarios/sweep-uncertainty-25.yaml"],
        "python3 Analysis/robustness.py --out results/robustness --doc docs/ROBUSTNESS.md"),
    "docs/FINDINGS.md": (
        ["Analysis/readme-figures.sh", "Analysis/headline_table.py", "Scenarios/sweep-evidence-argentina.yaml",
         "Scenarios/sweep-evidence-venezuela.yaml", "Scenarios/data/evidence-posterior-argentina.csv",
         "Scenarios/data/evidence-posterior-venezuela.csv", "docs/ROBUSTNESS.md"],
        "bash Analysis/readme-figures.sh, then paste the tables it prints and its stamp line"),
    "docs/USAGE.md": (
        ["Analysis/usage-figures.sh", "Scenarios/sweep-blocking-level.yaml", "Scenarios/sweep-pressure-threshold.yaml",
         "Scenarios/sweep-sobol-levers.yaml"],
        "bash Analysis/usage-figures.sh, then update the figures it prints and paste its stamp line"),
    "docs/calibration-argentina.md": (
        ["Scenarios/calibrate-argentina.yaml", "Scenarios/data/argentina-recovered-enterprises.csv",
         "Scenarios/data/argentina-equitable-pay-bound.csv"],
        "parecon-sim calibrate Scenarios/calibrate-argentina.yaml --out results/argentina, then copy its report.md "
        "with a stamp line from `python3 Analysis/doc_stamp.py stamp Scenarios/calibrate-argentina.yaml "
        "Scenarios/data/argentina-recovered-enterprises.csv Scenarios/data/argentina-equitable-pay-bound.csv`"),
    "docs/calibration-evidence.md": (
        ["Scenarios/calibrate-evidence.yaml", "Scenarios/data/argentina-recovered-enterprises.csv",
         "Scenarios/data/argentina-equitable-pay-bound.csv", "Scenarios/data/venezuela-comanaged-firms.csv",
         "Scenarios/data/venezuela-cooperatives.csv"],
        "parecon-sim calibrate Scenarios/calibrate-evidence.yaml --out results/evidence, then copy its report.md "
        "with a stamp line from `python3 Analysis/doc_stamp.py stamp Scenarios/calibrate-evidence.yaml`"),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def fingerprint(tool: Path, scenarios: Path = ROOT / "Scenarios") -> str:
    done = subprocess.run([str(tool), "validate", "--fingerprint", "--scenarios", str(scenarios)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"doc_stamp.py: {tool} validate --fingerprint failed:\n{done.stderr}")
    return done.stdout.strip()


def stamp(model: str, files: list[str]) -> str:
    """The stamp line for a document made now by `model` from `files` (paths from the package root)."""
    return "<!-- generated: model " + model + "".join(f"; {f} {digest(ROOT / f)}" for f in files) + " -->"


def problems(text: str, model: str, required: list[str]) -> list[str]:
    """Why a document with this text is stale (empty when it is current)."""
    found = STAMP.search(text)
    if not found:
        return ["it carries no stamp line (<!-- generated: model …; FILE DIGEST … -->)"]
    out = []
    if found.group(1) != model:
        out.append(f"it was made by a model that behaves differently (fingerprint {found.group(1)}, now {model})")
    named = dict(part.rsplit(" ", 1) for part in found.group(2).split("; ")[1:])
    for f in required:
        if f not in named:
            out.append(f"its stamp does not name {f}")
    for f, d in named.items():
        path = ROOT / f
        if not path.is_file():
            out.append(f"it was made from {f}, which no longer exists")
        elif digest(path) != d:
            out.append(f"{f} changed since it was made")
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in ("stamp", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    from parecon_results import find_tool
    model = fingerprint(find_tool("doc_stamp.py"))
    if argv[0] == "stamp":
        print(stamp(model, argv[1:]))
        return 0
    stale = 0
    for doc in argv[1:] or list(GENERATED):
        required, command = GENERATED.get(doc, ([], "its generator"))
        for p in problems((ROOT / doc).read_text(), model, required):
            print(f"{doc} is stale: {p}; regenerate it: {command}", file=sys.stderr)
            stale += 1
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
