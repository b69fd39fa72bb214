"""Generated documents must come from the model and the inputs of this checkout."""
from pathlib import Path

import pandas as pd
import pytest

import doc_stamp
import robustness
from parecon_results import find_tool

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model() -> str:
    return doc_stamp.fingerprint(find_tool("test_generated_docs.py"))


@pytest.mark.parametrize("doc", sorted(doc_stamp.GENERATED))
def test_generated_document_is_not_older_than_its_model_and_inputs(doc, model):
    required, command = doc_stamp.GENERATED[doc]
    found = doc_stamp.problems((ROOT / doc).read_text(), model, required)
    assert not found, f"{doc} is stale: " + "; ".join(found) + f". Regenerate it: {command}"


def test_a_stale_stamp_is_caught(model, tmp_path, monkeypatch):
    current = doc_stamp.stamp(model, ["Analysis/robustness.py"])
    assert doc_stamp.problems(f"x\n{current}\ny", model, ["Analysis/robustness.py"]) == []
    # Another model, a missing required input, an input that changed, no stamp at all.
    other = current.replace(model, "0" * 16 if model != "0" * 16 else "1" * 16)
    assert "behaves differently" in doc_stamp.problems(other, model, [])[0]
    assert "does not name Scenarios/x.yaml" in doc_stamp.problems(current, model, ["Analysis/robustness.py", "Scenarios/x.yaml"])[0]
    changed = current[:-20] + "0123456789abcdef -->"
    assert "changed since it was made" in doc_stamp.problems(changed, model, [])[0]
    assert "no stamp" in doc_stamp.problems("# a hand-written table\n", model, [])[0]


def test_the_fingerprint_follows_behaviour_not_text(tmp_path):
    """A scenario folder with one file: a comment changes nothing, a parameter changes the digest."""
    tool = find_tool("test_generated_docs.py")
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "a.yaml").write_text("# a\nhorizon: 24\n")
    first = doc_stamp.fingerprint(tool, folder)
    (folder / "a.yaml").write_text("# a, reworded\nhorizon: 24\n")
    assert doc_stamp.fingerprint(tool, folder) == first
    (folder / "a.yaml").write_text("# a\nhorizon: 24\nopinion:\n  beta: 1.1\n")
    assert doc_stamp.fingerprint(tool, folder) != first


def test_cliffs_find_the_largest_step_and_the_fields_inside_it():
    scan = pd.DataFrame({"parameter": "voting.blocking_level", "path": "consensus-only",
                         "value": [-2.0, -1.25, -1.0, -0.5], "bjc": [0.98, 0.70, 0.27, 0.06]})
    c = robustness.cliffs(scan).iloc[0]
    assert (c["lo"], c["hi"]) == (-1.25, -1.0) and c["jump"] == pytest.approx(43) and c["cliff"]
    assert c["fields_inside"] == "coordinators' field -1.05"
    flat = scan.assign(bjc=[0.5, 0.52, 0.55, 0.6])
    assert not robustness.cliffs(flat).iloc[0]["cliff"]
