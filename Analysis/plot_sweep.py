#!/usr/bin/env python3
"""Heatmap of a sweep over two parameters: mean of a per-run figure at each grid point.

In Python or Jupyter, ``heatmap_figure(path, x, y, value)`` returns the matplotlib figure."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matplotlib.figure import Figure

from parecon_results import (ResultFolderError, is_share, load_sweep, output_stem, run_script, save_figure,
                             warn_if_unfinished)


def label(value) -> str:
    """Tick labels: numbers with three significant digits, words as they are."""
    try:
        return f"{float(value):.3g}"
    except (TypeError, ValueError):
        return str(value)


def heatmap_figure(folder: str | Path, x: str, y: str, value: str = "final_workforce_both") -> Figure:
    """The mean of a per-run column at each (x, y) point of a two-parameter sweep."""
    runs = load_sweep(folder)
    for column in (x, y, value):
        if column not in runs.columns:
            raise ResultFolderError(f"{folder}: no column {column!r}; columns: {', '.join(runs.columns)}")
    table = runs.pivot_table(index=y, columns=x, values=value, aggfunc="mean")
    fig = Figure(figsize=(7, 4.5))
    ax = fig.subplots()
    image = ax.imshow(table.values, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(table.columns)), [label(c) for c in table.columns])
    ax.set_yticks(range(len(table.index)), [label(i) for i in table.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            v = table.values[i, j]
            bright = image.norm(v) > 0.6
            text = f"{100 * v:.0f}%" if is_share(value) else f"{v:.3g}"
            ax.text(j, i, text, ha="center", va="center", color="black" if bright else "white", fontsize=8)
    fig.colorbar(image, ax=ax, label=f"mean {value}")
    ax.set_title(f"{value} by {x} and {y}")
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="sweep database (parecon-sim sweep) or its export folder")
    parser.add_argument("--x", required=True, help="parameter on the horizontal axis (a key path)")
    parser.add_argument("--y", required=True, help="parameter on the vertical axis (a key path)")
    parser.add_argument("--value", default="final_workforce_both", help="per-run column to average")
    parser.add_argument("--out", type=Path, default=None,
                        help="output file stem (default: FOLDER/grid, or NAME-grid beside NAME.sqlite; "
                             "`parecon-sim report` writes its own NAME-heatmap.svg)")
    args = parser.parse_args(argv)

    def action() -> list[Path]:
        figure = heatmap_figure(args.folder, args.x, args.y, args.value)
        warn_if_unfinished(args.folder, "plot_sweep.py")
        return save_figure(figure, args.out or output_stem(args.folder, "grid"))

    return run_script(action)


if __name__ == "__main__":
    sys.exit(main())
