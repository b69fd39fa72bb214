#!/bin/bash
# Runs a calibration on a Slurm cluster: each generation's numbered candidates are simulated by
# array jobs of TASKS tasks (docs/cluster/calibrate-candidates.sbatch), and this driver accepts
# them in number order, so the posterior is the one `parecon-sim calibrate` gives on one
# machine, byte for byte. Run it where sbatch works (a login node, or a small job of its own):
#
#   docs/cluster/calibrate-slurm.sh Scenarios/calibrate-evidence.yaml /scratch/$USER/evidence 16
#   docs/cluster/calibrate-slurm.sh CAL.yaml OUT 16 -- --synthetic KEY=VALUE …   # extra arguments
#
# The driver itself only accepts and saves (seconds a round) until the last generation; then it
# runs the predictive draws and writes the outputs locally (predictive_draws simulations). It is
# resumable like any calibration: stopped at any point, the same command continues (candidates
# already written are used again). SBATCH_ARGS adds options to every sbatch call (partition,
# account, time); PARECON_SIM names the built tool if it is not on the PATH.
set -euo pipefail
if [ "$#" -lt 3 ]; then
  echo "usage: $0 CAL.yaml OUT TASKS [-- ARGS…]" >&2
  exit 2
fi
CAL=$1 OUT=$2 TASKS=$3
shift 3
[ "${1:-}" = "--" ] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
TOOL=${PARECON_SIM:-parecon-sim}
export PARECON_SIM=$TOOL
rounds=0
while :; do
  set +e
  "$TOOL" calibrate "$CAL" --out "$OUT" --from-candidates --quiet "$@"
  rc=$?
  set -e
  [ "$rc" -eq 0 ] && { echo "calibrate-slurm: done after $rounds rounds of array jobs; outputs in $OUT"; exit 0; }
  [ "$rc" -eq 75 ] || exit "$rc"
  read -r GENERATION FROM COUNT < "$OUT/candidates/needed"
  rounds=$(( rounds + 1 ))
  echo "calibrate-slurm: round $rounds: generation $GENERATION, candidates $FROM–$(( FROM + COUNT - 1 )) on $TASKS tasks"
  # shellcheck disable=SC2086
  sbatch --wait --array=1-"$TASKS" ${SBATCH_ARGS:-} --output="$OUT/candidates/task-%A_%a.out" \
    "$HERE/calibrate-candidates.sbatch" "$CAL" "$OUT" "$FROM" "$COUNT" -- "$@" > /dev/null
done
