"""docs/TUTORIAL.md must work as written, quote what the tool really prints, and show the month's
schedule as the code runs it.

The tutorial is replayed in a temporary folder that holds a copy of Scenarios/ (Scenarios/ itself
is never written: the model's fingerprint covers it), block by block in the document's order:

- a code block whose first line is `# save as PATH` is written to PATH (the reader's files);
- every command of a ```sh block is run there and must exit 0: `parecon-sim …` with the tool
  under test, `PYTHONPATH=Analysis python3 …` with this checkout's Analysis/, and
  `parecon-sim serve` on a free port, stopped by SIGTERM once it has printed its address;
- a ```text block quotes the output of the last command before it (or, when its first line is
  `# file: PATH`, that file): every line must be a line of the real output, where `…` stands
  for any text inside a line and a line holding only `…` for lines left out;
- a ```console block (`$ parecon-sim …` then its output) shows an error: the command must fail,
  with the output quoted.

Then docs/images/month-schedule.svg must be what Analysis/schedule_figure.py writes now, and
name every phase of Simulation.step(), in order.
"""
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tool, assert_figure_is_current

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "TUTORIAL.md"
FIGURE = ROOT / "docs" / "images" / "month-schedule.svg"
SIMULATION = ROOT / "Sources" / "TransitionModel" / "Simulation.swift"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
SAVE_AS = re.compile(r"\A# save as (\S+)\n")
FILE_QUOTE = re.compile(r"\A# file: (\S+)\n")
# Lines of ```sh blocks that are not the tool's or Python's: set up once, not replayed.
NOT_REPLAYED = {'export PATH="$PWD/.build/release:$PATH"'}
TIMEOUT = 120


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(DOC.read_text())]


def command_lines(text: str) -> list[str]:
    """The commands of a shell block, with `\\` continuations joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def serve(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Starts `serve` on a free port, waits for its address, stops it with SIGTERM."""
    if "--port" not in argv:
        argv = [*argv, "--port", "0"]
    proc = subprocess.Popen([str(tool()), *argv[1:]], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        assert selector.select(timeout=60), "serve printed nothing within 60 s"
        first = proc.stdout.readline()
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # The reader's port is the default one; the test's is any free port.
    output = re.sub(r"http://127\.0\.0\.1:\d+/", "http://127.0.0.1:8080/", first + rest)
    return proc.returncode, output


def execute(line: str, cwd: Path) -> tuple[int, str]:
    argv = shlex.split(line, comments=True)
    if argv[0] == "parecon-sim":
        if argv[1:2] == ["serve"] and "--help" not in argv:
            return serve(argv, cwd)
        result = subprocess.run([str(tool()), *argv[1:]], cwd=cwd, capture_output=True, text=True,
                                timeout=TIMEOUT)
    elif argv[0] == "PYTHONPATH=Analysis" and argv[1] == "python3":
        env = {**os.environ, "PYTHONPATH": str(ROOT / "Analysis")}
        result = subprocess.run([sys.executable, *argv[2:]], cwd=cwd, capture_output=True, text=True,
                                timeout=TIMEOUT, env=env)
    else:
        raise AssertionError(f"docs/TUTORIAL.md: this test does not know how to replay `{line}`")
    return result.returncode, result.stdout + result.stderr


class Replay:
    def __init__(self, folder: Path):
        self.folder = folder
        self.ran: list[tuple[str, int, str]] = []          # command, exit status, output
        self.quotes: list[tuple[str, str, str]] = []       # where from, quoted text, real text
        self.errors: list[tuple[str, int, str, str]] = []  # command, exit status, quoted, real
        self.saved: list[str] = []


@pytest.fixture(scope="module")
def replay(tmp_path_factory) -> Replay:
    folder = tmp_path_factory.mktemp("tutorial")
    shutil.copytree(ROOT / "Scenarios", folder / "Scenarios")
    done = Replay(folder)
    for lang, text in blocks():
        saved = SAVE_AS.match(text)
        if saved:
            path = (folder / saved.group(1)).resolve()
            assert folder.resolve() in path.parents, f"the tutorial saves {saved.group(1)} outside the working folder"
            assert (folder / "Scenarios").resolve() not in path.parents, \
                f"the tutorial saves {saved.group(1)} into Scenarios/, which must stay as shipped"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            done.saved.append(saved.group(1))
        elif lang == "sh":
            for line in command_lines(text):
                if line in NOT_REPLAYED:
                    continue
                status, output = execute(line, folder)
                done.ran.append((line, status, output))
        elif lang == "text":
            quoted = FILE_QUOTE.match(text)
            if quoted:
                source = folder / quoted.group(1)
                assert source.is_file(), f"the tutorial quotes {quoted.group(1)}, which no command wrote"
                done.quotes.append((quoted.group(1), text[quoted.end():], source.read_text()))
            else:
                assert done.ran, "a ```text block quotes output before any command ran"
                done.quotes.append((done.ran[-1][0], text, done.ran[-1][2]))
        elif lang == "console":
            command, quoted = text.split("\n", 1)
            assert command.startswith("$ parecon-sim "), f"a console block must start with `$ parecon-sim`: {command}"
            status, output = execute(command[2:], folder)
            done.errors.append((command[2:], status, quoted, output))
    return done


def unmatched(quoted: str, real: str) -> list[str]:
    """The quoted lines that are not lines of the real output (`…`: any text)."""
    lines = [line.rstrip() for line in real.splitlines()]
    missing = []
    for line in quoted.splitlines():
        line = line.rstrip()
        if line.strip() in ("", "…"):
            continue
        pattern = re.compile("^" + ".*?".join(map(re.escape, line.split("…"))) + "$")
        if not any(pattern.match(candidate) for candidate in lines):
            missing.append(line)
    return missing


# (1) The commands.

def test_the_tutorial_has_every_step():
    text = DOC.read_text()
    commands = [line for lang, body in blocks() if lang == "sh" for line in command_lines(body)]
    for sub in ("run", "report", "serve", "params", "check", "compare", "sweep"):
        assert any(c.startswith(f"parecon-sim {sub} ") or c == f"parecon-sim {sub}" for c in commands), \
            f"the tutorial runs no `parecon-sim {sub}`"
    assert "extends:" in text and "Scenarios/majority.yaml" in text
    assert any(c.startswith("PYTHONPATH=Analysis python3 ") for c in commands)
    assert "parecon_results" in text


def test_every_command_exits_0(replay):
    assert len(replay.ran) >= 10, [c for c, _, _ in replay.ran]
    failed = [f"`{command}` exited {status}:\n{output[-2000:]}" for command, status, output in replay.ran if status != 0]
    assert not failed, "\n\n".join(failed)


def test_the_readers_files_are_saved_outside_scenarios(replay):
    assert any(name.endswith(".yaml") and "sweep" not in name for name in replay.saved), replay.saved
    assert any("sweep" in name for name in replay.saved), replay.saved
    assert all(not name.startswith("Scenarios/") for name in replay.saved)


def test_the_quoted_output_is_the_tools(replay):
    assert len(replay.quotes) >= 6
    stale = []
    for source, quoted, real in replay.quotes:
        missing = unmatched(quoted, real)
        if missing:
            stale.append(f"`{source}` no longer prints:\n  " + "\n  ".join(missing) + f"\nit prints:\n{real[:3000]}")
    assert not stale, "docs/TUTORIAL.md quotes output the tool does not print now (re-run and re-quote):\n\n" \
        + "\n\n".join(stale)


def test_the_error_examples_fail_as_quoted(replay):
    assert replay.errors
    for command, status, quoted, real in replay.errors:
        assert status != 0, f"`{command}` is shown as an error but exits 0"
        missing = unmatched(quoted, real)
        assert not missing, f"`{command}` no longer prints:\n" + "\n".join(missing) + f"\nit prints:\n{real}"


# (2) and (3) The figure.

def step_phases() -> list[str]:
    """The names of the timed phases of Simulation.step(), read here independently of the script."""
    text = SIMULATION.read_text()
    body = re.search(r"func step\(\) \{\n(.*?)\n    \}\n", text, re.S)
    assert body, "func step() not found in Simulation.swift: update this test"
    names = re.findall(r'timed\("([^"]+)"\)', body.group(1))
    assert len(names) >= 8, names
    return names


def test_the_figure_is_what_the_script_draws_now(tmp_path):
    assert_figure_is_current("schedule_figure.py", FIGURE, tmp_path)


def test_the_figure_names_every_phase_in_order():
    svg = FIGURE.read_text()
    bold = re.findall(r'font-size="17" font-weight="bold"[^>]*>([^<]+)</text>', svg)
    assert bold == step_phases(), f"the figure's boxes {bold} vs step()'s phases {step_phases()}"
    conditional = [line for line in SIMULATION.read_text().split("func step() {", 1)[1].split("\n    }\n", 1)[0]
                   .splitlines() if "timed(" in line and line.strip().startswith("if ")]
    assert svg.count('stroke-dasharray="7 5"') >= len(conditional)


def test_the_tutorial_shows_the_figure_and_explains_every_phase():
    text = DOC.read_text()
    assert "](images/month-schedule.svg)" in text
    for name in step_phases():
        assert re.search(r"^\d+\. \*\*" + re.escape(name) + r"\*\*", text, re.M), \
            f"docs/TUTORIAL.md has no line `N. **{name}** …` explaining the phase"


def test_links_lead_somewhere_and_the_readme_links_here():
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", DOC.read_text()):
        if "://" not in target:
            assert (DOC.parent / target).exists(), f"docs/TUTORIAL.md links to {target}, which does not exist"
    assert "(docs/TUTORIAL.md)" in (ROOT / "README.md").read_text()
