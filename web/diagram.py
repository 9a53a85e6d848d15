"""The workflow as an inline SVG: states and transitions read from the one machine.

The states and edges come from ``workflow.machine.MACHINE``; only where each state's box sits is
fixed here, as data. The drawing for a language is built once per process; a page only marks its
case's state as the current one.
"""

from __future__ import annotations

import math
import textwrap
from functools import cache

from markupsafe import Markup, escape

from workflow.definition import SPECS
from workflow.machine import MACHINE
from workflow.states import FINAL_STATES, NEW, STATE_LABELS, State

WIDTH, HEIGHT = 1150, 372
NODE_W, NODE_H = 118, 50
START_R = 7

#: The centre of each state's box (and of the dot the first transition starts from).
LAYOUT: dict[str, tuple[int, int]] = {
    NEW: (66, 330),
    State.identified: (66, 190),
    State.mentored: (270, 190),
    State.trained: (474, 190),
    State.dossier_submitted: (678, 190),
    State.admitted: (882, 190),
    State.official: (1086, 190),
    State.withdrawn: (270, 52),
    State.returned: (576, 52),
    State.rejected: (780, 330),
    State.removed: (984, 330),
}

#: Where a transition back to the same state loops: under its box, or right of it.
LOOPS: dict[str, str] = {
    State.mentored: "below",
    State.trained: "below",
    State.returned: "right",
}

#: Label moves, by (source, trigger): a shift (dx, dy) from the edge's middle, or ``None`` where
#: a neighbouring arrow of the same trigger into the same state already carries the label (the
#: arrow keeps it as its tooltip).
LABEL_MOVES: dict[tuple[str, str], tuple[int, int] | None] = {
    (State.identified, "withdraw"): None,
    (State.trained, "withdraw"): None,
    (State.withdrawn, "reinstate"): (-38, -4),
    (State.dossier_submitted, "return_dossier"): (44, 4),
    (State.returned, "submit_dossier"): (-46, 2),
}

_INK, _MUTED, _LINE = "#1d1d1f", "#5f6368", "#9aa0a6"
_LABEL_CHARS, _EDGE_CHARS = 15, 13


def _text(x: float, y: float, text: str, width: int, css: str, size: float, **attrs: str) -> str:
    """A text block of wrapped lines, centred on (x, y) unless an anchor is given."""
    lines = textwrap.wrap(text, width) or [""]
    anchor = attrs.pop("anchor", "middle")
    height = size * 1.2
    first = y - (len(lines) - 1) * height / 2
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    spans = "".join(
        f'<tspan x="{x:.0f}" y="{first + i * height:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text class="{css}" text-anchor="{anchor}" dominant-baseline="central" '
        f'font-size="{size}"{extra}>{spans}</text>'
    )


def _border(state: str, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a state's centre towards a point leaves its box (or the dot)."""
    cx, cy = LAYOUT[state]
    dx, dy = towards[0] - cx, towards[1] - cy
    if state == NEW:
        length = math.hypot(dx, dy) or 1
        return cx + dx / length * START_R, cy + dy / length * START_R
    scale = min(
        (NODE_W / 2) / abs(dx) if dx else math.inf, (NODE_H / 2) / abs(dy) if dy else math.inf
    )
    return cx + dx * scale, cy + dy * scale


def _edges() -> list[tuple[str, str, str]]:
    """Every (source, trigger, destination) the machine knows, in definition order."""
    return [
        (source, trigger, transition.dest)
        for trigger, event in MACHINE.events.items()
        for source, transitions in event.transitions.items()
        for transition in transitions
    ]


def _label(trigger: str, locale: str) -> str:
    spec = SPECS[trigger]
    return spec.en if locale == "en" else spec.vi


def _edge(source: str, trigger: str, dest: str, locale: str, pairs: set) -> tuple[str, str]:
    """The arrow of one transition and its label."""
    label = _label(trigger, locale)
    attrs = f'class="edge" data-source="{source}" data-trigger="{trigger}" data-dest="{dest}"'
    if source == dest:
        x, y = LAYOUT[source]
        if LOOPS.get(source, "below") == "right":
            x0, y0 = x + NODE_W / 2, y
            d = f"M{x0},{y0 - 9} C{x0 + 40},{y0 - 30} {x0 + 40},{y0 + 30} {x0},{y0 + 9}"
            lx, ly, anchor, width = x0 + 38, y0, "start", 20
        else:
            y0 = y + NODE_H / 2
            d = f"M{x - 14},{y0} C{x - 34},{y0 + 44} {x + 34},{y0 + 44} {x + 14},{y0}"
            lx, ly, anchor, width = x, y0 + 50, "middle", 20
    else:
        (sx, sy), (tx, ty) = LAYOUT[source], LAYOUT[dest]
        # Two arrows between the same states run side by side.
        shift = 6 if (dest, source) in pairs else 0
        length = math.hypot(tx - sx, ty - sy) or 1
        nx, ny = -(ty - sy) / length * shift, (tx - sx) / length * shift
        x1, y1 = _border(source, (tx, ty))
        x2, y2 = _border(dest, (sx, sy))
        x1, y1, x2, y2 = x1 + nx, y1 + ny, x2 + nx, y2 + ny
        d = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
        lx, ly, anchor, width = (x1 + x2) / 2, (y1 + y2) / 2, "middle", _EDGE_CHARS
    path = (
        f'<path {attrs} d="{d}" fill="none" stroke="{_MUTED}" stroke-width="1.3" '
        f'marker-end="url(#wf-arrow)"><title>{escape(label)}</title></path>'
    )
    move = LABEL_MOVES.get((source, trigger), (0, 0))
    if move is None:
        return path, ""
    text = _text(
        lx + move[0],
        ly + move[1],
        label,
        width,
        "edge-label",
        10,
        anchor=anchor,
        fill=_INK,
        stroke="#ffffff",
        stroke_width="4",
        stroke_linejoin="round",
        paint_order="stroke",
        data_source=source,
        data_trigger=trigger,
    )
    return path, text


def _node(state: State, locale: str) -> str:
    x, y = LAYOUT[state]
    vi, en = STATE_LABELS[state]
    label = en if locale == "en" else vi
    css = "box final" if state in FINAL_STATES else "box"
    return (
        f'<g class="node" id="wf-{state.value}" data-state="{state.value}">'
        f"<title>{escape(label)}</title>"
        f'<rect class="{css}" x="{x - NODE_W / 2}" y="{y - NODE_H / 2}" width="{NODE_W}" '
        f'height="{NODE_H}" rx="8" fill="#ffffff" stroke="{_LINE}" stroke-width="1.5"/>'
        + _text(x, y, label, _LABEL_CHARS, "state-label", 11.5, fill=_INK)
        + "</g>"
    )


@cache
def skeleton(locale: str) -> str:
    """The whole drawing in one language, with no state marked current."""
    edges = _edges()
    pairs = {(s, d) for s, _, d in edges}
    drawn = [_edge(s, t, d, locale, pairs) for s, t, d in edges]
    x, y = LAYOUT[NEW]
    title = "Workflow of a case" if locale == "en" else "Quy trình của hồ sơ"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow" viewBox="0 0 {WIDTH} '
        f'{HEIGHT}" role="img" aria-labelledby="wf-title" font-family="DejaVu Sans, sans-serif">'
        f'<title id="wf-title">{escape(title)}</title>'
        '<defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{_MUTED}"/></marker></defs>'
        f'<circle class="start" cx="{x}" cy="{y}" r="{START_R}" fill="{_INK}"/>'
        f'<g class="edges">{"".join(p for p, _ in drawn)}</g>'
        f'<g class="edge-labels">{"".join(t for _, t in drawn)}</g>'
        f'<g class="nodes">{"".join(_node(s, locale) for s in State)}</g>'
        "</svg>"
    )


def workflow_svg(current: str | None, locale: str = "vi") -> Markup:
    """The drawing with `current` (a state's name) filled; unknown names mark nothing."""
    svg = skeleton("en" if locale == "en" else "vi")
    if current in set(State):
        marker = f'<g class="node" id="wf-{current}"'
        svg = svg.replace(marker, f'<g class="node current" aria-current="step" id="wf-{current}"')
    # Every text in the skeleton was escaped as it was built.
    return Markup(svg)
