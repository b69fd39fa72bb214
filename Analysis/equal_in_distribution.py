"""Is a new build of parecon-sim equal in distribution to the build before it?

A speed-up that changes how random numbers are drawn (a different sampler, another order of
draws, work split otherwise) changes every run, so runs can no longer be compared one by one.
What must stay is the distribution of what the model says. This script runs the same scenarios
with both builds and compares the two samples of each headline output with two-sample tests.

    python3 Analysis/equal_in_distribution.py --old /tmp/parecon-old --new .build/release/parecon-sim
    python3 Analysis/equal_in_distribution.py --old A --new B --replicates 200 --out results/eid

The default is the shipped paths of the comparison in docs/FINDINGS.md (status quo, consensus, two thirds,
majority, state-led, prefigurative), 100 replicates each at their own size. Nothing is
tuned to pass.

What is compared, for each scenario:
- per run (runs.csv): the final workforce shares under BJC, equitable pay and both, the months
  to 50% BJC, the opposition per 1,000, the jobs lost per 1,000, the final income Gini;
- per month (series.csv): the workforce under both institutions and the persons opposed to
  either, at months 60, 120 and the last.

The test. Each output is compared by the two-sample Kolmogorov–Smirnov test and by the
Cramér–von Mises two-sample test (scipy; the second is the more sensitive to a shift of the
whole distribution, the first to a difference at one place), with different master seeds for
the two builds (so
two identical builds give two independent samples, and the false-alarm rate is the nominal
one). An output that is constant in both samples, or missing in both (a level never reached),
is reported as such, not tested. A share of runs that never reach a level is tested as a
proportion: a Fisher exact test on reached / not reached.

Multiple testing: Holm–Bonferroni over every p-value of every scenario at a family-wise
α = 0.01 (the chance that two builds equal in distribution are called different is at most 1%).
The builds are called equal when no test is rejected. With 100 replicates a shift of about 0.5
standard deviations in an output is found most of the time. A smaller shift can pass, so the
report gives each output's difference of means in standard deviations, to be read beside the
verdict.

Exit status: 0 equal, 1 a test rejected, 2 bad arguments or a run failed.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ["status-quo", "consensus-only", "supermajority", "majority", "state-led", "prefigurative"]
RUN_COLUMNS = [
    "final_workforce_bjc", "final_workforce_pay", "final_workforce_both", "months_to_50_bjc",
    "opposition_per_1000", "jobs_lost_per_1000", "final_income_gini",
]
SERIES_COLUMNS = ["workforce_both", "opposed_any"]
SERIES_MONTHS = [60, 120, "last"]
ALPHA = 0.01


@dataclass
class Comparison:
    scenario: str
    output: str
    test: str
    p: float | None
    note: str = ""
    shift_sd: float | None = None
    rejected: bool = False


@dataclass
class Report:
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def tested(self):
        return [c for c in self.comparisons if c.p is not None]

    def holm(self, alpha: float = ALPHA) -> None:
        """Holm–Bonferroni: sort p ascending, reject while p_(k) ≤ α / (m − k)."""
        tested = sorted(self.tested, key=lambda c: c.p)
        m = len(tested)
        for k, c in enumerate(tested):
            if c.p <= alpha / (m - k):
                c.rejected = True
            else:
                break

    @property
    def equal(self) -> bool:
        return not any(c.rejected for c in self.comparisons)


def run_build(tool: str, scenario: Path, replicates: int, seed: int, overrides: list[str], out: Path, threads: int) -> None:
    args = [tool, "run", str(scenario), "-r", str(replicates), "--seed", str(seed), "--threads", str(threads),
            "-q", "--out", str(out), "--force"]
    for o in overrides:
        args += ["--set", o]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"equal_in_distribution: {tool} failed on {scenario.name}: {done.stderr.strip()[:400]}")


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def samples(folder: Path) -> dict[str, list[float | None]]:
    """Each compared output: one value per replicate (None: the level was never reached)."""
    runs = read_csv(folder / "runs.csv")
    out: dict[str, list[float | None]] = {}
    for column in RUN_COLUMNS:
        out[column] = [float(r[column]) if r[column] not in ("", None) else None for r in runs]
    series = read_csv(folder / "series.csv")
    last = max(int(r["month"]) for r in series)
    by = {(int(r["replicate"]), int(r["month"])): r for r in series}
    replicates = sorted({int(r["replicate"]) for r in series})
    for column in SERIES_COLUMNS:
        for month in SERIES_MONTHS:
            m = last if month == "last" else month
            if m > last:
                continue
            key = f"{column}@{'last' if month == 'last' else m}"
            out[key] = [float(by[(r, m)][column]) if (r, m) in by else None for r in replicates]
    return out


def compare(scenario: str, name: str, a: list[float | None], b: list[float | None]) -> list[Comparison]:
    from scipy import stats

    result = []
    reached_a = [x for x in a if x is not None]
    reached_b = [x for x in b if x is not None]
    missing_a, missing_b = len(a) - len(reached_a), len(b) - len(reached_b)
    if missing_a or missing_b:
        if len(reached_a) == 0 and len(reached_b) == 0:
            return [Comparison(scenario, name, "–", None, "never reached in either build")]
        table = [[len(reached_a), missing_a], [len(reached_b), missing_b]]
        result.append(Comparison(scenario, name + " (reached)", "Fisher", float(stats.fisher_exact(table)[1]),
                                 f"reached {len(reached_a)}/{len(a)} vs {len(reached_b)}/{len(b)}"))
    if len(reached_a) < 5 or len(reached_b) < 5:
        if not result:
            result.append(Comparison(scenario, name, "–", None, "fewer than 5 values in a build"))
        return result
    if len(set(reached_a)) == 1 and set(reached_a) == set(reached_b):
        result.append(Comparison(scenario, name, "–", None, f"constant ({reached_a[0]:g}) in both builds"))
        return result
    mean_a, mean_b = sum(reached_a) / len(reached_a), sum(reached_b) / len(reached_b)
    var = (sum((x - mean_a) ** 2 for x in reached_a) + sum((x - mean_b) ** 2 for x in reached_b)) / max(
        1, len(reached_a) + len(reached_b) - 2)
    shift = (mean_b - mean_a) / math.sqrt(var) if var > 0 else None
    ks = stats.ks_2samp(reached_a, reached_b)
    result.append(Comparison(scenario, name, "KS", float(ks.pvalue), shift_sd=shift))
    cvm = stats.cramervonmises_2samp(reached_a, reached_b)
    result.append(Comparison(scenario, name, "CvM", float(cvm.pvalue), shift_sd=shift))
    return result


def study(old: str, new: str, scenarios: list[Path], replicates: int, overrides: list[str], new_overrides: list[str],
          seeds: tuple[int, int], threads: int, work: Path) -> Report:
    report = Report()
    for scenario in scenarios:
        a, b = work / f"{scenario.stem}-old", work / f"{scenario.stem}-new"
        run_build(old, scenario, replicates, seeds[0], overrides, a, threads)
        run_build(new, scenario, replicates, seeds[1], overrides + new_overrides, b, threads)
        sa, sb = samples(a), samples(b)
        for name in sa:
            if name in sb:
                report.comparisons.extend(compare(scenario.stem, name, sa[name], sb[name]))
    report.holm()
    return report


def markdown(report: Report, old: str, new: str, replicates: int, overrides: list[str], new_overrides: list[str]) -> str:
    lines = [
        f"# Equal in distribution: {'yes' if report.equal else 'NO'}",
        "",
        f"old `{old}`, new `{new}`; {replicates} replicates a build and scenario"
        + (f"; with `--set {' --set '.join(overrides)}`" if overrides else "")
        + (f"; the new build also with `--set {' --set '.join(new_overrides)}` (a deliberate change)" if new_overrides else ""),
        f"{len(report.tested)} tests, Holm–Bonferroni at family-wise α = {ALPHA}; "
        f"{sum(c.rejected for c in report.comparisons)} rejected.",
        "",
        "| scenario | output | test | p | shift (sd) | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for c in report.comparisons:
        p = "–" if c.p is None else f"{c.p:.3g}"
        shift = "" if c.shift_sd is None else f"{c.shift_sd:+.2f}"
        verdict = "**differs**" if c.rejected else (c.note or "same")
        lines.append(f"| {c.scenario} | {c.output} | {c.test} | {p} | {shift} | {verdict} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True, help="the build before the change (a parecon-sim binary)")
    parser.add_argument("--new", required=True, help="the build with the change")
    parser.add_argument("--scenarios", nargs="+", default=None,
                        help="scenario files (default: the six paths of docs/FINDINGS.md in Scenarios/)")
    parser.add_argument("--replicates", type=int, default=100, help="replicates a build and scenario (default 100)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="applied to both builds (e.g. population.persons=2000 for a quick check)")
    parser.add_argument("--new-set", dest="new_overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="applied to the new build only: a deliberate change, to see the test find it")
    parser.add_argument("--seeds", type=int, nargs=2, default=(101, 202), metavar=("OLD", "NEW"),
                        help="master seeds of the two builds (different, so the samples are independent)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="folder for report.md and report.json (default: print only)")
    args = parser.parse_args(argv)
    if args.replicates < 20:
        parser.error("--replicates must be at least 20 for the tests to mean anything")
    if args.seeds[0] == args.seeds[1]:
        parser.error("--seeds must differ: the same seeds on two equal builds give the same sample, not two")
    for tool in (args.old, args.new):
        if not Path(tool).is_file():
            parser.error(f"{tool}: no such build")
    scenarios = [Path(s) for s in args.scenarios] if args.scenarios else [ROOT / "Scenarios" / f"{s}.yaml" for s in SCENARIOS]
    for s in scenarios:
        if not s.is_file():
            parser.error(f"{s}: no such scenario file")
    with tempfile.TemporaryDirectory(prefix="parecon-eid-") as tmp:
        report = study(args.old, args.new, scenarios, args.replicates, args.overrides, args.new_overrides,
                       tuple(args.seeds), args.threads, Path(tmp))
    text = markdown(report, args.old, args.new, args.replicates, args.overrides, args.new_overrides)
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "report.md").write_text(text)
        (args.out / "report.json").write_text(json.dumps(
            {"equal": report.equal, "alpha": ALPHA, "replicates": args.replicates,
             "comparisons": [c.__dict__ for c in report.comparisons]}, indent=1))
    return 0 if report.equal else 1


if __name__ == "__main__":
    sys.exit(main())
