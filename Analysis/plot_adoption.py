#!/usr/bin/env python3
"""Plot adoption curves with 5–95% bands (PNG and SVG).

From a result folder (parecon-sim run): the BJC, pay and both curves. From a sweep that kept
series (parecon-sim sweep --every K; the database or its export folder): one curve of --value
per value of the parameter --by. If other parameters vary too, fix them with --where KEY=VALUE
(curves never silently pool over them). Shares are drawn as percentages, other columns (pressure,
momentum, counts) as they are.

In Python or Jupyter, ``adoption_figure(folder)`` and ``sweep_figure(path, by, value)`` return
matplotlib figures.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from matplotlib.figure import Figure

from parecon_results import (ResultFolderError, is_share, load_results, load_sweep_series, output_stem, run_script,
                             save_figure, select, sweep_provenance, warn_if_unfinished)

CURVES = [("workforce_bjc", "balanced job complexes"), ("workforce_pay", "equitable pay"), ("workforce_both", "both")]


def adoption_figure(folder: str | Path) -> Figure:
    """BJC, equitable pay and both in the workforce, mean and 5–95% band over replicates."""
    results = load_results(folder)
    fig = Figure(figsize=(8, 4.5))
    ax = fig.subplots()
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
    return fig


def is_sweep(path: Path) -> bool:
    return path.is_file() or (path / "sweep.json").is_file()


def sweep_figure(path: str | Path, by: str, value: str = "workforce_both", where: dict[str, str] | None = None) -> Figure:
    """One curve of ``value`` per value of ``by`` (mean and 5–95% band over the runs), the other
    varied parameters fixed by ``where``."""
    series = load_sweep_series(path)
    for column in (by, value):
        if column not in series.columns:
            raise ResultFolderError(f"{path}: no column {column!r}; columns: {', '.join(series.columns)}")
    series = select(series, where or {})
    points = series.drop_duplicates("point")
    pooled = [p for p in _parameters(path) if p != by and p not in (where or {})
              and p in points.columns and points[p].nunique(dropna=False) > 1]
    if pooled:
        raise ResultFolderError(f"{path}: {', '.join(pooled)} also vary; fix them with --where KEY=VALUE "
                                f"(e.g. --where {pooled[0]}={points[pooled[0]].iloc[0]}) rather than pooling their runs")
    share = is_share(value)
    scale = 100 if share else 1
    fig = Figure(figsize=(8, 4.5))
    ax = fig.subplots()
    for level, group in series.groupby(by, sort=True, dropna=False):
        by_month = group.groupby("month")[value]
        years = by_month.mean().index / 12
        runs = group.groupby(["point", "replicate"]).ngroups
        ax.plot(years, scale * by_month.mean(), label=f"{level} ({runs} runs)")
        ax.fill_between(years, scale * by_month.quantile(0.05), scale * by_month.quantile(0.95), alpha=0.15)
    ax.set_xlabel("years")
    ax.set_ylabel(f"{value} (%)" if share else value)
    if share:
        ax.set_ylim(0, 100)
    fixed = "".join(f", {k} = {v}" for k, v in (where or {}).items())
    ax.set_title(f"{value} by {by}{fixed} (mean, bands 5–95% over runs)")
    ax.legend(title=by)
    return fig


def _parameters(path: str | Path) -> list[str]:
    """The sweep's varied key paths, from its provenance."""
    raw = sweep_provenance(path).get("parameters", "[]")
    return json.loads(raw) if isinstance(raw, str) else list(raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="result folder (parecon-sim run), or sweep database or its export")
    parser.add_argument("--by", default=None, help="sweeps: the varied parameter (key path) whose values get a curve each")
    parser.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                        help="sweeps: keep only runs with this parameter value (repeatable)")
    parser.add_argument("--value", default="workforce_both", help="sweeps: the series column to plot")
    parser.add_argument("--out", type=Path, default=None,
                        help="output file stem (default: FOLDER/adoption-curves, beside the report's own adoption.svg; "
                             "or NAME-adoption beside NAME.sqlite)")
    args = parser.parse_args(argv)
    where = {}
    for item in args.where:
        if "=" not in item:
            parser.error(f"--where expects KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        where[key] = value

    def action() -> list[Path]:
        if not is_sweep(args.folder):
            return save_figure(adoption_figure(args.folder), args.out or output_stem(args.folder, "adoption-curves"))
        if args.by is None:
            raise ResultFolderError(f"{args.folder}: a sweep needs --by KEY.PATH (the parameter whose values to compare)")
        figure = sweep_figure(args.folder, args.by, args.value, where)
        warn_if_unfinished(args.folder, "plot_adoption.py")
        return save_figure(figure, args.out or output_stem(args.folder, "adoption"))

    return run_script(action)


if __name__ == "__main__":
    sys.exit(main())
