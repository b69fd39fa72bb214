"""A running `parecon-sim serve` for the browser tests, and a headless Chromium page on it."""
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def find_tool() -> Path:
    """$PARECON_SIM, else the most recently built parecon-sim."""
    if os.environ.get("PARECON_SIM"):
        return Path(os.environ["PARECON_SIM"])
    built = [c for c in (ROOT / ".build" / cfg / "parecon-sim" for cfg in ("release", "debug")) if c.is_file()]
    if not built:
        pytest.fail("build the tool first (swift build) or set PARECON_SIM")
    return max(built, key=lambda c: c.stat().st_mtime)


class Server:
    def __init__(self, *arguments: str):
        self.process = subprocess.Popen(
            [str(find_tool()), "serve", "--port", "0", "--scenarios", str(ROOT / "Scenarios"), *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        line = self.process.stdout.readline()
        if "http://" not in line:
            self.process.kill()
            raise RuntimeError(f"serve printed no address: {line!r} {self.process.stderr.read()}")
        self.address = line.split("http://", 1)[1].split(" ", 1)[0].rstrip("/")
        self.url = "http://" + self.address

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=30)
        return self.process.returncode, out


@pytest.fixture
def server():
    s = Server("--max-runs", "1")
    yield s
    if s.process.poll() is None:
        s.process.kill()


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.fail("Debian's chromium is needed (bash .ci/install-deps installs it)")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()
