#!/usr/bin/env bash
# Re-runs every model output docs/USAGE.md quotes (the blocking-level, pressure × threshold and
# Sobol sweeps, two thirds and majority beside them), into results/usage/, copies the charts
# into docs/images/ and prints the figures the text quotes. The text is then updated from the
# printed output, and the stamp line of results/usage/stamp.txt replaces its own
# (Analysis/doc_stamp.py check says when USAGE.md is stale).
#   bash Analysis/usage-figures.sh             (about a minute on 2 cores, release build)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${PARECON_SIM:-.build/release/parecon-sim}
O=results/usage
S=Scenarios
rm -rf "$O"
mkdir -p "$O" docs/images

$B sweep $S/sweep-blocking-level.yaml --out "$O/blocking.sqlite" --quiet > /dev/null
$B report "$O/blocking.sqlite" > /dev/null
$B sweep $S/sweep-blocking-level.yaml --out "$O/blocking-series.sqlite" --every 6 --quiet > /dev/null
python3 Analysis/plot_adoption.py "$O/blocking-series.sqlite" --by voting.blocking_level --out "$O/blocking-adoption" > /dev/null
cp "$O/blocking-adoption.png" docs/images/blocking-adoption.png
# Two thirds (the baseline) and majority beside the blocking levels, 10 runs each as the sweep.
$B run $S/baseline.yaml -r 10 --quiet --summary-format json --out "$O/two-thirds" > "$O/two-thirds.json"
$B run $S/majority.yaml -r 10 --quiet --summary-format json --out "$O/majority" > "$O/majority.json"

$B sweep $S/sweep-pressure-threshold.yaml --out "$O/pt.sqlite" --quiet > "$O/pt.txt"
python3 Analysis/plot_sweep.py "$O/pt.sqlite" --x movement.base --y voting.rule --out "$O/pt-grid" > /dev/null
cp "$O/pt-grid.png" docs/images/sweep-heatmap.png
$B report "$O/pt.sqlite" > /dev/null
# The report's own heatmap as the page shows it, by headless Chromium.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=760,400 \
    --screenshot="$PWD/docs/images/sweep-report-heatmap.png" "file://$PWD/$O/pt-heatmap.svg" 2> /dev/null

$B sweep $S/sweep-sobol-levers.yaml --out "$O/sobol.sqlite" --quiet > "$O/sobol-sweep.txt"
python3 Analysis/sensitivity.py analyse "$O/sobol.sqlite" > "$O/sobol.txt"
cp "$O/sobol-sobol.png" docs/images/sobol-levers.png

python3 - "$O" <<'EOF'
import json, sys
from pathlib import Path
sys.path.insert(0, "Analysis")
from parecon_results import load_sweep
out = Path(sys.argv[1])
print("Blocking level (blocking-report.md): point | both adopted | BJC 50% | opposed adopted over /1,000")
for line in (out / "blocking-report.md").read_text().splitlines():
    cells = [c.strip() for c in line.strip("|").split("|")]
    if line.startswith("| P") and len(cells) > 6:
        print("  " + " | ".join([cells[0], cells[3], cells[4], cells[7]]))
    elif line.startswith("Both sides"):
        break
for name in ("two-thirds", "majority"):
    s = json.loads((out / f"{name}.json").read_text())
    m = s["median_months_to_50_bjc"]
    print(f"{name}: 50% BJC in {m / 12 if m is not None else float('nan'):.1f} y (median), "
          f"{s['opposition_per_1000']['mean']:.1f} per 1,000 adopted over leaning against, final both {100 * s['final_workforce_both']['mean']:.1f}%")
pt = load_sweep(out / "pt.sqlite").pivot_table(index="voting.rule", columns="movement.base", values="final_workforce_both")
print("Pressure × threshold, mean final share with both (rows: voting.rule; columns: movement.base):")
print((100 * pt).round(0).to_string())
EOF
tail -n 1 "$O/pt.txt"
tail -n 1 "$O/sobol-sweep.txt"
echo "Sobol indices of final_workforce_both:"
cat "$O/sobol.txt"
PARECON_SIM="$B" python3 Analysis/doc_stamp.py stamp Analysis/usage-figures.sh $S/sweep-blocking-level.yaml \
    $S/sweep-pressure-threshold.yaml $S/sweep-sobol-levers.yaml > "$O/stamp.txt"
echo "usage-figures: USAGE.md's stamp line in $O/stamp.txt"
