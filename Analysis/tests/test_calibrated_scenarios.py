"""A calibrated scenario and the table that documents it must be the fit of today's model.

The Venezuelan fit is small enough (about 15 s) to be re-run here: its posterior medians must be
the values of Scenarios/venezuela-calibrated.yaml and of docs/CALIBRATION.md's section 7, and its
posterior draws those of Scenarios/data/venezuela-posterior.csv. (They
once stayed at an older model's fit for several rounds; nothing else would have said so.)
"""
import re
import subprocess

import pytest
import yaml

from conftest import ROOT, tool

FIT = re.compile(r"^#\s+([a-z_.]+) = ([0-9.e+-]+)\s+\(90% interval ([0-9.e+-]+)–([0-9.e+-]+)\)", re.M)


def fitted_medians(calibrated_yaml: str) -> dict[str, float]:
    return {key: float(median) for key, median, _, _ in FIT.findall(calibrated_yaml)}


def scenario_value(scenario: dict, key: str) -> float:
    node = scenario
    for part in key.split("."):
        node = node[part]
    return float(node)


def documented_medians(section: str) -> dict[str, float]:
    """The posterior medians of the first parameter table of a CALIBRATION.md section."""
    rows = re.findall(r"^\| `([a-z_.]+)` \| [^|]+ \| ([0-9.e+-]+) \|", section, re.M)
    return {key: float(value) for key, value in rows}


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end > 0 else len(text)]


@pytest.fixture(scope="module")
def venezuela_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("venezuela") / "fit"
    done = subprocess.run([tool(), "calibrate", ROOT / "Scenarios/calibrate-venezuela.yaml", "--out", out, "-q"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def venezuela_fit(venezuela_out) -> dict[str, float]:
    medians = fitted_medians((venezuela_out / "calibrated.yaml").read_text())
    assert len(medians) == 4, medians
    return medians


def test_the_shipped_venezuelan_posterior_draws_are_todays(venezuela_out):
    # Scenarios/sweep-venezuela-posterior.yaml runs these draws (compare --uncertainty).
    assert (ROOT / "Scenarios/data/venezuela-posterior.csv").read_text() == (venezuela_out / "posterior-sample.csv").read_text(), \
        "Scenarios/data/venezuela-posterior.csv is not today's posterior-sample.csv of calibrate-venezuela.yaml"


def test_the_shipped_venezuelan_scenario_holds_todays_medians(venezuela_fit):
    shipped = yaml.safe_load((ROOT / "Scenarios/venezuela-calibrated.yaml").read_text())
    for key, median in venezuela_fit.items():
        assert scenario_value(shipped, key) == pytest.approx(median, rel=0.01), (
            f"Scenarios/venezuela-calibrated.yaml: {key} is {scenario_value(shipped, key)}, today's fit gives {median}: "
            "re-run `parecon-sim calibrate Scenarios/calibrate-venezuela.yaml` and update the scenario, "
            "Scenarios/data/venezuela-posterior.csv and docs/CALIBRATION.md section 7")


def test_calibration_md_documents_todays_venezuelan_medians(venezuela_fit):
    table = documented_medians(section((ROOT / "docs/CALIBRATION.md").read_text(), "## 7. Venezuela"))
    assert set(table) == set(venezuela_fit)
    for key, median in venezuela_fit.items():
        # The table gives two significant digits.
        assert table[key] == pytest.approx(median, rel=0.05), f"docs/CALIBRATION.md section 7: {key} {table[key]} vs {median}"


def test_the_parsers_see_a_stale_value():
    header = "#   state.support = 0.0259  (90% interval 0.00126–0.413)\n#   new_firms.rate = 0.0378  (90% interval 0.00129–0.752)\n"
    assert fitted_medians(header) == {"state.support": 0.0259, "new_firms.rate": 0.0378}
    stale = {"state": {"support": 0.0209}}
    assert scenario_value(stale, "state.support") != pytest.approx(0.0259, rel=0.01)
    doc = "## 7. Venezuela\n\n| parameter | prior | posterior median |\n|---|---|---|\n| `state.support` | log-uniform [0.001, 1] | 0.021 | x |\n\n## 8. Next\n| `other.key` | p | 1 |\n"
    assert documented_medians(section(doc, "## 7. Venezuela")) == {"state.support": 0.021}
