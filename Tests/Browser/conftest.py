"""Fixtures of the browser tests: a server per test, one headless Chromium for all."""
import shutil

import pytest

from .explorer_server import Server

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
