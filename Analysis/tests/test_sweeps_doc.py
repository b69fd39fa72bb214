"""docs/SWEEPS.md must describe the sweep files the tool reads, and quote what the tool says.

The examples are written, under the names their "# save as Scenarios/NAME" line gives, into a
copy of Scenarios/ in a temporary folder (`base:` and `design_file:` are relative to the sweep
file's folder; Scenarios/ itself is never written: the model's fingerprint covers it), then
checked and run small. The keys come from the reader's key table in
Sources/Experiments/Sweeps/SweepReader.swift (the tool's "unknown key" message names only a
near miss, not the list), each confirmed by the tool itself; the designs, range fields and stop
fields come from the tool's own messages.
"""
import functools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import tool

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "SWEEPS.md"
READER = ROOT / "Sources" / "Experiments" / "Sweeps" / "SweepReader.swift"
SAVE_AS = re.compile(r"^# save as Scenarios/(\S+)$", re.M)
SMALL = ["--set", "population.persons=500", "--set", "horizon=24", "--replicates", "1"]
DESIGNS_MESSAGE = re.compile(r"sweep\.design: expected (.+) or (\S+), found")


def doc() -> str:
    return DOC.read_text()


def doc_unescaped() -> str:
    """The document with table escapes undone (`\\|` inside a table cell is `|`)."""
    return doc().replace("\\|", "|")


def fenced(lang: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^```" + lang + r"\n(.*?)^```$", doc(), re.M | re.S)]


def examples() -> dict[str, str]:
    """The YAML and CSV examples by the name they are saved as."""
    out = {}
    for text in fenced("yaml") + fenced("csv"):
        m = SAVE_AS.search(text)
        assert m, f"an example in docs/SWEEPS.md has no '# save as Scenarios/NAME' line:\n{text}"
        assert m.group(1) not in out, f"two examples are saved as {m.group(1)}"
        out[m.group(1)] = text
    return out


@functools.cache
def binary() -> str:
    return str(tool())


def run(args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([binary(), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


def without_location(line: str) -> str:
    """A message without its leading FILE:LINE:COLUMN: (or FILE:) part."""
    return re.sub(r"^\S+?\.(?:yaml|csv)(?::\d+(?::\d+)?)?: ", "", line)


def table_row(key: str) -> list[str]:
    """The cells of the keys table's row for `key`."""
    rows = [line for line in doc().splitlines() if line.startswith(f"| `{key}` |")]
    assert rows, f"docs/SWEEPS.md has no table row for `{key}`"
    return [c.strip() for c in rows[0].strip("|").split(" | ")]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A folder with a copy of Scenarios/ holding the document's examples."""
    base = tmp_path_factory.mktemp("sweepsdoc")
    shutil.copytree(ROOT / "Scenarios", base / "Scenarios")
    for name, text in examples().items():
        assert not (base / "Scenarios" / name).exists(), f"example name {name} is taken by a shipped file"
        (base / "Scenarios" / name).write_text(text)
    return base


def sweep_file(root: Path, name: str, body: str) -> str:
    """Writes a sweep file (and returns its path relative to `root`)."""
    (root / "Scenarios" / name).write_text(body)
    return f"Scenarios/{name}"


# The examples.

def test_the_examples_are_there():
    names = examples()
    yamls = [n for n in names if n.endswith(".yaml")]
    assert len(yamls) >= 5, names
    for text in fenced("yaml"):
        assert re.search(r"^sweep:$", text, re.M), f"a YAML block is not a whole sweep file:\n{text}"


@pytest.mark.parametrize("name", sorted(n for n in examples() if n.endswith(".yaml")))
def test_every_example_checks_and_runs(root, name, tmp_path):
    checked = run(["check", f"Scenarios/{name}"], root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"Scenarios/{name}: ok, sweep of " in checked.stdout
    out = tmp_path / "s.sqlite"
    swept = run(["sweep", f"Scenarios/{name}", "--out", out, *SMALL, "--quiet"], root)
    assert swept.returncode == 0, swept.stdout + swept.stderr
    assert "Complete:" in swept.stdout and "no run failed" in swept.stdout, swept.stdout
    exported = run(["export", out, "--to", tmp_path / "csv"], root)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert (tmp_path / "csv" / "sweep.json").is_file()


def test_every_design_has_an_example(root):
    shown = set()
    for name in examples():
        if name.endswith(".yaml"):
            m = re.search(r"^  design: (\S+)$", examples()[name], re.M)
            shown.add(m.group(1) if m else "grid")
    assert shown == set(designs_from_tool(root))


def test_the_points_shown_are_the_tools(root):
    shown = [b for b in fenced("console") if b.startswith("$ parecon-sim check ")]
    assert len(shown) >= 3
    for block in shown:
        command, expected = block.split("\n", 1)
        args = command.removeprefix("$ parecon-sim ").split()
        got = run(args, root)
        assert got.returncode == 0, got.stdout + got.stderr
        assert got.stdout == expected, f"`{command}` now prints:\n{got.stdout}"


# The keys.

def keys_from_source() -> list[str]:
    text = READER.read_text()
    table = re.search(r"static let keys: \[.*?\] = \[(.*?)\n    \]", text, re.S)
    assert table, "SweepReader.keys not found: update this test to where the sweep keys are listed"
    keys = re.findall(r'\("(\w+)",', table.group(1))
    assert len(keys) >= 5, keys
    return keys


def designs_from_tool(root: Path) -> list[str]:
    path = sweep_file(root, "doc-probe-design.yaml", "sweep:\n  base: baseline.yaml\n  design: zzz\n")
    m = DESIGNS_MESSAGE.search(run(["check", path], root).stdout)
    assert m, "the message for an unknown design no longer lists the designs"
    return [d.strip() for d in m.group(1).split(",")] + [m.group(2)]


def test_every_key_is_documented_and_every_documented_key_is_read(root):
    keys = keys_from_source()
    documented = re.findall(r"^\| `(\w+)` \| (?:all|`)", doc().split("## The keys of `sweep:`")[1].split("\n## ")[0], re.M)
    assert set(documented) == set(keys), f"keys table {documented} vs the reader's {keys}"
    bogus = run(["check", sweep_file(root, "doc-probe-bogus.yaml", "sweep:\n  base: baseline.yaml\n  zzzbogus: 1\n")], root)
    assert "sweep.zzzbogus: unknown key" in bogus.stdout
    for key in keys:
        probe = run(["check", sweep_file(root, "doc-probe-key.yaml", f"sweep:\n  base: baseline.yaml\n  {key}: 1\n")], root)
        assert f"sweep.{key}: unknown key" not in probe.stdout, f"the tool no longer reads sweep.{key}"
        assert f"`{key}`" in doc()


def test_which_designs_read_each_key(root):
    designs = designs_from_tool(root)
    for key in keys_from_source():
        if key == "design":
            continue
        readers = []
        for design in designs:
            body = f"sweep:\n  base: baseline.yaml\n  design: {design}\n  {key}: 1\n"
            out = run(["check", sweep_file(root, "doc-probe-reader.yaml", body)], root).stdout
            refused = f"sweep.{key}: a {design} design does not read" in out or f"sweep.{key}: only a" in out
            if not refused:
                readers.append(design)
        cell = table_row(key)[1]
        if readers == designs:
            assert cell == "all", f"`{key}` is read by every design; the table says {cell}"
        else:
            assert set(re.findall(r"`([\w-]+)`", cell)) == set(readers), f"`{key}` is read by {readers}; the table says {cell}"


def test_every_design_is_documented(root):
    designs = designs_from_tool(root)
    table = re.findall(r"^\| `([\w-]+)`(?: \(default\))? \| ", doc().split("\n## Designs\n")[1].split("\n### ")[0], re.M)
    table = [d for d in table if d != "design"]  # the header row
    assert table == designs, f"designs table {table} vs the tool's {designs}"
    for design in designs:
        assert f"\n### {design}\n" in doc(), f"no section for the {design} design"
    assert "| `grid` (default) |" in doc()


def test_range_and_stop_fields_are_documented(root):
    grid = sweep_file(root, "doc-probe-range.yaml",
                      "sweep:\n  base: baseline.yaml\n  parameters:\n    opinion.beta: {from: 1, to: 2, steps: 2, zzz: 1}\n")
    stop = sweep_file(root, "doc-probe-stop.yaml",
                      "sweep:\n  base: baseline.yaml\n  stop: {zzz: 1}\n  parameters:\n    opinion.beta: [1]\n")
    for path, what in ((grid, "range"), (stop, "stop")):
        m = re.search(r"unknown field 'zzz': expected (.+)$", run(["check", path], root).stdout, re.M)
        assert m, f"the message for an unknown {what} field no longer lists the fields"
        for field in m.group(1).split(", "):
            assert f"| `{field}` |" in doc(), f"the {what} field `{field}` has no row in docs/SWEEPS.md"
    top = run(["check", sweep_file(root, "doc-probe-top.yaml", "sweep:\n  base: baseline.yaml\nzzz: 1\n")], root).stdout
    assert "a sweep file holds only 'sweep:'" in top and "`sweep:`" in doc()


# The messages quoted.

CSV_FILES = {
    "empty.csv": "",
    "hdr.csv": "opinion.beta\n",
    "badhdr.csv": "opinion.betta,voting.rule,voting.rule\n1,majority,majority\n",
    "width.csv": "opinion.beta,voting.rule\n1,majority\n2\n",
    "quote.csv": 'opinion.beta\n"1\n',
    "emptycell.csv": "opinion.beta,voting.rule\n0.8,\n",
}
B = "sweep:\n  base: baseline.yaml\n"
P = "  parameters:\n    opinion.beta: [1, 2]\n"
BAD = {
    "not-a-mapping": "sweep: 3\n",
    "top-level": B + P + "other: 1\n",
    "misspelt": B + P + "  replicate: 3\n",
    "no-base": "sweep:\n" + P,
    "base-missing": "sweep:\n  base: nothere.yaml\n" + P,
    "base-folder": "sweep:\n  base: data\n" + P,
    "design": B + "  design: sobol\n" + P,
    "replicates-0": B + "  replicates: 0\n" + P,
    "replicates-fraction": B + "  replicates: 2.5\n" + P,
    "replicates-1e3": B + "  replicates: 1e3\n" + P,
    "seed-negative": B + "  seed: -1\n" + P,
    "seed-quoted": B + '  seed: "7"\n' + P,
    "stop-empty": B + "  stop: {}\n" + P,
    "stop-scalar": B + "  stop: 0.9\n" + P,
    "stop-field": B + "  stop: {unchanged: 3}\n" + P,
    "stop-zero": B + "  stop: {adoption_above: 0}\n" + P,
    "grid-samples": B + "  samples: 4\n" + P,
    "combinations-parameters": B + "  design: combinations\n  combinations:\n    - {voting.rule: majority}\n" + P,
    "grid-design-file": B + "  design_file: x.csv\n" + P,
    "grid-second-order": B + "  second_order: true\n" + P,
    "no-parameters": B,
    "empty-parameters": B + "  parameters: {}\n",
    "unknown-parameter": B + "  parameters:\n    opinion.betta: [1, 2]\n",
    "scalar-value": B + "  parameters:\n    opinion.beta: 1\n",
    "empty-list": B + "  parameters:\n    opinion.beta: []\n",
    "no-steps": B + "  parameters:\n    opinion.beta: {from: 1, to: 2}\n",
    "range-field": B + "  parameters:\n    opinion.beta: {from: 1, to: 2, steps: 3, step: 1}\n",
    "steps-0": B + "  parameters:\n    opinion.beta: {from: 1, to: 2, steps: 0}\n",
    "range-big": B + "  parameters:\n    opinion.beta: {from: 2, to: 1e13, steps: 2}\n",
    "scale": B + "  parameters:\n    opinion.beta: {from: 1, to: 2, steps: 3, scale: exp}\n",
    "log-negative": B + "  parameters:\n    voting.blocking_level: {from: -2, to: -1, steps: 3, scale: log}\n",
    "grid-too-big": B + "  parameters:\n    opinion.beta: {from: 1, to: 2, steps: 1000}\n"
                    "    opinion.coupling: {from: 0.1, to: 1, steps: 1001}\n",
    "lhs-no-samples": B + "  design: latin-hypercube\n  parameters:\n    opinion.beta: {from: 0.5, to: 1.5}\n",
    "lhs-samples": B + "  design: latin-hypercube\n  samples: 2000000\n  parameters:\n    opinion.beta: {from: 0.5, to: 1.5}\n",
    "lhs-steps": B + "  design: latin-hypercube\n  samples: 4\n  parameters:\n    opinion.beta: {from: 0.5, to: 1.5, steps: 3}\n",
    "lhs-scalar": B + "  design: latin-hypercube\n  samples: 4\n  parameters:\n    opinion.beta: 1\n",
    "saltelli-steps": B + "  design: saltelli\n  samples: 4\n  parameters:\n    opinion.beta: {from: 0.5, to: 1.5, steps: 3}\n",
    "saltelli-no-samples": B + "  design: saltelli\n  parameters:\n    opinion.beta: {from: 0.5, to: 1.5}\n",
    "saltelli-samples": B + "  design: saltelli\n  samples: 1\n  parameters:\n    opinion.beta: {from: 0.5, to: 1.5}\n",
    "saltelli-list": B + "  design: saltelli\n  samples: 4\n  parameters:\n    opinion.beta: [0.5, 1.5]\n",
    "saltelli-second-order": B + "  design: saltelli\n  samples: 4\n  second_order: maybe\n"
                             "  parameters:\n    opinion.beta: {from: 0.5, to: 1.5}\n",
    "saltelli-big": B + "  design: saltelli\n  samples: 500000\n  parameters:\n    opinion.beta: {from: 0.5, to: 1.5}\n",
    "saltelli-21": B + "  design: saltelli\n  samples: 2\n  parameters:\n" + "".join(
        f"    {k}: {{from: 0.1, to: 0.2}}\n" for k in [
            "opinion.coupling", "opinion.w_movement", "opinion.w_solidarity", "opinion.w_disruption",
            "opinion.w_demonstration", "solidarity.rise_rate", "movement.gain_per_win", "movement.decay",
            "movement.pending_cost", "owners.resistance_mean", "workers_councils.rate", "exits.coordinator",
            "opinion.beta", "opinion.field_worker.bjc", "opinion.field_worker.pay", "opinion.field_coordinator.bjc",
            "opinion.field_coordinator.pay", "opinion.field_volunteer.pay", "failure.conventional",
            "failure.ratio_adopted", "failure.ratio_founded"]),
    "combinations-missing": B + "  design: combinations\n",
    "combinations-empty": B + "  design: combinations\n  combinations: []\n",
    "combinations-scalar": B + "  design: combinations\n  combinations:\n    - 3\n",
    "combinations-unknown": B + "  design: combinations\n  combinations:\n    - {voting.rulee: majority}\n",
    "csv-no-file": B + "  design: csv\n",
    "csv-missing": B + "  design: csv\n  design_file: nothere.csv\n",
    **{f"csv-{name[:-4]}": B + f"  design: csv\n  design_file: {name}\n" for name in CSV_FILES},
    "out-of-range": B + "  parameters:\n    opinion.beta: [1, 2000]\n",
    "wrong-word": B + "  parameters:\n    voting.rule: [majority, plurality]\n",
    "fraction": B + "  parameters:\n    population.neighbourhood_size: {from: 150, to: 251, steps: 3}\n",
    "anchor": B + "  parameters:\n    opinion.beta: &b [1, 2]\n    opinion.coupling: *b\n",
    "duplicate": B + "  seed: 1\n  seed: 2\n" + P,
    "seed-varied": B + "  parameters:\n    seed: [1, 2]\n",
    "pair-and-half": B + "  design: combinations\n  combinations:\n"
                     "    - {opinion.field_worker.bjc: 5, opinion.field_worker: [0.1, -0.1]}\n",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_messages_quoted_are_the_tools(root, case):
    for name, text in CSV_FILES.items():
        (root / "Scenarios" / name).write_text(text)
    got = run(["check", sweep_file(root, f"doc-bad-{case}.yaml", BAD[case])], root)
    assert got.returncode == 1, got.stdout
    lines = [without_location(line).replace(str(root / "Scenarios"), "FOLDER")
             for line in got.stdout.splitlines() if line.strip()]
    assert lines
    missing = [line for line in lines if f"`{line}`" not in doc_unescaped()]
    assert not missing, "docs/SWEEPS.md does not quote what the tool now says:\n" + "\n".join(missing)


def test_set_and_database_messages_are_the_tools(root, tmp_path):
    text = doc_unescaped()
    four = sweep_file(root, "doc-four.yaml", B + "  replicates: 2\n  seed: 7\n  parameters:\n"
                      "    voting.blocking_level: [-1.5, -1.0]\n    opinion.beta: [0.8, 1.2]\n")
    small = ["--set", "population.persons=500", "--set", "horizon=24", "-q"]

    refused = run(["sweep", four, "--out", tmp_path / "x.sqlite", *small, "--set", "opinion.beta=1"], root)
    assert "Error: invalid sweep file" in refused.stderr
    assert f"`{refused.stderr.splitlines()[-1]}`" in text

    db = tmp_path / "x.sqlite"
    assert run(["sweep", four, "--out", db, *small], root).returncode == 0
    def said(args) -> str:
        result = run(args, root)
        assert result.returncode != 0
        message = result.stderr.strip().removeprefix("Error: ").replace(str(db), "OUT")
        message = re.sub(r"\(sha256 [0-9a-f]{12}\)", "(sha256 …)", message)
        return re.sub(r"\([0-9a-f]{12}\)", "(…)", message)
    assert f"`{said(['sweep', four, '--out', db, *small, '--every', '12'])}`" in text
    assert f"`{said(['sweep', four, '--out', db, *small, '--replicates', '3'])}`" in text
    base_changed = said(["sweep", four, "--out", db, "--set", "population.persons=600", "--set", "horizon=24", "-q"])
    tail = base_changed.split("(…): ", 1)[1]
    assert tail.startswith("the base scenario") and f"`… {tail.split('; ')[0]}; …`" in text
    junk = tmp_path / "junk.sqlite"
    junk.write_text("hello\n")
    assert f"`{said(['sweep', four, '--out', junk, *small]).replace(str(junk), 'OUT')}`" in text

    shards = tmp_path / "shards"
    shards.mkdir()
    for name, shard, extra in (("A", "1/3", []), ("B", "2/3", []), ("C", "3/3", []), ("E", "2/3", ["--every", "12"])):
        assert run(["sweep", root / four, "--out", shards / f"{name}.sqlite", *small, "--shard", shard, *extra],
                   shards).returncode == 0
    other = sweep_file(root, "doc-other.yaml", B + P)
    assert run(["sweep", root / other, "--out", shards / "O.sqlite", *small], shards).returncode == 0
    def merged(*names) -> str:
        result = run(["merge", *names, "--out", "OUT.sqlite"], shards)
        assert result.returncode != 0
        message = result.stderr.strip().removeprefix("Error: ").replace("OUT.sqlite", "OUT")
        message = re.sub(r"\(sha256 [0-9a-f]{12}\)", "(sha256 …)", message)
        return re.sub(r"\([0-9a-f]{12}\)", "(…)", message)
    assert f"`{merged('A.sqlite', 'B.sqlite')}`" in text
    assert f"`{merged('A.sqlite', 'O.sqlite').replace('O.sqlite', 'B.sqlite')}`" in text
    assert f"`{merged('A.sqlite', 'E.sqlite').replace('E.sqlite', 'B.sqlite')}`" in text
    assert run(["merge", "A.sqlite", "B.sqlite", "C.sqlite", "--out", "OUT.sqlite"], shards).returncode == 0
    assert f"`{merged('A.sqlite', 'B.sqlite', 'C.sqlite')}`" in text
    with_set = run(["check", four, "--set", "horizon=12"], root)
    assert with_set.returncode == 0 and ": ok, sweep of" in with_set.stdout, with_set.stdout
    assert "`check FILE --set KEY=VALUE` checks the\nsweep as `sweep FILE --set KEY=VALUE` would run it" in text


# The shipped files and links.

def test_every_shipped_sweep_file_is_listed_with_its_design_and_size(root):
    shipped = sorted(p.name for p in (ROOT / "Scenarios").glob("sweep-*.yaml"))
    assert shipped
    for name in shipped:
        rows = [line for line in doc().splitlines() if line.startswith(f"| [{name}](../Scenarios/{name}) |")]
        assert rows, f"Scenarios/{name} is not in the table of shipped sweep files"
        cells = [c.strip() for c in rows[0].strip("|").split(" | ")]
        out = run(["check", f"Scenarios/{name}"], root).stdout
        m = re.search(r"ok, sweep of (\d+) points × (\d+) replicates", out)
        assert m, out
        assert cells[2] == f"{m.group(1)} × {m.group(2)}", f"{name}: {out}"
        design = re.search(r"^  design: (\S+)$", (ROOT / "Scenarios" / name).read_text(), re.M)
        assert cells[1] == f"`{design.group(1) if design else 'grid'}`", name


def test_relative_links_lead_somewhere():
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc()):
        if "://" in target:
            continue
        assert (DOC.parent / target).exists(), f"docs/SWEEPS.md links to {target}, which does not exist"


def test_readme_links_here():
    assert "(docs/SWEEPS.md)" in (ROOT / "README.md").read_text()
