"""docs/images/opinion-terms.svg must be what Analysis/opinion_figure.py draws from the current
defaults, draw exactly the terms of the opinion equation in docs/MODEL.md, and agree with the
figures MODEL.md states in words."""
import math
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURE = ROOT / "docs" / "images" / "opinion-terms.svg"
MODEL = ROOT / "docs" / "MODEL.md"
sys.path.insert(0, str(ROOT / "Analysis"))

import opinion_figure  # noqa: E402
from conftest import assert_figure_is_current  # noqa: E402

DOT = re.compile(r'<circle class="dot" data-term="(\w+)" data-class="(\w+)" data-value="([-0-9.]+)"'
                 r'(?: data-support="([0-9.]+)")?')


def dots(institution: str) -> dict[tuple[str, str], tuple[float, float | None]]:
    svg = FIGURE.read_text()
    panel = re.search(r'<g class="panel" data-institution="' + institution + r'">(.*?)</g>', svg, re.S)
    assert panel, f"the figure has no panel for {institution}"
    return {(t, c): (float(v), float(s) if s else None) for t, c, v, s in DOT.findall(panel.group(1))}


def equation_terms() -> list[str]:
    """The leading symbol of each term of u as MODEL.md writes it (h, w_sol, …)."""
    text = MODEL.read_text()
    eq = re.search(r"^\s+u = (.*?)\.\n", text, re.M | re.S)
    assert eq, "MODEL.md has no `u = …` equation: update this test"
    flat = " ".join(eq.group(1).split())
    parts, depth, current = [], 0, ""
    for i, ch in enumerate(flat):  # split at + and − outside brackets
        depth += ch in "([" and 1 or ch in ")]" and -1 or 0
        if depth == 0 and ch in "+−" and flat[i - 1:i] == " " and flat[i + 1:i + 2] == " ":
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [re.match(r"([A-Za-z_]+)", p.strip()).group(1) for p in parts]


def test_the_figure_is_what_the_script_draws_now(tmp_path):
    assert_figure_is_current("opinion_figure.py", FIGURE, tmp_path)


def test_the_figure_draws_every_term_of_the_equation_in_order():
    leading = [t.label.lstrip("− ").split(" ")[0].split("[")[0] for t in opinion_figure.terms(opinion_figure.defaults(), "bjc")]
    assert leading == equation_terms(), f"figure terms {leading} vs MODEL.md's equation {equation_terms()}"
    for inst in ("bjc", "pay"):
        found = {t for t, _ in dots(inst)}
        assert found == {t.key for t in opinion_figure.terms(opinion_figure.defaults(), inst)} | {"sum"}


def test_the_pay_stake_is_the_one_model_md_states():
    # MODEL.md: "At the default pay a worker of average effort gains 0.2 and a coordinator loses 0.4".
    assert "a worker of average effort gains\n  0.2 and a coordinator loses 0.4" in MODEL.read_text()
    pay = dots("pay")
    assert math.isclose(pay[("stake", "worker")][0], 0.2, abs_tol=1e-4)
    assert math.isclose(pay[("stake", "coordinator")][0], -0.4, abs_tol=1e-4)
    assert all(v == 0 for (t, _), (v, _s) in dots("bjc").items() if t == "stake")


def test_the_sum_row_adds_the_dots_and_its_support_is_the_logistic():
    beta = float(opinion_figure.defaults()["opinion.beta"])
    for inst in ("bjc", "pay"):
        d = dots(inst)
        for c in opinion_figure.CLASSES:
            total = sum(v for (t, cls), (v, _s) in d.items() if cls == c and t != "sum")
            u, support = d[("sum", c)]
            assert math.isclose(u, total, abs_tol=1e-3), (inst, c, u, total)
            assert math.isclose(support, 1 / (1 + math.exp(-2 * beta * u)), abs_tol=1e-4)


def test_coordinators_start_near_five_percent_as_model_md_says():
    # MODEL.md: coordinators' support for both "start near 5%"; the figure's m = ½ is generous to
    # them, so their support there must be low but not far above that.
    for inst in ("bjc", "pay"):
        _, support = dots(inst)[("sum", "coordinator")]
        assert 0.01 < support < 0.12, (inst, support)


def test_model_md_shows_the_figure():
    assert "](images/opinion-terms.svg)" in MODEL.read_text()
