#!/usr/bin/env python3
"""Variance-based (Sobol) and elementary-effects (Morris) sensitivity analysis with SALib.

A sweep file with `design: saltelli` (ranges, `samples: N`, optionally `second_order: true`)
needs no design step: the tool writes Saltelli's points in SALib's order, and `analyse DB` reads
the parameter names (and whether second-order indices can be computed) from the sweep itself. Otherwise, two steps around a parecon-sim sweep:

  1. design: SALib's own sample (Saltelli/Sobol or Morris) written as a CSV whose header is the
     scenario key paths, plus problem.json; a sweep file with `design: csv` and
     `design_file: design.csv` runs exactly these points, in this order.
  2. analyse: the sweep's runs.csv (mean over replicates per point, in point order) fed back to
     SALib; prints and writes the indices and a bar chart beside the sweep (NAME-sobol.csv and
     NAME-sobol.png/.svg for NAME.sqlite, or sobol.csv … inside an export folder; morris likewise).

Example:
  python3 Analysis/sensitivity.py design --method sobol --n 64 \\
      --param solidarity.rise_rate 0.004 0.02 --param movement.gain_per_win 1 6 --out lhs/design.csv
  parecon-sim sweep lhs/sweep.yaml --out results/sobol.sqlite   # design: csv, design_file: design.csv
  python3 Analysis/sensitivity.py analyse results/sobol.sqlite --problem lhs/problem.json

  parecon-sim sweep my-saltelli-sweep.yaml --out results/s.sqlite    # design: saltelli
  python3 Analysis/sensitivity.py analyse results/s.sqlite
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from matplotlib.figure import Figure
import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample  # noqa: E402
from SALib.sample import sobol as sobol_sample  # noqa: E402

from parecon_results import (ResultFolderError, load_sweep, output_stem, save_figure,  # noqa: E402
                             sweep_completeness, sweep_provenance)


def make_problem(params: list[tuple[str, float, float]]) -> dict:
    names = [p[0] for p in params]
    if len(set(names)) != len(names):
        raise ValueError("each --param may appear once")
    for name, lo, hi in params:
        if not lo < hi:
            raise ValueError(f"{name}: the lower bound {lo} must be below the upper bound {hi}")
    return {"num_vars": len(params), "names": names, "bounds": [[lo, hi] for _, lo, hi in params]}


def design(problem: dict, method: str, n: int, seed: int) -> np.ndarray:
    if method == "sobol":
        return sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    return morris_sample.sample(problem, n, num_levels=4, seed=seed)


def write_design(problem: dict, method: str, n: int, seed: int, out: Path) -> Path:
    x = design(problem, method, n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(x, columns=problem["names"]).to_csv(out, index=False, float_format="%.10g")
    problem_file = out.with_name("problem.json")
    problem_file.write_text(json.dumps({**problem, "method": method, "n": n, "seed": seed}, indent=2) + "\n")
    return problem_file


def problem_from_sweep(path: Path) -> dict:
    """The SALib problem of a sweep run with the tool's own `design: saltelli`."""
    provenance = sweep_provenance(path)
    design = str(provenance.get("design", ""))
    if not design.startswith("saltelli"):
        raise ResultFolderError(f"{path}: design {provenance.get('design')!r} is not saltelli: "
                                "give the --problem written by `design`")
    names = provenance["parameters"]
    names = json.loads(names) if isinstance(names, str) else names
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names), "method": "sobol",
            "second_order": design.endswith("second-order")}


def point_means(folder: Path, value: str) -> np.ndarray:
    runs = load_sweep(folder)
    if value not in runs.columns:
        raise ResultFolderError(f"{folder}: no column {value!r} in runs.csv")
    recorded, expected = sweep_completeness(folder)
    if recorded < expected:
        raise ResultFolderError(f"{folder}: not finished: {recorded} of {expected} points recorded; the indices need "
                                "every point (run the sweep to the end, or merge its shards)")
    ok = runs[runs["status"] == "ok"] if "status" in runs.columns else runs
    means = ok.groupby("point")[value].mean().sort_index()
    if len(means) != expected:
        raise ResultFolderError(f"{folder}: {expected - len(means)} points have no successful run")
    return means.to_numpy()


def analyse(problem: dict, y: np.ndarray, x: np.ndarray | None = None, seed: int = 1) -> pd.DataFrame:
    """Sobol or Morris indices of the point means `y`; `seed` fixes SALib's bootstrap, so the
    confidence intervals (and the chart's error bars) are the same on every call."""
    if problem.get("method", "sobol") == "sobol":
        second = bool(problem.get("second_order", False))
        salib_problem = {k: v for k, v in problem.items() if k in ("num_vars", "names", "bounds")}
        r = sobol_analyze.analyze(salib_problem, y, calc_second_order=second, print_to_console=False, seed=seed)
        indices = pd.DataFrame({"S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"], "ST_conf": r["ST_conf"]},
                               index=problem["names"])
        if second:
            # Second-order indices of each pair, in attrs so the table keeps one row per input.
            names = problem["names"]
            indices.attrs["S2"] = pd.DataFrame(
                [(names[i], names[j], r["S2"][i, j], r["S2_conf"][i, j])
                 for i in range(len(names)) for j in range(i + 1, len(names))],
                columns=["first", "second", "S2", "S2_conf"])
        return indices
    if x is None:
        x = design(problem, "morris", problem["n"], problem["seed"])
    r = morris_analyze.analyze(problem, x, y, num_levels=4, print_to_console=False, seed=seed)
    return pd.DataFrame({"mu_star": r["mu_star"], "mu_star_conf": r["mu_star_conf"], "sigma": r["sigma"]},
                        index=problem["names"])


def indices_figure(indices: pd.DataFrame, title: str) -> Figure:
    """Sobol (S1, ST) or Morris (μ*) indices as bars with their 95% intervals."""
    fig = Figure(figsize=(7, 0.6 * len(indices) + 1.5))
    ax = fig.subplots()
    cols = ["S1", "ST"] if "S1" in indices else ["mu_star"]
    # 95% confidence intervals (SALib's bootstrap) as error bars: small designs give wide ones.
    errors = indices[[f"{c}_conf" for c in cols]].set_axis(cols, axis=1)
    indices[cols].plot.barh(ax=ax, xerr=errors, capsize=3)
    ax.set_title(title)
    ax.set_xlabel("index")
    return fig


def plot(indices: pd.DataFrame, out: Path, title: str) -> None:
    save_figure(indices_figure(indices, title), out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("design", help="write SALib's sample as a CSV design for `design: csv`")
    d.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    d.add_argument("--n", type=int, default=64, help="base sample size (Sobol) or trajectories (Morris)")
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--param", nargs=3, action="append", metavar=("KEY.PATH", "LOW", "HIGH"), required=True)
    d.add_argument("--out", type=Path, required=True, help="design CSV (problem.json is written beside it)")
    a = sub.add_parser("analyse", help="indices from a finished sweep of that design")
    a.add_argument("folder", type=Path, help="sweep database (parecon-sim sweep) or its export folder")
    a.add_argument("--problem", type=Path, default=None,
                   help="problem.json written by `design` (not needed for a `design: saltelli` sweep)")
    a.add_argument("--value", default="final_workforce_both", help="per-run column to explain")
    args = parser.parse_args(argv)
    try:
        if args.command == "design":
            problem = make_problem([(k, float(lo), float(hi)) for k, lo, hi in args.param])
            problem_file = write_design(problem, args.method, args.n, args.seed, args.out)
            print(f"wrote {args.out} and {problem_file}")
            return 0
        problem = json.loads(args.problem.read_text()) if args.problem else problem_from_sweep(args.folder)
        indices = analyse(problem, point_means(args.folder, args.value))
        name = "sobol" if "S1" in indices else "morris"
        stem = output_stem(args.folder, name)
        indices.to_csv(stem.with_suffix(".csv"))
        plot(indices, stem, f"{name} indices of {args.value}")
        print(indices.round(3).to_string())
        if "S2" in indices.attrs:
            pairs = indices.attrs["S2"]
            pairs.to_csv(stem.with_name(stem.name + "-s2.csv"), index=False)
            print("\nsecond order:\n" + pairs.round(3).to_string(index=False))
        return 0
    except (ResultFolderError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
