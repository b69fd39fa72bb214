import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import sensitivity
from parecon_results import load_sweep
from conftest import tool


def ishigami(x):
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def fake_sweep(folder, y, replicates=2):
    """A sweep folder whose runs hold y (per point) as final_workforce_both."""
    folder.mkdir(parents=True)
    (folder / "sweep.json").write_text(f'{{"points": {len(y)}, "points_recorded": {len(y)}}}')
    pd.DataFrame({"point": np.arange(1, len(y) + 1)}).to_csv(folder / "points.csv", index=False)
    rows = [{"point": p + 1, "replicate": r, "final_workforce_both": v, "status": "ok"}
            for p, v in enumerate(y) for r in range(replicates)]
    pd.DataFrame(rows).to_csv(folder / "runs.csv", index=False)


def test_sobol_indices_of_the_ishigami_function_are_recovered(tmp_path):
    problem = sensitivity.make_problem([(f"x{i}", -np.pi, np.pi) for i in range(3)])
    problem.update(method="sobol", n=1024, seed=3)
    x = sensitivity.design(problem, "sobol", 1024, 3)
    fake_sweep(tmp_path / "s", ishigami(x))
    indices = sensitivity.analyse(problem, sensitivity.point_means(tmp_path / "s", "final_workforce_both"))
    # Known values: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244.
    assert indices["S1"].to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.05)
    assert indices["ST"].to_numpy() == pytest.approx([0.558, 0.442, 0.244], abs=0.05)


def test_morris_ranks_the_influential_inputs_first(tmp_path):
    problem = sensitivity.make_problem([(f"x{i}", -np.pi, np.pi) for i in range(3)])
    problem.update(method="morris", n=50, seed=4)
    x = sensitivity.design(problem, "morris", 50, 4)
    fake_sweep(tmp_path / "m", ishigami(x))
    indices = sensitivity.analyse(problem, sensitivity.point_means(tmp_path / "m", "final_workforce_both"), x)
    assert indices["mu_star"].idxmin() == "x2"


def test_salib_design_runs_through_the_tool_in_order(tmp_path):
    design_csv = tmp_path / "design.csv"
    assert sensitivity.main(["design", "--method", "sobol", "--n", "4", "--seed", "2",
                             "--param", "opinion.beta", "0.8", "1.6",
                             "--param", "movement.base", "0.5", "1.5", "--out", str(design_csv)]) == 0
    salib = pd.read_csv(design_csv)
    assert list(salib.columns) == ["opinion.beta", "movement.base"] and len(salib) == 4 * (2 + 2)
    (tmp_path / "base.yaml").write_text("population:\n  persons: 1000\nhorizon: 24\n")
    (tmp_path / "s.yaml").write_text("sweep:\n  base: base.yaml\n  design: csv\n  design_file: design.csv\n  replicates: 1\n")
    subprocess.run([tool(), "sweep", tmp_path / "s.yaml", "--out", tmp_path / "out.sqlite", "-q"], check=True, capture_output=True)
    subprocess.run([tool(), "export", tmp_path / "out.sqlite", "--to", tmp_path / "out"], check=True, capture_output=True)
    points = pd.read_csv(tmp_path / "out" / "points.csv", comment="#")
    assert points["opinion.beta"].to_numpy() == pytest.approx(salib["opinion.beta"].to_numpy())
    assert points["movement.base"].to_numpy() == pytest.approx(salib["movement.base"].to_numpy())
    assert sensitivity.main(["analyse", str(tmp_path / "out.sqlite")]) == 1, "a csv design needs --problem"
    assert sensitivity.main(["analyse", str(tmp_path / "out.sqlite"), "--problem", str(tmp_path / "problem.json")]) == 0
    sobol = pd.read_csv(tmp_path / "out-sobol.csv", index_col=0)
    assert list(sobol.index) == ["opinion.beta", "movement.base"] and np.isfinite(sobol["ST"]).all()


def test_bad_bounds_are_refused(tmp_path, capsys):
    assert sensitivity.main(["design", "--param", "opinion.beta", "2", "1", "--out", str(tmp_path / "d.csv")]) == 1
    assert "below the upper bound" in capsys.readouterr().err


BOUNDS = {"opinion.beta": (0.5, 2.5), "opinion.coupling": (0.0, 1.0), "movement.base": (0.5, 2.0)}


def saltelli_sweep(tmp_path, seed, extra=""):
    """Runs the tool's own `design: saltelli` over BOUNDS (1024 base samples of a tiny model);
    returns the database, the problem read from it, and the points mapped onto [-π, π]³."""
    (tmp_path / "base.yaml").write_text("population:\n  persons: 50\nhorizon: 1\n")
    ranges = "".join(f"    {k}: {{from: {lo}, to: {hi}}}\n" for k, (lo, hi) in BOUNDS.items())
    (tmp_path / "s.yaml").write_text(f"sweep:\n  base: base.yaml\n  design: saltelli\n{extra}  samples: 1024\n"
                                     f"  seed: {seed}\n  parameters:\n" + ranges)
    db = tmp_path / "s.sqlite"
    subprocess.run([tool(), "sweep", tmp_path / "s.yaml", "--out", db, "-q"], check=True, capture_output=True)
    points = load_sweep(db).sort_values("point")
    unit = np.column_stack([(points[k] - lo) / (hi - lo) for k, (lo, hi) in BOUNDS.items()])
    return db, sensitivity.problem_from_sweep(db), -np.pi + 2 * np.pi * unit


def test_the_tools_own_saltelli_design_recovers_ishigami_indices(tmp_path):
    """The points of `design: saltelli` fed (through the Ishigami function) to SALib's analysis."""
    db, problem, x = saltelli_sweep(tmp_path, seed=5)
    assert problem["names"] == list(BOUNDS) and problem["second_order"] is False
    assert len(x) == 1024 * (3 + 2)
    indices = sensitivity.analyse(problem, ishigami(x))
    assert indices["S1"].to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.05)
    assert indices["ST"].to_numpy() == pytest.approx([0.558, 0.442, 0.244], abs=0.05)
    # The bootstrap's intervals are seeded: the same on every call, other with another seed.
    again = sensitivity.analyse(problem, ishigami(x))
    assert indices["ST_conf"].tolist() == again["ST_conf"].tolist()
    assert indices["ST_conf"].tolist() != sensitivity.analyse(problem, ishigami(x), seed=2)["ST_conf"].tolist()
    # analyse on the sweep itself needs no --problem.
    assert sensitivity.main(["analyse", str(db)]) == 0
    assert (tmp_path / "s-sobol.csv").is_file()


def test_second_order_saltelli_design_recovers_the_ishigami_interaction(tmp_path):
    db, problem, x = saltelli_sweep(tmp_path, seed=6, extra="  second_order: true\n")
    assert problem["second_order"] is True
    assert len(x) == 1024 * (2 * 3 + 2)
    indices = sensitivity.analyse(problem, ishigami(x))
    assert indices["S1"].to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.05)
    s2 = indices.attrs["S2"].set_index(["first", "second"])["S2"]
    # Known: only x1 and x3 interact (S13 = 0.244).
    assert s2[("opinion.beta", "movement.base")] == pytest.approx(0.244, abs=0.08)
    assert s2[("opinion.beta", "opinion.coupling")] == pytest.approx(0.0, abs=0.08)
    assert s2[("opinion.coupling", "movement.base")] == pytest.approx(0.0, abs=0.08)
