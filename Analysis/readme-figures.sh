#!/usr/bin/env bash
# Re-runs every figure docs/FINDINGS.md and docs/MODEL.md quote, into results/readme/, and copies
# the charts into docs/images/. The tables in docs/FINDINGS.md are then pasted from the printed
# output, and the stamp line of results/readme/stamp.txt replaces its own (Analysis/doc_stamp.py).
#   bash Analysis/readme-figures.sh            (about 15 minutes on 2 cores, release build)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${PARECON_SIM:-.build/release/parecon-sim}
O=results/readme
mkdir -p "$O" docs/images
S=Scenarios
PATHS6="$S/status-quo.yaml $S/consensus-only.yaml $S/supermajority.yaml $S/majority.yaml $S/state-led.yaml $S/prefigurative.yaml"

$B run $S/baseline.yaml --out "$O/baseline" --force > "$O/baseline.txt"
$B run $S/baseline.yaml -r 20 --out "$O/baseline-20" --force --quiet > /dev/null
$B report "$O/baseline-20" > /dev/null
cp "$O/baseline-20/adoption.svg" docs/images/baseline-adoption.svg

$B compare $PATHS6 --out "$O/compare-240" --force > "$O/compare-240.txt" 2>/dev/null
cp "$O/compare-240/comparison.svg" docs/images/comparison.svg
$B compare $PATHS6 --set horizon=480 --out "$O/compare-480" --force > "$O/compare-480.txt" 2>/dev/null
# Is "the status quo loses fewer jobs" a finding? Without state workplaces (which never fail),
# and then without the hostile market (a guess) besides.
$B compare $PATHS6 --set population.state_share=0 --set population.private_share=0.9 \
    --out "$O/compare-no-state" --force > "$O/compare-no-state.txt" 2>/dev/null
$B compare $PATHS6 --set population.state_share=0 --set population.private_share=0.9 --set failure.hostile_market=0 \
    --out "$O/compare-no-state-no-hostile" --force > "$O/compare-no-state-no-hostile.txt" 2>/dev/null
# The gradual path against the BJC paths over 40 years.
$B compare $S/gradual-reform.yaml $S/supermajority.yaml $S/status-quo.yaml --set horizon=480 \
    --out "$O/compare-gradual" --force > "$O/compare-gradual.txt" 2>/dev/null
# The planning federation against the same economy without it.
$B compare $S/venezuela-councils.yaml $S/participatory-planning.yaml \
    --out "$O/compare-planning" --force > "$O/compare-planning.txt" 2>/dev/null
# The same paths in the calibrated economies, over the multi-pattern posterior
# (Scenarios/calibrate-evidence.yaml): each path is the calibrated economy with its own levers.
$B compare $PATHS6 -r 1 --uncertainty $S/sweep-evidence-argentina.yaml \
    --out "$O/compare-evidence-argentina" --force > "$O/compare-evidence-argentina.txt" 2>/dev/null
$B compare $PATHS6 -r 1 --uncertainty $S/sweep-evidence-venezuela.yaml \
    --out "$O/compare-evidence-venezuela" --force > "$O/compare-evidence-venezuela.txt" 2>/dev/null
$B run $S/state-led.yaml -r 10 --out "$O/state-led" --force --quiet > /dev/null
$B report "$O/state-led" > /dev/null
echo "readme-figures: outputs in $O"
python3 Analysis/headline_table.py "$O" > "$O/headline-table.md"
echo "readme-figures: FINDINGS.md's first table in $O/headline-table.md"
# The stamp line docs/FINDINGS.md carries (Analysis/doc_stamp.py): the model and the inputs of its figures.
PARECON_SIM="$B" python3 Analysis/doc_stamp.py stamp Analysis/readme-figures.sh Analysis/headline_table.py \
    Scenarios/sweep-evidence-argentina.yaml Scenarios/sweep-evidence-venezuela.yaml \
    Scenarios/data/evidence-posterior-argentina.csv Scenarios/data/evidence-posterior-venezuela.csv docs/ROBUSTNESS.md > "$O/stamp.txt"
echo "readme-figures: FINDINGS.md's stamp line in $O/stamp.txt (its \"What holds up\" follows docs/ROBUSTNESS.md)"
