#!/usr/bin/env python3
"""How often do the calibration's 90% intervals cover the parameters that made the data?

Draws true parameter values from the priors of a calibration file, makes synthetic data at
each with `parecon-sim calibrate FILE --synthetic KEY=VALUE …` (one run plus the measurement
error of the observation model), fits them back, and counts, for every parameter, how often
its 90% posterior interval covers the true value (nominal: 90%), and how far the posterior
median lies from the truth (bias: median / truth). ABC's tolerance and a small particle count
make intervals wider or narrower than nominal; this says which.

Example (about 3 minutes on 2 cores with the shipped small calibration):
  python3 Analysis/recovery_study.py Scenarios/calibrate-recovery.yaml --truths 20 --out results/recovery
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def find_tool() -> Path:
    from parecon_results import find_tool as find
    return find("recovery_study.py")


def priors(calibration: Path) -> dict[str, tuple[str, float, float]]:
    """The calibrated parameters and their priors, read from the file with PyYAML."""
    import yaml
    doc = yaml.safe_load(calibration.read_text())
    return {k: (v["prior"], float(v["from"]), float(v["to"])) for k, v in doc["calibration"]["parameters"].items()}


def draw(prior: tuple[str, float, float], u: float) -> float:
    shape, lo, hi = prior
    return math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo))) if shape == "log-uniform" else lo + u * (hi - lo)


def study(calibration: Path, truths: int, out: Path, seed: int, tool: Path) -> dict:
    import numpy as np
    rng = np.random.default_rng(seed)
    ps = priors(calibration)
    # Truths from the middle 80% of each prior: at the very edge an interval cannot straddle.
    rows = []
    for k in range(1, truths + 1):
        truth = {key: draw(p, 0.1 + 0.8 * rng.random()) for key, p in ps.items()}
        folder = out / f"truth-{k:03d}"
        args = [str(tool), "calibrate", str(calibration), "--out", str(folder), "-q", "--synthetic-seed", str(k)]
        for key, value in truth.items():
            args += ["--synthetic", f"{key}={value!r}"]
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"recovery_study.py: {' '.join(args)} failed:\n{done.stderr}")
        posterior = json.loads((folder / "calibration.json").read_text())["posterior"]
        for key, value in truth.items():
            p = posterior[key]
            rows.append({"truth": k, "parameter": key, "true": value, "p5": p["p5"], "median": p["median"],
                         "p95": p["p95"], "covered": p["p5"] <= value <= p["p95"], "width_share": p["width_share"],
                         "ratio": p["median"] / value if value > 0 else float("nan")})
        print(f"truth {k}/{truths} done", file=sys.stderr)
    summary = {}
    for key in ps:
        mine = [r for r in rows if r["parameter"] == key]
        ratios = [r["ratio"] for r in mine if r["ratio"] > 0]
        summary[key] = {"covered": sum(r["covered"] for r in mine), "of": len(mine),
                        "median_width_share": float(np.median([r["width_share"] for r in mine])),
                        # Bias: the posterior median over the truth, as a geometric mean over the truths
                        # (1 = unbiased; a parameter the data do not identify drifts to its prior's middle).
                        "bias_ratio": float(np.exp(np.mean(np.log(ratios)))) if ratios else float("nan"),
                        "ratio_p10": float(np.quantile(ratios, 0.1)) if ratios else float("nan"),
                        "ratio_p90": float(np.quantile(ratios, 0.9)) if ratios else float("nan")}
    return {"rows": rows, "summary": summary}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("calibration", type=Path, help="calibration file (YAML)")
    ap.add_argument("--truths", type=int, default=20, help="true parameter vectors drawn from the priors")
    ap.add_argument("--out", type=Path, required=True, help="folder for one calibration per truth and study.json")
    ap.add_argument("--seed", type=int, default=1, help="seed of the truths' draws")
    a = ap.parse_args()
    if a.truths < 1:
        ap.error("--truths must be at least 1")
    a.out.mkdir(parents=True, exist_ok=True)
    result = study(a.calibration, a.truths, a.out, a.seed, find_tool())
    (a.out / "study.json").write_text(json.dumps(result, indent=1))
    for key, s in result["summary"].items():
        print(f"{key}: 90% interval covered the true value in {s['covered']} of {s['of']} "
              f"({100 * s['covered'] / s['of']:.0f}%); median interval width {s['median_width_share']:.2f} of the prior; "
              f"bias (posterior median / truth, geometric mean) {s['bias_ratio']:.2g} "
              f"[10–90% over truths {s['ratio_p10']:.2g}–{s['ratio_p90']:.2g}]")


if __name__ == "__main__":
    main()
