"""The first comparison table of docs/FINDINGS.md: each path in the hypothetical strong movement (the
defaults) beside the same path in the calibrated economies, over their posteriors.

    python3 Analysis/headline_table.py results/readme

reads DIR/compare-240/paths.csv (the defaults: mean [5-95%] over runs) and
DIR/compare-evidence-{argentina,venezuela}/draws.csv (each path in the calibrated economy at
100 posterior draws: mean [5-95%] over draws) and prints a Markdown table, with the pairwise
orderings that hold in each economy.
"""
import csv
import statistics
import sys
from pathlib import Path


def band(xs):
    xs = sorted(xs)
    if not xs:
        return None
    q = lambda p: xs[min(len(xs) - 1, max(0, round(p * (len(xs) - 1))))]
    return statistics.fmean(xs), q(0.05), q(0.95)


def fmt(b, scale=1.0, digits=1):
    if b is None:
        return "–"
    m, lo, hi = (scale * x for x in b)
    return f"{m:.{digits}f} [{lo:.{digits}f}–{hi:.{digits}f}]"


def hypothetical(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            per = r.get("opposition_per_1000_adopted", "")
            rows[r["path"]] = {
                "both": (float(r["both_mean"]), float(r["both_p5"]), float(r["both_p95"])),
                "adopted": float(r["adopted_mean"]),
                "opposition": (float(r["opposition_per_1000_mean"]), float(r["opposition_per_1000_p5"]),
                               float(r["opposition_per_1000_p95"])),
                "per_adopted": float(per) if per else None,
            }
    return rows


def calibrated(path):
    by = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            d = by.setdefault(r["path"], {"both": [], "adopted": [], "opposition": [], "per": [], "draw": []})
            d["both"].append(float(r["both_adopted"]))
            d["adopted"].append(float(r["adopted"]))
            d["opposition"].append(float(r["opposition_per_1000"]))
            if r["opposition_per_1000_adopted"]:
                d["per"].append(float(r["opposition_per_1000_adopted"]))
    return by


def main(folder):
    folder = Path(folder)
    hyp = hypothetical(folder / "compare-240" / "paths.csv")
    economies = [("Argentina-like", calibrated(folder / "compare-evidence-argentina" / "draws.csv")),
                 ("Venezuela-like", calibrated(folder / "compare-evidence-venezuela" / "draws.csv"))]
    print("| path | economy | both adopted, % | under BJC or pay, % | opposed adopted over /1,000 | per 1,000 under adopted |")
    print("|---|---|---|---|---|---|")
    for name, h in hyp.items():
        print(f"| {name} | hypothetical (defaults) | {fmt(h['both'], 100)} | {100 * h['adopted']:.1f} | {fmt(h['opposition'])} | "
              + (f"{h['per_adopted']:.0f}" if h["per_adopted"] is not None else "–") + " |")
        for label, econ in economies:
            d = econ.get(name)
            if d is None:
                continue
            per = statistics.median(d["per"]) if d["per"] else None
            print(f"| {name} | {label} (posterior) | {fmt(band(d['both']), 100)} | {100 * statistics.fmean(d['adopted']):.1f} | "
                  f"{fmt(band(d['opposition']))} | " + (f"{per:.0f} (median)" if per is not None else "–") + " |")
    print()
    # The orderings of the hypothetical movement, checked draw by draw in each economy.
    pairs = [("consensus-only", "supermajority"), ("supermajority", "majority")]
    for label, econ in economies:
        for a, b in pairs:
            if a in econ and b in econ:
                xa, xb = econ[a]["both"], econ[b]["both"]
                p = statistics.fmean([1.0 if x < y else 0.5 if x == y else 0.0 for x, y in zip(xa, xb)])
                oa, ob = econ[a]["opposition"], econ[b]["opposition"]
                q = statistics.fmean([1.0 if x < y else 0.5 if x == y else 0.0 for x, y in zip(oa, ob)])
                print(f"- {label}: P({a} adopts less than {b}) = {p:.2f}; P({a} adopts over fewer) = {q:.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results/readme")
