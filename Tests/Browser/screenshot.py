"""Makes the explorer's screenshot in docs/images: the majority preset at 20,000 persons with
10 replicates, kept, then run again with consensus, in headless Chromium.

    python3 Tests/Browser/screenshot.py docs/images/explorer.png
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from explorer_server import Server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def main(out: str) -> None:
    server = Server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 2300})
            page.goto(server.url)
            page.wait_for_selector("body[data-state=ready]", timeout=30_000)
            page.evaluate("document.getElementById('about').open = false")  # the charts, not the introduction
            page.select_option("#preset", "majority")
            page.wait_for_timeout(300)
            for n, rule in enumerate(["majority", "consensus"]):
                page.fill("#p-voting-rule", rule)
                previous = page.evaluate("document.body.dataset.run || ''")
                page.click("#run")
                page.wait_for_function("(prev) => document.body.dataset.state === 'finished' && document.body.dataset.run !== prev",
                                       arg=previous, timeout=300_000)
                if n == 0:
                    page.click("#keep")
            target = page.locator("#workplace-map rect.workplace >> nth=12")
            target.scroll_into_view_if_needed()
            box = target.bounding_box()
            page.mouse.move(box["x"] + 2, box["y"] + 2)
            page.wait_for_selector("#tooltip:not([hidden])")
            page.screenshot(path=out, full_page=False, clip={"x": 0, "y": 0, "width": 1400, "height": 2300})
            browser.close()
    finally:
        server.process.kill()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "explorer.png")
