"""The load scenario of ``benchmarks.load``: mentors, secretaries, the committee and an auditor.

Run by ``benchmarks.load`` as ``locust -f benchmarks/load_locustfile.py --headless ...
--hoso-plan PLAN.json`` in a process of its own (locust patches the standard library with
gevent, which must not touch the benchmark). The plan, written by ``benchmarks.load``, gives each
simulated user a login and the cases it alone acts on, so that no two users ever race for one
case: every refusal (409, 422) or other unexpected answer is a failure.

Each class's ``fixed_count`` is the number of its slots in the plan, so ``-u`` must be their sum.
Requests are named by page (``/candidates/[id]``), so locust's statistics group them. The
auditor's verification follows the browser: a 202 (the check queued for ``hoso worker``) is
followed by the status asked every second (``/audit/verify/status``) until the check is stored.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import defaultdict
from typing import Any, ClassVar

import gevent
from locust import HttpUser, events, task
from urllib3.util.retry import Retry

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
_SHOWN_AT = re.compile(r'data-shown-at="([^"]*)"')
#: The verification's waiting page asks every second (web/static/wait.js); here at most this
#: many times.
VERIFY_POLL_SECONDS = 1.0
VERIFY_POLLS = 120
#: Texts the users type (within every field's maximum length).
NOTE = "Đã gặp quần chúng, trao đổi về quá trình phấn đấu; quần chúng tiến bộ, tích cực."
WITHDRAW_REASON = "Quần chúng chuyển công tác tạm thời, có đơn xin tạm dừng; chi bộ thống nhất."
REINSTATE_REASON = "Quần chúng trở lại sinh hoạt tại địa phương; chi bộ thống nhất đưa lại."
RETURN_REASON = "Nghị quyết giới thiệu của chi bộ ký chưa đúng thẩm quyền; đề nghị ban hành lại."

PLAN: dict[str, Any] = {}
#: GETs sent again because the kept-alive connection was closed under them, by error.
RETRIED: dict[str, int] = defaultdict(int)
#: Which slot of the plan the next user of each role takes (one locust process: no lock needed,
#: gevent switches only on I/O).
_NEXT: dict[str, itertools.count] = defaultdict(itertools.count)


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--hoso-plan", default="", help="the plan written by benchmarks.load")


@events.init.add_listener
def _load_plan(environment: Any, **_kwargs: Any) -> None:
    """Read the plan; one user per slot of each role."""
    path = (
        getattr(environment.parsed_options, "hoso_plan", "") if environment.parsed_options else ""
    )
    if not path:
        return
    with open(path, encoding="utf-8") as file:
        PLAN.update(json.load(file))
    for user_class in (Mentor, Secretary, Committee, Auditor):
        user_class.fixed_count = len(PLAN.get(user_class.role, []))


def _why(response: Any) -> str:
    """What went wrong: the status, or the connection's error when there was no answer."""
    if response.status_code == 0:
        return f"no answer: {response.error!r}"
    return f"answered {response.status_code}"


class BrowserRetry(Retry):
    """Retry a GET once when the connection broke before an answer, as a browser does.

    gunicorn closes a connection idle for its ``keepalive`` (2 s by default) while the client
    may be sending the next request on it after a think time: the client then sees a reset. A
    browser sends the request again on a new connection; so does this client, and it counts
    each retry (written beside locust's CSV files, reported by ``benchmarks.load``). POSTs are
    never sent again: each follows its GET at once, on a connection just used."""

    def increment(self, method=None, url=None, response=None, error=None, *args, **kwargs):
        if method is None or self._is_method_retryable(method):  # a POST's error is not retried
            RETRIED[type(error).__name__ if error else "status"] += 1
        return super().increment(method, url, response, error, *args, **kwargs)


@events.quitting.add_listener
def _write_retries(environment: Any, **_kwargs: Any) -> None:
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if prefix:
        with open(f"{prefix}_retries.json", "w", encoding="utf-8") as file:
            json.dump(dict(RETRIED), file)


class HosoUser(HttpUser):
    """A person with a login: logs in once, then browses and acts on its own cases."""

    abstract = True
    role: ClassVar[str] = ""
    #: Think time between two tasks, in seconds (the plan's "think" scales it: a test's short run).
    think: ClassVar[tuple[float, float]] = (1, 3)

    def wait_time(self) -> float:
        """A person reads the page before the next click."""
        return random.uniform(*self.think) * PLAN.get("think", 1.0)

    def on_start(self) -> None:
        slots = PLAN[self.role]
        self.slot: dict[str, Any] = slots[next(_NEXT[self.role]) % len(slots)]
        self.cases: list[int] = list(self.slot["cases"])
        self.browse: list[int] = list(self.slot.get("browse") or self.cases)
        self.csrf = ""
        self.prepare()
        # connect/read: the connection broke; never on a status (an answer is an answer).
        retry = BrowserRetry(total=1, connect=1, read=1, status=0, other=0, redirect=0)
        for adapter in self.client.adapters.values():
            adapter.max_retries = retry
        self.login()
        if PLAN.get("tour"):  # every task once first, so that a short run covers them all
            for each in dict.fromkeys(self.tasks):
                each(self)

    def prepare(self) -> None:
        """What a role keeps besides its slot (before logging in)."""

    # --- requests ---------------------------------------------------------------------------

    def page(self, path: str, name: str) -> str:
        """GET a page that must answer 200; its text ("" on failure)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(_why(response))
                return ""
            text = response.text
            match = _CSRF.search(text)
            if match:
                self.csrf = match.group(1)
            return text

    def answer(self, path: str, name: str, expect: tuple[int, ...]) -> tuple[str, int]:
        """GET a page that may answer any of `expect`: its text and status ("" on failure)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(_why(response))
                return "", response.status_code
            return response.text, response.status_code

    def post(self, path: str, name: str, data: dict[str, str], expect: int) -> bool:
        """POST a form (CSRF token included) that must answer `expect`."""
        form = {"csrf_token": self.csrf, **data}
        with self.client.post(
            path, data=form, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(_why(response))
                return False
            return True

    def login(self) -> None:
        """Through the real form, with its CSRF token."""
        self.page("/login", "/login")
        self.post(
            "/login",
            "/login",
            {"username": self.slot["username"], "password": PLAN["password"]},
            302,
        )

    def case_page(self, case_id: int) -> int | None:
        """The case page; the version its forms carry (``None`` when it offers no form)."""
        text = self.page(f"/candidates/{case_id}", "/candidates/[id]")
        match = _VERSION.search(text)
        return int(match.group(1)) if match else None

    def form_version(self, case_id: int, action: str) -> int | None:
        """The case page before an action; its forms' version, or a failure of `action`."""
        text = self.page(f"/candidates/{case_id}", "/candidates/[id]")
        match = _VERSION.search(text)
        version = int(match.group(1)) if match else None
        if version is None and text:
            # The page offered no form: the plan was wrong (a failed page is counted already).
            events.request.fire(
                request_type="POST",
                name=action,
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"case {case_id}: no form on its page"),
                context={},
            )
        return version

    def some_case(self) -> int:
        return random.choice(self.browse)


class Mentor(HosoUser):
    """A member mentoring candidates: the worklist, the mentees, a note now and then."""

    role = "mentor"
    weight = 26

    @task(3)
    def worklist(self) -> None:
        self.page("/", "/")

    @task(2)
    def mentees(self) -> None:
        self.page("/candidates/", "/candidates/")

    @task(4)
    def mentee(self) -> None:
        self.case_page(self.some_case())

    @task(1)
    def note(self) -> None:
        case_id = random.choice(self.cases)
        name = "/candidates/[id]/facts/note"
        version = self.form_version(case_id, name)
        if version is None:
            return
        data = {"version": str(version), "text": NOTE}
        if self.post(f"/candidates/{case_id}/facts/note", name, data, 303):
            self.case_page(case_id)  # where the browser goes next


class Secretary(HosoUser):
    """A cell's secretary: the worklist, searches, case pages, withdraw ⇄ reinstate."""

    role = "secretary"
    weight = 10

    def prepare(self) -> None:
        #: Where each of this secretary's cases stands: "identified" or "withdrawn".
        self.states: dict[int, str] = {int(k): v for k, v in self.slot["states"].items()}
        self.names: list[str] = list(PLAN.get("searches") or ["nguyen"])

    @task(3)
    def worklist(self) -> None:
        self.page("/", "/")

    @task(2)
    def candidates(self) -> None:
        self.page("/candidates/", "/candidates/")

    @task(2)
    def search(self) -> None:
        query = random.choice(self.names)
        self.page(f"/candidates/?q={query}", "/candidates/?q=[name]")

    @task(3)
    def case(self) -> None:
        self.case_page(self.some_case())

    @task(2)
    def withdraw_or_reinstate(self) -> None:
        case_id = random.choice(self.cases)
        withdrawn = self.states[case_id] == "withdrawn"
        trigger = "reinstate" if withdrawn else "withdraw"
        name = f"/candidates/[id]/actions/{trigger}"
        version = self.form_version(case_id, name)
        if version is None:
            return
        reason = REINSTATE_REASON if withdrawn else WITHDRAW_REASON
        data = {"version": str(version), "reason": reason}
        if self.post(f"/candidates/{case_id}/actions/{trigger}", name, data, 303):
            self.states[case_id] = "identified" if withdrawn else "withdrawn"
            self.case_page(case_id)


class Committee(HosoUser):
    """A member of the committee: the review queue, dossiers, reports, a decision now and then."""

    role = "committee"
    weight = 12

    @task(2)
    def worklist(self) -> None:
        self.page("/", "/")

    @task(2)
    def reviews(self) -> None:
        self.page("/reviews/", "/reviews/")

    @task(4)
    def case(self) -> None:
        self.case_page(self.some_case())

    @task(1)
    def statistics(self) -> None:
        self.page("/reports/statistics", "/reports/statistics")

    @task(1)
    def targets(self) -> None:
        self.page("/reports/targets", "/reports/targets")

    @task(1)
    def decide(self) -> None:
        """Return one of its dossiers for correction, from the review queue's form."""
        if not self.cases:
            return
        case_id = self.cases.pop()
        version = self.form_version(case_id, "/reviews/decide")
        if version is None:
            return
        data = {
            f"action-{case_id}": "return",
            f"version-{case_id}": str(version),
            f"reason-{case_id}": RETURN_REASON,
        }
        self.post("/reviews/decide", "/reviews/decide", data, 200)


class Auditor(HosoUser):
    """An auditor: the audit log, a case's chain, and now and then a walk of the whole chain."""

    role = "auditor"
    weight = 2
    think = (2, 5)

    @task(5)
    def log(self) -> None:
        self.page("/audit/", "/audit/")

    @task(5)
    def case_chain(self) -> None:
        self.page(f"/audit/cases/{self.some_case()}", "/audit/cases/[id]")

    @task(1)
    def verify(self) -> None:
        """As the browser does: the page; on 202 (a check queued or running) the status asked
        every second (web/static/wait.js) until the new check is stored, then the page again
        (200)."""
        text, status = self.answer("/audit/verify", "/audit/verify", (200, 202))
        polls = 0
        while status == 202 and polls < VERIFY_POLLS:
            shown = _SHOWN_AT.search(text)
            gevent.sleep(VERIFY_POLL_SECONDS)
            polls += 1
            state = self.status()
            if state is None or state.get("state") == "failed":
                return  # counted as a failure of the status request
            if state.get("at") and state["at"] != (shown.group(1) if shown else ""):
                # Stored: the page again (200; 202 when already stale again after a slow answer).
                text, status = self.answer("/audit/verify", "/audit/verify", (200, 202))
        if status == 202:
            events.request.fire(
                request_type="GET",
                name="/audit/verify/status",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"no check stored after {VERIFY_POLLS} polls"),
                context={},
            )

    def status(self) -> dict[str, Any] | None:
        """Where the check stands (``/audit/verify/status``), or ``None`` (a failure, counted)."""
        with self.client.get(
            "/audit/verify/status", name="/audit/verify/status", catch_response=True
        ) as response:
            answer = response.json() if response.status_code == 200 else None
            if answer is None:
                response.failure(_why(response))
            elif answer.get("state") == "failed":
                response.failure("the chain check failed")
            return answer
