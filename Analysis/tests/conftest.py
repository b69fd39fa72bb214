import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Analysis"))


def tool() -> Path:
    for config in ("release", "debug"):
        candidate = ROOT / ".build" / config / "parecon-sim"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError("build the tool first: swift build (the Analysis tests run it on small real results)")


@pytest.fixture(scope="session")
def result_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "r"
    subprocess.run([tool(), "run", "--set", "population.persons=2000", "--set", "horizon=48", "-r", "3",
                    "--out", out, "--quiet"], check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def sweep_folder(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("sweep")
    (base / "base.yaml").write_text("population:\n  persons: 1500\nhorizon: 36\n")
    (base / "s.yaml").write_text("sweep:\n  base: base.yaml\n  replicates: 2\n  seed: 2\n  parameters:\n"
                                 "    voting.rule: [majority, supermajority]\n    opinion.beta: [0.8, 1.2]\n")
    out = base / "out"
    subprocess.run([tool(), "sweep", base / "s.yaml", "--out", out, "-q"], check=True, capture_output=True)
    return out
