"""The equal-in-distribution check (Analysis/equal_in_distribution.py), at a small size: it must
call one build equal to itself (two independent samples, different seeds) and find a model
that was deliberately changed; and its multiple-testing rule must be Holm's."""
import pytest

import equal_in_distribution as eid
from conftest import ROOT, tool

SMALL = ["population.persons=1500", "horizon=96"]
PATHS = [ROOT / "Scenarios" / "majority.yaml", ROOT / "Scenarios" / "prefigurative.yaml"]


def study(tmp_path, new_overrides):
    build = str(tool())
    return eid.study(build, build, PATHS, 40, SMALL, new_overrides, (101, 202), 2, tmp_path)


def test_a_build_is_equal_in_distribution_to_itself(tmp_path):
    report = study(tmp_path, [])
    assert len(report.tested) >= 20, "most outputs are tested, not skipped"
    assert report.equal, [(c.scenario, c.output, c.test, c.p) for c in report.comparisons if c.rejected]


def test_a_deliberately_changed_model_is_found(tmp_path):
    report = study(tmp_path, ["opinion.beta=1.4"])
    assert not report.equal
    assert sum(c.rejected for c in report.comparisons) >= 1


def test_holm_rejects_in_order_and_stops_at_the_first_that_fails():
    r = eid.Report([eid.Comparison("s", f"o{k}", "KS", p) for k, p in enumerate([0.001, 0.003, 0.006, 0.5])])
    r.holm(alpha=0.01)
    # 0.001 ≤ 0.01/4, 0.003 ≤ 0.01/3, 0.006 > 0.01/2: stop there (0.5 is not rejected either).
    assert [c.rejected for c in r.comparisons] == [True, True, False, False]


def test_levels_never_reached_are_a_proportion_and_constants_are_not_tested():
    never = eid.compare("s", "months", [None] * 30, [None] * 30)
    assert [c.p for c in never] == [None] and "never reached" in never[0].note
    some = eid.compare("s", "months", [None] * 25 + [10.0] * 5, [10.0] * 30)
    assert some[0].test == "Fisher" and some[0].p < 0.01
    constant = eid.compare("s", "x", [1.0] * 30, [1.0] * 30)
    assert constant[0].p is None and "constant" in constant[0].note


def test_bad_arguments_are_refused(capsys):
    with pytest.raises(SystemExit):
        eid.main(["--old", "/no/such/build", "--new", str(tool())])
    assert "no such build" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        eid.main(["--old", str(tool()), "--new", str(tool()), "--seeds", "3", "3"])
    assert "--seeds must differ" in capsys.readouterr().err
