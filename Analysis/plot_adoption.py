#!/usr/bin/env python3
"""Plot adoption curves with 5–95% bands from a parecon-sim result folder (PNG and SVG)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from parecon_results import ResultFolderError, load_results, save_figure  # noqa: E402

CURVES = [("workforce_bjc", "balanced job complexes"), ("workforce_pay", "equitable pay"), ("workforce_both", "both")]


def plot(folder: Path, out: Path) -> list[Path]:
    results = load_results(folder)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for column, label in CURVES:
        b = results.bands(column)
        years = b.index / 12
        ax.plot(years, 100 * b["mean"], label=label)
        ax.fill_between(years, 100 * b["p5"], 100 * b["p95"], alpha=0.2)
    ax.set_xlabel("years")
    ax.set_ylabel("share of the workforce (%)")
    ax.set_ylim(0, 100)
    ax.set_title(f"Adoption: {results.scenario} ({results.runs.shape[0]} replicates, bands 5–95%)")
    ax.legend()
    return save_figure(fig, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="result folder written by `parecon-sim run`")
    parser.add_argument("--out", type=Path, default=None, help="output file stem (default: FOLDER/adoption)")
    args = parser.parse_args(argv)
    try:
        written = plot(args.folder, args.out or args.folder / "adoption")
    except ResultFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
