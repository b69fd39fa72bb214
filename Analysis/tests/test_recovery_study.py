"""The recovery study's own arithmetic: priors read from a calibration file, draws inside them."""
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import recovery_study  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def test_priors_are_read_from_the_shipped_recovery_calibration():
    ps = recovery_study.priors(ROOT / "Scenarios" / "calibrate-recovery.yaml")
    assert ps == {"crisis.abandon_rate": ("uniform", 0.002, 0.05), "workers_councils.rate": ("uniform", 0.005, 0.08)}


def test_draws_map_the_unit_interval_onto_the_prior():
    assert recovery_study.draw(("uniform", 2.0, 4.0), 0.25) == 2.5
    lo, hi = 0.001, 1.0
    # log-uniform: the middle of the unit interval is the geometric mean
    assert math.isclose(recovery_study.draw(("log-uniform", lo, hi), 0.5), math.sqrt(lo * hi))
    assert math.isclose(recovery_study.draw(("log-uniform", lo, hi), 0.0), lo)


def test_a_study_needs_at_least_one_truth(capsys, tmp_path):
    import pytest
    with pytest.raises(SystemExit) as bad:
        sys.argv = ["recovery_study.py", str(ROOT / "Scenarios" / "calibrate-recovery.yaml"), "--truths", "0", "--out", str(tmp_path)]
        recovery_study.main()
    assert bad.value.code == 2 and "--truths must be at least 1" in capsys.readouterr().err
