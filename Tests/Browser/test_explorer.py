"""The explorer as its users see it: `parecon-sim serve` driven in headless Chromium."""
import base64
import os
import socket
import subprocess
import time
from pathlib import Path

from .explorer_server import find_tool

READY = "body[data-state=ready]"


def open_page(browser, server, width=1280, height=1000):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=30_000)
    return page, errors


def state_counts(page):
    return page.evaluate("""() => { const n = [0, 0, 0, 0, 0];
        for (const r of document.querySelectorAll('#workplace-map rect.workplace')) n[Number(r.dataset.state)]++; return n; }""")


def curve(page, series="both"):
    return page.get_attribute(f'#chart-adoption path.current[data-series="{series}"]', "d")


def wait_finished_run(page, previous=None):
    page.wait_for_function("(prev) => document.body.dataset.state === 'finished' && document.body.dataset.run !== prev",
                           arg=previous or "", timeout=120_000)
    return page.evaluate("document.body.dataset.run")


def test_explore_steer_overlay_and_take_home(server, browser, tmp_path):
    page, errors = open_page(browser, server)
    # Controls come from the schema: a slider per numeric lever, every other key under "all parameters".
    assert page.locator("#levers input[type=range]").count() >= 10
    assert page.locator("#all-parameters .control").count() >= 60
    page.fill("#p-population-persons", "3000")
    page.fill("#replicates", "3")
    page.select_option("#speed", "24")
    page.click("#run")
    page.wait_for_function("Number(document.body.dataset.month) >= 3", timeout=60_000)
    early = state_counts(page)
    # Pause, one step, resume at full speed.
    page.click("#pause")
    page.wait_for_selector("body[data-state=paused]", timeout=30_000)
    month = int(page.evaluate("document.body.dataset.month"))
    page.click("#step")
    page.wait_for_function(f"Number(document.body.dataset.month) === {month + 1}", timeout=30_000)
    # Live numbers set opposition against what was adopted.
    live = page.inner_text("#status")
    assert f"month {month + 1} of" in live and "under BJC or pay; opposed adopted over:" in live, live
    assert "per 1,000 under an adopted institution" in live, live
    page.select_option("#speed", "0")
    page.click("#pause")  # now "Resume"
    first = wait_finished_run(page)
    late = state_counts(page)
    assert sum(early) > 100 and late != early and late[4] > early[4], (early, late)
    d1 = curve(page)
    assert d1 and d1.count("L") == 240, "one point a month, months 0 to 240"
    assert page.locator("#chart-adoption polygon.band").count() == 3, "a 5–95% band per series"

    # Take it home: the resolved scenario reproduces the run's series exactly.
    with page.expect_download() as download:
        page.click("#downloads a:has-text('scenario')")
    yaml = tmp_path / "explored.yaml"
    download.value.save_as(yaml)
    with page.expect_download() as download:
        page.click("#downloads a:has-text('series')")
    csv = tmp_path / "explored-series.csv"
    download.value.save_as(csv)
    subprocess.run([str(find_tool()), "run", str(yaml), "-r", "3", "--out", str(tmp_path / "again"), "-q"],
                   check=True, capture_output=True)
    assert (tmp_path / "again" / "series.csv").read_bytes() == csv.read_bytes()

    # Keep the run, move a slider, run again: both sets of curves, labelled by what differs.
    page.click("#keep")
    page.eval_on_selector('.control[data-path="opinion.coupling"] input[type=range]',
                          "(e) => { e.value = 1.2; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert page.input_value("#p-opinion-coupling") == "1.2"
    page.click("#run")
    wait_finished_run(page, first)
    d2 = curve(page)
    assert d2 and d2 != d1
    assert page.get_attribute('#chart-adoption path.kept[data-series="both"]', "d") == d1
    legend = page.inner_text("#chart-adoption .legend")
    assert "kept 1" in legend and "opinion.coupling=0.6" in legend, legend

    # The workplaces: hovering one shows its members' stances by class.
    page.hover("#workplace-map rect.workplace >> nth=0")
    page.wait_for_selector("#tooltip:not([hidden])")
    assert "members" in page.inner_text("#tooltip") and "workers" in page.inner_text("#tooltip")

    assert errors == [], errors
    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "explorer.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000

    # A value the schema refuses: the command line's message, the control marked (the browser
    # logs the 422 answer itself as a failed resource: the only console error allowed).
    page.fill("#p-voting-rule", "sometimes")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "voting.rule" in page.inner_text("#error")
    assert "invalid" in page.get_attribute('.control[data-path="voting.rule"]', "class")

    assert all("status of 422" in e for e in errors), errors


def test_a_narrow_screen_needs_no_sideways_scrolling(server, browser):
    page, errors = open_page(browser, server, width=400, height=900)
    page.fill("#p-population-persons", "2000")
    page.fill("#p-horizon", "36")
    page.fill("#replicates", "2")
    page.click("#run")
    wait_finished_run(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 401
    box = page.locator("#chart-adoption svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 401
    assert errors == [], errors


def test_a_page_that_goes_away_stops_its_run(server, browser):
    # The server allows one run at a time: a second page can run only once the first page's run
    # has stopped. Left alone, that run (1,200 months at 2 a second) would hold its place for 10 minutes.
    first, _ = open_page(browser, server)
    first.fill("#p-horizon", "1200")
    first.select_option("#speed", "2")
    first.click("#run")
    first.wait_for_function("Number(document.body.dataset.month) >= 1", timeout=60_000)
    second, _ = open_page(browser, server)
    second.fill("#p-population-persons", "2000")
    second.fill("#p-horizon", "24")
    second.click("#run")
    second.wait_for_selector("#error:not([hidden])")
    assert "--max-runs" in second.inner_text("#error"), "the place is taken while the first page runs"
    first.close()
    deadline = time.time() + 30
    while True:
        second.click("#run")
        second.wait_for_function("document.body.dataset.state === 'finished' || !document.getElementById('error').hidden",
                                 timeout=60_000)
        if second.evaluate("document.body.dataset.state") == "finished":
            break
        assert time.time() < deadline, "the closed page's run still holds its place after 30 s"
        second.evaluate("document.getElementById('error').hidden = true")
        time.sleep(0.5)


def handshake(address: str, origin: str) -> str:
    key = base64.b64encode(os.urandom(16)).decode()
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall((f"GET /ws HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        return s.recv(1024).decode(errors="replace").split("\r\n", 1)[0]


def test_only_the_servers_own_page_may_open_the_websocket(server):
    assert " 101 " in handshake(server.address, server.url)
    assert " 101 " not in handshake(server.address, "http://elsewhere.example")


def test_ctrl_c_stops_the_server_cleanly(server):
    status, out = server.stop()
    assert status == 0 and "stopped" in out


def test_orientation_a_shareable_setup_and_charts_to_read(server, browser, tmp_path):
    import xml.etree.ElementTree as ET
    page, errors = open_page(browser, server)
    # A first visit opens "About this model": one month as ten steps, and what each chart shows.
    assert page.get_attribute("#about", "open") is not None
    assert page.locator("#month-diagram rect.step").count() == 10
    assert page.locator("#chart-help li").count() == page.locator("#charts figure.chart:not(.wide)").count()
    # Before a run the charts say what to do, over the planned horizon (240 months: 20 years).
    assert page.locator("#chart-adoption text.empty").text_content().startswith("Press Run")
    ticks = page.locator("#chart-adoption svg text").all_text_contents()
    assert "20" in ticks and "years" in ticks, ticks
    # Levers have plain names and a visible help mark with the key, meaning and default.
    coupling = '.control[data-path="opinion.coupling"]'
    assert page.inner_text(f"{coupling} label") == "peer influence J"
    assert page.locator(f"{coupling} .help-text").is_hidden()
    page.click(f"{coupling} button.help")
    help_text = page.inner_text(f"{coupling} .help-text")
    assert "opinion.coupling" in help_text and "default 0.6" in help_text, help_text
    # No chart puts a quantity on an axis of another unit (the Gini is not a percentage).
    assert "×100" not in page.inner_text("#charts")

    # The setup lives in the address: a link reproduces it, and what it cannot use is said.
    page.goto(server.url + "/?preset=majority&set=opinion.coupling=1.1&set=population.persons=2000&replicates=2")
    page.wait_for_selector(READY)
    assert page.input_value("#preset") == "majority" and page.input_value("#replicates") == "2"
    assert page.input_value("#p-opinion-coupling") == "1.1"
    assert "changed" in page.get_attribute(coupling, "class")
    page.click("#run")
    first = wait_finished_run(page)
    assert "set=opinion.coupling%3D1.1" in page.url and "preset=majority" in page.url, page.url
    # A value under the pointer: the month and every curve's mean [5–95%].
    page.hover("#chart-adoption svg", position={"x": 300, "y": 100})
    page.wait_for_selector("#chart-adoption .readout:not([hidden])")
    readout = page.inner_text("#chart-adoption .readout")
    assert "month" in readout and "both:" in readout and "[" in readout, readout
    # A chart downloads as an SVG file with its title, curves and legend.
    with page.expect_download() as download:
        page.click("#chart-adoption button.export:has-text('SVG')")
    svg_file = tmp_path / "adoption.svg"
    download.value.save_as(svg_file)
    root = ET.parse(svg_file).getroot()
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Adoption in the workforce (%)" in texts and any(t.startswith("both") for t in texts), texts
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) >= 3
    # …and as a PNG drawn from that SVG at twice its size.
    with page.expect_download() as download:
        page.click("#chart-adoption button.export:has-text('PNG')")
    assert download.value.suggested_filename.endswith(".png"), download.value.suggested_filename
    png = download.value.path().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n", png[:8]
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 2 * int(root.get("width")) and height == 2 * int(root.get("height")), (width, height)

    # Kept runs survive a reload, labelled by their name, and download together.
    page.click("#keep")
    page.reload()
    page.wait_for_selector(READY)
    legend = page.inner_text("#chart-adoption .legend")
    assert "kept 1" in legend and "majority" in legend and "name=" not in legend, legend
    assert page.locator('#chart-adoption path.kept[data-series="both"]').count() == 1
    with page.expect_download() as download:
        page.click("#download-kept")
    rows = download.value.path().read_text().splitlines()
    assert rows[0] == "kept,name,month,column,mean" and any(r.startswith("1,majority,240,workforce_both,") for r in rows)

    # An address the server cannot honour: each problem said.
    page.goto(server.url + "/?preset=no-such&set=bogus=1&replicates=two")
    page.wait_for_selector(READY)
    problems = page.inner_text("#error")
    assert "preset 'no-such'" in problems and "'bogus=1'" in problems and "'two'" in problems, problems
    assert errors == [], errors
    page.goto(server.url)
    page.wait_for_selector(READY)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / "about.png"), full_page=False)
    import shutil
    shutil.copy(tmp_path / "about.png", "/tmp/explorer-about.png") if os.environ.get("KEEP_SCREENSHOTS") else None


def test_a_scenario_file_of_ones_own_can_be_opened_and_run(server, browser, tmp_path):
    page, errors = open_page(browser, server)
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: mine\nvoting: {rule: supermajority}\nhorizon: 24\npopulation: {persons: 2000}\n")
    page.set_input_files("#upload", str(mine))
    page.wait_for_function("document.querySelector('#preset').selectedOptions[0].text === 'uploaded: mine.yaml'")
    assert page.evaluate("app.controls['voting.rule'].get()") == "supermajority"
    assert page.evaluate("app.controls['horizon'].get()") == "24"
    # The file's values are the starting point: nothing is marked changed, and a run uses them.
    assert page.locator(".control.changed").count() == 0
    page.fill("#replicates", "2")
    page.click("#run")
    wait_finished_run(page)
    assert page.evaluate("app.run.horizon") == 24
    # A file that would make the server read files is refused, and says why; the upload stays.
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: /etc/passwd\n")
    page.set_input_files("#upload", str(bad))
    page.wait_for_selector("#error:not([hidden])")
    assert "cannot extend a file" in page.inner_text("#error")
    assert page.evaluate("app.uploaded.name") == "mine.yaml"
    # Back to a preset: the upload is dropped.
    page.select_option("#preset", "majority")
    page.wait_for_function("app.uploaded === null && app.controls['voting.rule'].get() === 'majority'")
    # The refused file's check is a 422 answer, which the browser logs; nothing else may be.
    assert [e for e in errors if "status of 422" not in e] == [], errors


def test_a_chart_of_ones_own_series(server, browser):
    page, errors = open_page(browser, server)
    assert page.locator("#chart-custom text.empty").text_content().startswith("Add a series")
    columns = page.evaluate("app.schema.columns.map((c) => c.name)")
    assert len(columns) > 40 and page.locator("#custom-add option").count() == len(columns) + 1
    # Each option's tooltip is the column's meaning.
    assert page.get_attribute('#custom-add option[value="opposed_any"]', "title")
    page.fill("#replicates", "2")
    page.evaluate("app.controls['population.persons'].set('2000'); app.controls['horizon'].set('36')")
    page.select_option("#custom-add", "opposed_any")
    page.select_option("#custom-add", "solidarity_coordinator")
    assert "series=opposed_any%2Csolidarity_coordinator" in page.url or "series=opposed_any,solidarity_coordinator" in page.url
    page.click("#run")
    wait_finished_run(page)
    paths = page.locator("#chart-custom path.current")
    assert paths.count() == 2
    # Every chart's value axis reads as evenly spaced numbers (quarters of 5 are 1.25, not "1.3").
    axes = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].map((svg) =>
            [...svg.querySelectorAll('text[text-anchor=end]')].map((t) => t.textContent))""")
    assert len([a for a in axes if a]) >= 4, axes
    for axis in filter(None, axes):
        values = [float(v) for v in axis]
        assert len(values) == 5 and values[0] == 0, axis
        assert all(abs((b - a) - values[1]) <= 1e-9 * max(1, values[-1]) for a, b in zip(values, values[1:])), axis
    for top in [1, 2, 2.5, 5, 0.025, 250, 5e-4]:
        labels = page.evaluate(f"[0, 1, 2, 3, 4].map((i) => tickText({top} * i / 4, {top} / 4))")
        assert [float(t) for t in labels] == [top * i / 4 for i in range(5)] or \
            all(abs(float(t) - top * i / 4) <= 1e-12 for i, t in enumerate(labels)), (top, labels)
    assert page.evaluate("tickText(1.25, 1.25)") == "1.25" and page.evaluate("tickText(2007.5, 2.5)") == "2007.5"
    assert sorted(paths.evaluate_all("(ps) => ps.map((p) => p.dataset.series)")) == ["opposed_any", "solidarity_coordinator"]
    # The choice is in the address: a link draws the same chart; an unknown column is said.
    page.goto(server.url + "/?series=opposed_any,no_such_column")
    page.wait_for_selector(READY)
    assert page.evaluate("customChart().series.map((s) => s[0])") == ["opposed_any"]
    assert "no_such_column" in page.inner_text("#error")
    page.click("#custom-clear")
    assert page.evaluate("customChart().series.length") == 0 and "series=" not in page.url
    assert not errors, errors
