import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Analysis"))


def tool() -> Path:
    """The tool under test: $PARECON_SIM, else the release build unless only the debug build is current."""
    from parecon_results import find_tool
    return find_tool("Analysis tests", quiet=True)


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
    out = base / "out.sqlite"
    subprocess.run([tool(), "sweep", base / "s.yaml", "--out", out, "--every", "12", "-q"], check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def sweep_export(sweep_folder) -> Path:
    out = sweep_folder.parent / "csv"
    subprocess.run([tool(), "export", sweep_folder, "--to", out], check=True, capture_output=True)
    return out


def assert_figure_is_current(script: str, figure: Path, tmp_path: Path) -> None:
    """The committed `figure` is byte for byte what Analysis/`script` --out writes now."""
    out = tmp_path / figure.name
    made = subprocess.run([sys.executable, str(ROOT / "Analysis" / script), "--out", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stdout + made.stderr
    assert figure.read_text() == out.read_text(), \
        f"{figure.relative_to(ROOT)} is stale: run python3 Analysis/{script}"
