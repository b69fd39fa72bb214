"""Load parecon-sim result folders and sweep folders into pandas.

A result folder (``parecon-sim run … --out DIR``) holds ``series.csv`` (one row per replicate
per month), ``runs.csv`` (one row per replicate) and ``manifest.json`` (provenance). A sweep
folder (``parecon-sim sweep … --out DIR``) holds ``points.csv`` and ``runs.csv``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


class ResultFolderError(Exception):
    """A folder that is not a complete parecon-sim result; the message says what is missing."""


@dataclass
class Results:
    """A result folder: provenance, the tidy series and the per-run summaries."""

    manifest: dict
    series: pd.DataFrame
    runs: pd.DataFrame

    @property
    def scenario(self) -> str:
        return self.manifest.get("scenario_name", "?")

    def bands(self, column: str, levels=(0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Mean and quantile bands of ``column`` across replicates, by month."""
        if column not in self.series.columns:
            raise KeyError(f"no column {column!r} in series.csv; columns: {', '.join(self.series.columns)}")
        grouped = self.series.groupby("month")[column]
        out = pd.DataFrame({"mean": grouped.mean()})
        for q in levels:
            out[f"p{round(q * 100)}"] = grouped.quantile(q)
        return out


def _need(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise ResultFolderError(f"{folder}: not a parecon-sim result folder: {name} is missing")
    return path


def load_results(folder: str | Path) -> Results:
    """Load a folder written by ``parecon-sim run``."""
    folder = Path(folder)
    manifest = json.loads(_need(folder, "manifest.json").read_text())
    series = pd.read_csv(_need(folder, "series.csv"))
    runs = pd.read_csv(_need(folder, "runs.csv"))
    return Results(manifest=manifest, series=series, runs=runs)


def load_sweep(folder: str | Path) -> pd.DataFrame:
    """Load a folder written by ``parecon-sim sweep``: one row per run, with the point's parameters."""
    folder = Path(folder)
    _need(folder, "sweep.json")
    points = pd.read_csv(_need(folder, "points.csv"))
    runs = pd.read_csv(_need(folder, "runs.csv"))
    return runs.merge(points, on="point", how="left")


def save_figure(fig, out: Path) -> list[Path]:
    """Save a matplotlib figure as OUT.png and OUT.svg, close it, and return the paths."""
    import matplotlib.pyplot as plt

    written = []
    for suffix in (".png", ".svg"):
        path = Path(out).with_suffix(suffix)
        fig.savefig(path, dpi=120, bbox_inches="tight")
        written.append(path)
    plt.close(fig)
    return written
