"""Draw one simulated month as a flow of boxes: docs/images/month-schedule.svg.

The phases and their order are read from the source, not typed here: every
``timed("NAME") { call() }`` inside ``func step()`` of
Sources/TransitionModel/Simulation.swift, in order. A phase that sits under an ``if`` (on its
own line or around it) is conditional and is drawn dashed, with its condition. ``timed(...)``
calls in other functions of the same file (such as the monthly metrics, recorded after each
step) are named in a note under the flow.

    python3 Analysis/schedule_figure.py                 # rewrites docs/images/month-schedule.svg
    python3 Analysis/schedule_figure.py --out /tmp/x.svg

Analysis/tests/test_tutorial_doc.py checks that the committed figure is what this script
writes now.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "Sources" / "TransitionModel" / "Simulation.swift"
OUT = ROOT / "docs" / "images" / "month-schedule.svg"

TIMED = re.compile(r'timed\("([^"]+)"\)\s*\{')
FUNC = re.compile(r"\bfunc\s+(\w+)\s*\(")
CALL = re.compile(r"^\s*(?:[\w.]+\s*=\s*)?([\w.]+)\(")


@dataclass
class Phase:
    name: str
    call: str              # what the phase runs, e.g. "holdVotes()"
    condition: str | None  # the `if` condition it runs under, None when it runs every month


def _strip_comments(text: str) -> str:
    """Swift source without // and /* */ comments (string literals here hold no comment marks)."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def _block(text: str, open_brace: int) -> tuple[int, int]:
    """The span inside the braces that open at `open_brace`."""
    depth = 0
    for i in range(open_brace, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return open_brace + 1, i
    raise ValueError("unbalanced braces")


def function_body(text: str, name: str) -> str:
    m = re.search(r"\bfunc\s+" + re.escape(name) + r"\s*\([^)]*\)[^{]*\{", text)
    if not m:
        raise SystemExit(f"schedule_figure.py: no `func {name}()` in {SOURCE.relative_to(ROOT)}")
    start, end = _block(text, m.end() - 1)
    return text[start:end]


def _tidy_condition(condition: str) -> str:
    """The condition with `scenario.payDrift.base` written as the scenario key `pay_drift.base`."""
    def key(m: re.Match) -> str:
        return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda c: "_" + c.group(1).lower(), m.group(1))
    return re.sub(r"\bscenario\.([\w.]+)", key, " ".join(condition.split()))


def phases(source: str) -> list[Phase]:
    """The timed phases of step(), in order, each with the `if` condition it runs under."""
    body = _strip_comments(function_body(_strip_comments(source), "step"))
    found: list[Phase] = []
    stack: list[str | None] = []  # for each open brace: its `if` condition, or None
    i = 0
    statement_start = 0
    while i < len(body):
        ch = body[i]
        timed = TIMED.match(body, i)
        if timed:
            open_brace = timed.end() - 1
            start, end = _block(body, open_brace)
            call = CALL.match(body[start:end].strip() + "(")
            conditions = [c for c in stack if c]
            found.append(Phase(
                name=timed.group(1),
                call=(call.group(1) + "()") if call else body[start:end].strip(),
                condition=_tidy_condition(" && ".join(conditions)) if conditions else None,
            ))
            i = end + 1
            continue
        if ch == "{":
            m = re.match(r"\s*if\s+(.+?)\s*$", body[statement_start:i], re.S)
            stack.append(m.group(1) if m else None)
            statement_start = i + 1
        elif ch == "}":
            if stack:
                stack.pop()
            statement_start = i + 1
        elif ch in "\n;":
            if not body[statement_start:i].strip().startswith("if "):
                statement_start = i + 1
        i += 1
    if not found:
        raise SystemExit("schedule_figure.py: no timed(\"NAME\") { … } calls found in step()")
    return found


def timed_elsewhere(source: str) -> list[tuple[str, str]]:
    """(phase name, enclosing function) for timed(...) calls outside step()."""
    text = _strip_comments(source)
    out = []
    for m in TIMED.finditer(text):
        funcs = [f for f in FUNC.finditer(text, 0, m.start())]
        func = funcs[-1].group(1) if funcs else "?"
        if func not in ("step", "timed"):
            out.append((m.group(1), func))
    return out


# Drawing.

WIDTH = 640
BOX_X, BOX_W = 70, 520
BOX_H, BOX_H_COND, GAP = 46, 62, 22
TOP = 96


def _text(x, y, s, size, weight="normal", anchor="start", family="sans-serif", fill="#1a1a1a", style=""):
    extra = f' font-style="{style}"' if style else ""
    return (f'<text x="{x}" y="{y}" font-family="{family}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{fill}"{extra}>{escape(s)}</text>')


def svg(steps: list[Phase], elsewhere: list[tuple[str, str]]) -> str:
    heights = [BOX_H_COND if p.condition else BOX_H for p in steps]
    height = TOP + sum(heights) + GAP * (len(steps) - 1) + 84
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}">',
        "<!-- generated by Analysis/schedule_figure.py from Sources/TransitionModel/Simulation.swift "
        "(func step()); do not edit by hand -->",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="white"/>',
        _text(WIDTH / 2, 36, "One simulated month: the phases of step(), in order", 20, "bold", "middle"),
        _text(WIDTH / 2, 62, "read from Sources/TransitionModel/Simulation.swift; "
              "dashed = runs only when its condition holds", 13, anchor="middle", fill="#444"),
    ]
    y = TOP
    for n, (phase, h) in enumerate(zip(steps, heights), start=1):
        dashed = ' stroke-dasharray="7 5"' if phase.condition else ""
        fill = "#fff8e6" if phase.condition else "#eef4fb"
        stroke = "#b07d00" if phase.condition else "#2f5f8a"
        parts.append(f'<rect x="{BOX_X}" y="{y}" width="{BOX_W}" height="{h}" rx="8" ry="8" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="2"{dashed}/>')
        parts.append(_text(BOX_X - 14, y + 29, str(n), 16, "bold", "end", fill="#555"))
        parts.append(_text(BOX_X + 16, y + 28, phase.name, 17, "bold"))
        parts.append(_text(BOX_X + BOX_W - 16, y + 28, phase.call, 13, anchor="end",
                           family="monospace", fill="#444"))
        if phase.condition:
            parts.append(_text(BOX_X + 16, y + 50, "if " + phase.condition, 12,
                               family="monospace", fill="#7a5600"))
        if n < len(steps):
            x = BOX_X + BOX_W / 2
            parts.append(f'<line x1="{x}" y1="{y + h + 2}" x2="{x}" y2="{y + h + GAP - 3}" '
                         'stroke="#555" stroke-width="2" marker-end="url(#arrow)"/>')
        y += h + GAP
    y += 18
    if elsewhere:
        note = "; ".join(f"{func}() runs {name}" for name, func in elsewhere)
        parts.append(_text(BOX_X, y, f"After each step(): {note}", 13, fill="#444"))
        y += 22
    parts.append(_text(BOX_X, y, "Then the next month starts again at step 1.", 13, fill="#444"))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render(source_path: Path = SOURCE) -> str:
    source = source_path.read_text()
    return svg(phases(source), timed_elsewhere(source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="Simulation.swift to read")
    parser.add_argument("--out", type=Path, default=OUT, help="SVG file to write")
    args = parser.parse_args(argv)
    text = render(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    names = ", ".join(p.name for p in phases(args.source.read_text()))
    print(f"wrote {args.out} ({names})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
