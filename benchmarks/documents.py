"""The forms as PDFs: one form through hoso against bare WeasyPrint of the same HTML, the packet in
one pass against its forms one by one, and a cached packet download against a fresh render.

The data are the demo district (``db.demo.load_demo``) in a fresh SQLite file; the case is the
first official member's, whose dossier fills every form (14 forms, 18 pages).

(a) ``documents.render.render_form`` for 1-KNĐ and 9-KNĐ, with a verification code and URL (so
the QR code is drawn): the safe context, the sandboxed Jinja template, then one WeasyPrint pass
with the stylesheet parsed once per thread and the restricted fetcher. The baseline is bare
WeasyPrint on the same HTML, made once beforehand: ``weasyprint.HTML(string=document_html(parts),
base_url=...).write_pdf()`` (the document links its stylesheet; WeasyPrint's own fetcher, a new
font configuration each time). Goal: hoso ≤ 1.2× the baseline. A third contender, "warm bare",
is the bare call given the stylesheet and font configuration parsed once (as hoso keeps them per
thread): hoso / warm bare is the cost of hoso's own layer (context, Jinja, QR code, fetcher).

(b) ``render_packet`` of the case's forms (one document, one pass) against ``render_form`` of each
in turn, with the same meta.

(c) ``GET /candidates/<id>/packet.pdf`` through the Flask test client, logged in as the cell's
secretary: served from the packet cache (``db.packets``) against the same request with the cache
emptied before it (a fresh render); and ``plan_packet`` + ``packet_pdf`` on a hit, without Flask.

The contenders take turns after a warm-up each; best and median of the runs are compared.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks import _support as s
from db.demo import load_demo
from db.models import Case, Organisation
from db.packets import PacketCache, packet_pdf
from db.read.dossier import dossier_data
from db.read.packets import plan_packet
from db.runtime import Runtime
from db.session import session_factory
from workflow.settings import DEFAULT_SETTINGS, Settings

NAME = "documents"
TITLE = "Forms as PDFs: one form vs. bare WeasyPrint, packet vs. one by one, cached vs. fresh"
FORMS = ("1-KNĐ", "9-KNĐ")
ISSUED_ON = date(2026, 11, 25)
VERIFY_CODE = "HS7K2Q9MAB"
VERIFY_URL = f"https://hoso.example.vn/verify/{VERIFY_CODE}"
GOAL = 1.2


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"form": 4, "packet": 2, "cached": 10}
    return {"form": 15, "packet": 5, "cached": 40}


def _turns(contenders: dict[str, Callable[[], Any]], repeats: int) -> dict[str, s.Timings]:
    """Each contender once to warm up, then `repeats` rounds in turn (reversed every other)."""
    for fn in contenders.values():
        fn()
    timings = {name: s.Timings() for name in contenders}
    names = list(contenders)
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else reversed(names):
            _result, seconds = s.timed(contenders[name])
            timings[name].add(seconds)
    return timings


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def _pages(pdf: bytes) -> int:
    from web.cli.docs import page_count

    return page_count(pdf)


# --- (a) one form ---------------------------------------------------------------------------


def _one_form(dossier: dict[str, Any], repeats: int, profile: bool) -> dict[str, Any]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from documents.context import form_context
    from documents.render import BASE_URL, STYLESHEET, document_html, render_form, render_html

    meta = {"issued_on": ISSUED_ON, "verify_code": VERIFY_CODE, "verify_url": VERIFY_URL}
    fonts = FontConfiguration()
    css = CSS(url=BASE_URL + STYLESHEET, font_config=fonts)
    results, rows = {}, []
    for code in FORMS:
        html = document_html([render_html(code, form_context(code, dossier, **meta))], code)
        unlinked = document_html(
            [render_html(code, form_context(code, dossier, **meta))], code, link_css=False
        )

        def hoso(code: str = code) -> bytes:
            return render_form(code, dossier, **meta)

        def bare(html: str = html) -> bytes:
            return HTML(string=html, base_url=BASE_URL).write_pdf()

        def warm(html: str = unlinked) -> bytes:
            """Bare, but with the stylesheet and fonts parsed once, as hoso keeps them."""
            return HTML(string=html, base_url=BASE_URL).write_pdf(
                stylesheets=[css], font_config=fonts
            )

        t = _turns({"hoso": hoso, "bare": bare, "warm": warm}, repeats)
        ratio = t["hoso"].best / t["bare"].best
        results[code] = {
            **{name: timing.runs for name, timing in t.items()},
            "ratio_best": ratio,
            "ratio_median": t["hoso"].median / t["bare"].median,
            "ratio_warm_best": t["hoso"].best / t["warm"].best,
            "ratio_warm_median": t["hoso"].median / t["warm"].median,
            "pages": _pages(hoso()),
            "bytes": {"hoso": len(hoso()), "bare": len(bare())},
        }
        rows.append(
            [
                code,
                _ms(t["hoso"].best),
                _ms(t["hoso"].median),
                _ms(t["bare"].best),
                _ms(t["bare"].median),
                f"{ratio:.2f}×",
                f"{results[code]['ratio_median']:.2f}×",
                s.goal(ratio <= GOAL),
                _ms(t["warm"].best),
                f"{results[code]['ratio_warm_best']:.2f}×",
                f"{results[code]['ratio_warm_median']:.2f}×",
            ]
        )
        if profile:
            s.profile(hoso, f"render_form {code}")
    s.table(
        f"(a) one form, {repeats} runs each: render_form vs. bare WeasyPrint of the same HTML"
        f" (goal ≤ {GOAL}×); and vs. bare with the stylesheet and fonts parsed once",
        ["form", "hoso best ms", "median", "bare best ms", "median", "ratio best", "medians", ""]
        + ["warm bare best ms", "hoso / warm (best)", "medians"],
        rows,
    )
    return results


# --- (b) the packet -------------------------------------------------------------------------


def _packet(plan: Any, repeats: int, profile: bool) -> dict[str, Any]:
    from documents.render import render_form, render_packet

    codes = list(plan.codes)
    default = plan.meta.get("*", {})

    def one_pass() -> bytes:
        return render_packet(codes, plan.dossier, plan.meta)

    def one_by_one() -> list[bytes]:
        return [
            render_form(code, plan.dossier, **{**default, **plan.meta.get(code, {})})
            for code in codes
        ]

    t = _turns({"one pass": one_pass, "one by one": one_by_one}, repeats)
    packet, separate = one_pass(), one_by_one()
    result = {
        "forms": len(codes),
        "pages": _pages(packet),
        "pages_one_by_one": sum(_pages(pdf) for pdf in separate),
        "bytes": len(packet),
        "bytes_one_by_one": sum(len(pdf) for pdf in separate),
        "one_pass": t["one pass"].runs,
        "one_by_one": t["one by one"].runs,
        "ratio_best": t["one pass"].best / t["one by one"].best,
        "ratio_median": t["one pass"].median / t["one by one"].median,
    }
    s.table(
        f"(b) the packet of {len(codes)} forms, {repeats} runs each",
        ["contender", "best ms", "median ms", "pages", "size", "vs. one by one (best)", "medians"],
        [
            [
                "render_packet (one pass)",
                _ms(t["one pass"].best),
                _ms(t["one pass"].median),
                result["pages"],
                f"{result['bytes'] / 1024:.0f} kB",
                f"{result['ratio_best']:.2f}×",
                f"{result['ratio_median']:.2f}×",
            ],
            [
                "render_form × each form",
                _ms(t["one by one"].best),
                _ms(t["one by one"].median),
                result["pages_one_by_one"],
                f"{result['bytes_one_by_one'] / 1024:.0f} kB",
                "",
                "",
            ],
        ],
    )
    if profile:
        s.profile(one_pass, "render_packet")
    return result


# --- (c) cached against fresh ---------------------------------------------------------------


def _download(
    runtime: Runtime, case_id: int, secretary: str, repeats: int, cached_repeats: int
) -> dict[str, Any]:
    from web import create_app

    folder = Path(tempfile.mkdtemp(prefix="hoso-bench-documents-"))
    before = os.environ.get("HOSO_INSTANCE")
    os.environ["HOSO_INSTANCE"] = str(folder)
    try:
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}, runtime=runtime
        )
        client = app.test_client()
        login = client.post("/login", data={"username": secretary, "password": "demo"})
        assert login.status_code == 302, "the demo secretary logs in"
        url = f"/candidates/{case_id}/packet.pdf"
        cache = PacketCache.in_instance(folder)

        def get() -> bytes:
            response = client.get(url)
            assert response.status_code == 200 and response.data.startswith(b"%PDF-")
            return response.data

        def fresh() -> bytes:
            shutil.rmtree(cache.root, ignore_errors=True)
            return get()

        def direct() -> bytes:
            with runtime.sessions() as session:
                plan = plan_packet(session, case_id, runtime.settings.rules, date.today())
            content, cached = packet_pdf(plan, cache)
            assert cached
            return content

        t = _turns({"fresh": fresh}, repeats)
        get()  # fills the cache
        with runtime.sessions() as session:
            direct_plan = plan_packet(session, case_id, runtime.settings.rules, date.today())
        packet_pdf(direct_plan, cache)  # and the direct call's entry (no verification URLs)
        t |= _turns({"cached": get, "direct": direct}, cached_repeats)
    finally:
        if before is None:
            os.environ.pop("HOSO_INSTANCE", None)
        else:
            os.environ["HOSO_INSTANCE"] = before
        shutil.rmtree(folder, ignore_errors=True)
    result = {name: timing.runs for name, timing in t.items()}
    result["speedup_best"] = t["fresh"].best / t["cached"].best
    result["speedup_median"] = t["fresh"].median / t["cached"].median
    s.table(
        "(c) the packet download: cached vs. fresh",
        ["contender", "runs", "best ms", "median ms", "fresh / this (best)", "medians"],
        [
            ["GET packet.pdf, cache emptied first", len(t["fresh"].runs)]
            + [_ms(t["fresh"].best), _ms(t["fresh"].median), "", ""],
            ["GET packet.pdf, from the cache", len(t["cached"].runs)]
            + [_ms(t["cached"].best), _ms(t["cached"].median)]
            + [f"{result['speedup_best']:.0f}×", f"{result['speedup_median']:.0f}×"],
            ["plan_packet + packet_pdf (hit), no Flask", len(t["direct"].runs)]
            + [_ms(t["direct"].best), _ms(t["direct"].median)]
            + [f"{t['fresh'].best / t['direct'].best:.0f}×", ""],
        ],
    )
    return result


# --- the run --------------------------------------------------------------------------------


def _official_case(runtime: Runtime) -> tuple[int, str]:
    """The first official member's case and the secretary account of its cell."""
    accounts = {
        "Chi bộ trường THPT Chu Văn An": "bithu.chuvanan",
        "Chi bộ Công ty TNHH Đồng Thúy": "bithu.dongthuy",
    }
    with runtime.sessions() as session:
        case_id, cell = session.execute(
            select(Case.id, Organisation.name)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Case.state == "official", Organisation.name.in_(accounts))
            .order_by(Case.id)
            .limit(1)
        ).one()
    return case_id, accounts[cell]


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    size = sizes(quick)
    with s.fresh_database("sqlite", "documents") as engine:
        runtime = Runtime(engine, session_factory(engine), Settings())
        _result, seconds = s.timed(lambda: load_demo(runtime))
        case_id, secretary = _official_case(runtime)
        with runtime.sessions() as session:
            dossier = dossier_data(session, case_id)
            plan = plan_packet(
                session, case_id, DEFAULT_SETTINGS, ISSUED_ON, lambda code: VERIFY_URL
            )
        print(
            f"  demo district loaded in {seconds:.1f} s ({s.server_version(engine)}); "
            f"case {case_id} ({dossier['person']['full_name']}, official), "
            f"{len(plan.codes)} forms"
        )
        results: dict[str, Any] = {"case": case_id}
        results["form"] = _one_form(dossier, size["form"], profile)
        results["packet"] = _packet(plan, size["packet"], profile)
        results["download"] = _download(runtime, case_id, secretary, size["packet"], size["cached"])
    return results
