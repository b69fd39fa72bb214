#!/usr/bin/env python3
"""Plot adoption curves with 5–95% bands (PNG and SVG).

From a result folder (parecon-sim run): the BJC, pay and both curves. From a sweep that kept
series (parecon-sim sweep --every K; the database or its export folder): one curve of --value
per value of the parameter --by, over all runs of the points with that value.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from parecon_results import ResultFolderError, load_results, load_sweep_series, output_stem, run_script, save_figure  # noqa: E402

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


def is_sweep(path: Path) -> bool:
    return path.is_file() or (path / "sweep.json").is_file()


def plot_sweep(path: Path, by: str, value: str, out: Path) -> list[Path]:
    series = load_sweep_series(path)
    for column in (by, value):
        if column not in series.columns:
            raise ResultFolderError(f"{path}: no column {column!r}; columns: {', '.join(series.columns)}")
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for level, group in series.groupby(by, sort=True):
        by_month = group.groupby("month")[value]
        years = by_month.mean().index / 12
        runs = group.groupby(["point", "replicate"]).ngroups
        ax.plot(years, 100 * by_month.mean(), label=f"{level} ({runs} runs)")
        ax.fill_between(years, 100 * by_month.quantile(0.05), 100 * by_month.quantile(0.95), alpha=0.15)
    ax.set_xlabel("years")
    ax.set_ylabel(f"{value} (%)")
    ax.set_ylim(0, 100)
    ax.set_title(f"{value} by {by} (mean, bands 5–95% over runs)")
    ax.legend(title=by)
    return save_figure(fig, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="result folder (parecon-sim run), or sweep database or its export")
    parser.add_argument("--by", default=None, help="sweeps: the varied parameter (key path) whose values get a curve each")
    parser.add_argument("--value", default="workforce_both", help="sweeps: the series column to plot")
    parser.add_argument("--out", type=Path, default=None,
                        help="output file stem (default: FOLDER/adoption, or NAME-adoption beside NAME.sqlite)")
    args = parser.parse_args(argv)
    out = args.out or output_stem(args.folder, "adoption")

    def action() -> list[Path]:
        if not is_sweep(args.folder):
            return plot(args.folder, out)
        if args.by is None:
            raise ResultFolderError(f"{args.folder}: a sweep needs --by KEY.PATH (the parameter whose values to compare)")
        return plot_sweep(args.folder, args.by, args.value, out)

    return run_script(action)


if __name__ == "__main__":
    sys.exit(main())
