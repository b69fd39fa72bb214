"""Load parecon-sim result folders and sweeps into pandas.

A result folder (``parecon-sim run … --out DIR``) holds ``series.csv`` (one row per replicate
per month), ``runs.csv`` (one row per replicate) and ``manifest.json`` (provenance).

A sweep is a SQLite database (``parecon-sim sweep … --out FILE.sqlite``: tables sweep, points,
runs, timings, series) or the folder ``parecon-sim export FILE.sqlite --to DIR`` writes from it
(``points.csv``, ``runs.csv``, ``timings.csv``, ``series.csv``, ``sweep.json``; each CSV starts
with ``#`` provenance lines). Both load to the same frames.
"""
from __future__ import annotations

import json
import sqlite3
import sys
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


def _sweep_tables(path: Path, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points table and another table of a sweep database or export folder."""
    if path.is_dir():
        _need(path, "sweep.json")
        points = pd.read_csv(_need(path, "points.csv"), comment="#")
        other = pd.read_csv(_need(path, f"{table}.csv"), comment="#")
        return points, other
    if not path.is_file():
        raise ResultFolderError(f"{path}: no such sweep database or export folder")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            points = pd.read_sql_query("SELECT * FROM points ORDER BY point", db)
            order = "point, replicate, month" if table == "series" else "point, replicate"
            other = pd.read_sql_query(f"SELECT * FROM {table} ORDER BY {order}", db)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as error:
        raise ResultFolderError(f"{path}: not a parecon-sim sweep database ({error})") from None
    if "coercion_free" in other.columns:
        other["coercion_free"] = other["coercion_free"].map({1: True, 0: False})
    return points, other


def load_sweep(path: str | Path) -> pd.DataFrame:
    """One row per run of a sweep (database or export folder), with the point's parameters."""
    points, runs = _sweep_tables(Path(path), "runs")
    return runs.merge(points, on="point", how="left")


def load_sweep_series(path: str | Path) -> pd.DataFrame:
    """The monthly series a sweep kept (``--every K``), one row per run per kept month, with the
    point's parameters."""
    points, series = _sweep_tables(Path(path), "series")
    if series.empty:
        raise ResultFolderError(f"{path}: the sweep kept no series (run it with --every K)")
    return series.merge(points, on="point", how="left")


def sweep_provenance(path: str | Path) -> dict:
    """Tool version and commit, sweep hash, hosts and start time of a sweep."""
    path = Path(path)
    if path.is_dir():
        return json.loads(_need(path, "sweep.json").read_text())
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            db.row_factory = sqlite3.Row
            return dict(db.execute("SELECT * FROM sweep").fetchone())
    except sqlite3.DatabaseError as error:
        raise ResultFolderError(f"{path}: not a parecon-sim sweep database ({error})") from None


def sweep_completeness(path: str | Path) -> tuple[int, int]:
    """(points recorded, points of the design) of a sweep database or export folder; a point is
    recorded once all its replicates are (a shard, or a sweep stopped early, records fewer)."""
    path = Path(path)
    if path.is_dir():
        info = json.loads(_need(path, "sweep.json").read_text())
        return int(info["points_recorded"]), int(info["points"])
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            total, replicates = db.execute("SELECT points, replicates FROM sweep").fetchone()
            recorded = db.execute("SELECT COUNT(*) FROM (SELECT point FROM runs GROUP BY point HAVING COUNT(*) >= ?)",
                                  (replicates,)).fetchone()[0]
    except (sqlite3.DatabaseError, TypeError) as error:
        raise ResultFolderError(f"{path}: not a parecon-sim sweep database ({error})") from None
    return int(recorded), int(total)


def warn_if_unfinished(path: str | Path, script: str) -> str | None:
    """Says on stderr (and returns) that a sweep is not finished, so that a chart drawn from it
    shows only the points recorded so far."""
    recorded, total = sweep_completeness(path)
    if recorded >= total:
        return None
    note = (f"{script}: warning: {path}: not finished: {recorded} of {total} points recorded; the chart shows "
            "only those (run the sweep to the end, or merge its shards)")
    print(note, file=sys.stderr)
    return note


def find_tool(script: str, quiet: bool = False, root: Path | None = None) -> Path:
    """The parecon-sim a script drives: $PARECON_SIM, else the release build, else the debug
    build. The release build is passed over only when it is older than the newest file under
    Sources/ and the debug build is not (then the debug build is the code you are reading).
    Says on stderr which one it took, and warns when that one is older than the sources."""
    import os
    root = root or Path(__file__).resolve().parents[1]
    if os.environ.get("PARECON_SIM"):
        chosen = Path(os.environ["PARECON_SIM"])
        if not chosen.is_file():
            raise SystemExit(f"{script}: PARECON_SIM={chosen} is not a file")
        return chosen
    built = [c for c in (root / ".build" / cfg / "parecon-sim" for cfg in ("release", "debug")) if c.is_file()]
    if not built:
        raise SystemExit(f"{script}: build the tool first (swift build -c release) or set PARECON_SIM")
    sources = [f.stat().st_mtime for f in (root / "Sources").rglob("*") if f.is_file()]
    newest = max(sources, default=0.0)
    current = [c for c in built if c.stat().st_mtime >= newest]
    chosen = (current or built)[0]
    stale = chosen not in current
    if stale or not quiet:
        note = (" — older than the newest file in Sources/: rebuild (swift build -c release) or set PARECON_SIM"
                if stale else "")
        print(f"{script}: using {chosen.relative_to(root)}{note}", file=sys.stderr)
    return chosen


def output_stem(source: str | Path, name: str) -> Path:
    """Where a script writes what it derives from SOURCE by default: inside a folder, or beside
    a database (``results/lhs.sqlite`` → ``results/lhs-NAME``)."""
    source = Path(source)
    return source / name if source.is_dir() else source.with_name(f"{source.stem}-{name}")


def run_script(action) -> int:
    """Runs a plotting script's `action` (returning the files written): prints them and returns
    0, or prints the error and returns 1 for a result the script cannot read."""
    try:
        written = action()
    except ResultFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def save_figure(fig, out: Path) -> list[Path]:
    """Save a matplotlib figure as OUT.png and OUT.svg and return the paths. Figures made by
    this package are plain ``matplotlib.figure.Figure`` objects (no pyplot state), so nothing
    needs closing and they display as they are in Jupyter."""
    written = []
    for suffix in (".png", ".svg"):
        path = Path(out).with_suffix(suffix)
        fig.savefig(path, dpi=120, bbox_inches="tight")
        written.append(path)
    return written


# Columns that are shares in [0, 1] (drawn as percentages); every other column is drawn as it is.
SHARE_PREFIXES = ("workforce_", "workplaces_", "support_", "opposed_", "council_coverage", "workers_councils", "final_workforce_")


def is_share(column: str) -> bool:
    return column.startswith(SHARE_PREFIXES)


def varied_parameters(points: pd.DataFrame) -> list[str]:
    """The parameter columns of a sweep's points that take more than one value."""
    return [c for c in points.columns if c != "point" and points[c].nunique(dropna=False) > 1]


def select(frame: pd.DataFrame, where: dict[str, str]) -> pd.DataFrame:
    """Rows whose parameter columns equal the given values (compared as text, so 0.5 matches "0.5")."""
    for key, value in where.items():
        if key not in frame.columns:
            raise ResultFolderError(f"no parameter {key!r} to select on; columns: {', '.join(frame.columns)}")
        frame = frame[frame[key].astype(str) == str(value)]
        if frame.empty:
            raise ResultFolderError(f"no run has {key} = {value}")
    return frame
