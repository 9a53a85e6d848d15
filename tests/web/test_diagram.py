"""The workflow diagram: drawn from the machine, one state filled."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from web.diagram import LAYOUT, skeleton, workflow_svg
from workflow.definition import SPECS
from workflow.machine import MACHINE
from workflow.states import State

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def machine_edges() -> set[tuple[str, str, str]]:
    return {
        (source, trigger, transition.dest)
        for trigger, event in MACHINE.events.items()
        for source, transitions in event.transitions.items()
        for transition in transitions
    }


def test_every_state_has_a_node_and_every_transition_an_arrow():
    root = parse(workflow_svg(None))
    nodes = {g.get("data-state") for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    assert nodes == {s.value for s in State}
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    drawn = {(p.get("data-source"), p.get("data-trigger"), p.get("data-dest")) for p in arrows}
    assert len(arrows) == len(drawn) == len(machine_edges())
    assert drawn == machine_edges()
    # Every state the machine knows has a place in the layout, the start dot included.
    assert set(MACHINE.states) == set(LAYOUT)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_arrows_carry_the_trigger_label_of_the_language(locale):
    root = parse(workflow_svg(None, locale))
    for path in root.iter(f"{SVG}path"):
        if path.get("class") == "edge":
            spec = SPECS[path.get("data-trigger")]
            assert path.find(f"{SVG}title").text == (spec.en if locale == "en" else spec.vi)
    for text in root.iter(f"{SVG}text"):
        if text.get("class") == "edge-label":
            spec = SPECS[text.get("data-trigger")]
            written = " ".join(span.text for span in text)  # wrapped over lines at spaces
            assert written == (spec.en if locale == "en" else spec.vi)
    labelled = {t.get("data-trigger") for t in root.iter(f"{SVG}text") if t.get("data-trigger")}
    assert labelled == set(SPECS)  # every trigger is written out at least once


@pytest.mark.parametrize("state", [s.value for s in State])
def test_exactly_the_current_state_is_filled(state):
    root = parse(workflow_svg(state))
    current = [g.get("data-state") for g in root.iter(f"{SVG}g") if "current" in g.get("class", "")]
    assert current == [state]


def test_only_the_highlight_changes_between_cases():
    base = skeleton("vi")
    for state in State:
        svg = str(workflow_svg(state.value))
        assert re.sub(r' current" aria-current="step"', '"', svg) == base
    assert workflow_svg("no_such_state") == base
    assert skeleton("vi") is base  # built once per process


def test_labels_are_escaped(monkeypatch):
    import workflow.definition as definition

    spec = SPECS["admit"]
    monkeypatch.setitem(
        definition.SPECS, "admit", type(spec)(**{**spec.__dict__, "en": "<b>Admit</b> & co"})
    )
    skeleton.cache_clear()
    try:
        svg = str(workflow_svg("admitted", "en"))
        assert "<b>" not in svg and "&lt;b&gt;Admit&lt;/b&gt; &amp; co" in svg
        parse(svg)
    finally:
        skeleton.cache_clear()
