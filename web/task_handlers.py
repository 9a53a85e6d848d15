"""What each task hoso runs off the request does (``web.tasks`` runs them, inline or queued).

- ``render_packet``: a case's packet into the packet cache (``db.packets``);
- ``render_documents``: generated (re-issued) documents into ``cache/generated/``;
- ``send_mail``: one e-mail, already rendered (``web.mail``), over SMTP;
- ``check_chain``: the chain's walk and the cases' replay behind /audit/verify (``web.audit``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from db.packets import PREFIX, PacketCache, packet_pdf, renderer_version
from db.read.documents import GeneratedView, case_generated
from db.read.packets import plan_packet
from db.runtime import Runtime
from workflow.ports.files import Files
from workflow.ports.tasks import RENDER_DOCUMENTS, RENDER_PACKET, SEND_MAIL

log = logging.getLogger(__name__)

#: Where the PDFs of generated documents are kept among the instance's files.
GENERATED = "cache/generated"
#: Walk the chain and replay the cases from the last stored check (``web.audit.chain``); no
#: arguments. Not a use case's task (no unit of work defers it): its name lives here.
CHECK_CHAIN = "check_chain"


@dataclass
class TaskEnv:
    """What a task needs: the database and settings, and the instance's files."""

    runtime: Runtime
    files: Files

    @property
    def packets(self) -> PacketCache:
        return PacketCache(self.files, prefix=PREFIX)


def _verifier(verify_url: str | None) -> Callable[[str], str | None]:
    # No configured address (web.documents.address): the code is printed alone.
    return lambda code: verify_url.replace("{code}", code) if verify_url else None


def render_packet(env: TaskEnv, case_id: int, today: str, verify_url: str | None) -> None:
    """Render the case's packet as it stands into the cache (nothing when it is there)."""
    rules = env.runtime.settings.rules
    with env.runtime.sessions() as session:
        plan = plan_packet(
            session, case_id, rules, date.fromisoformat(today), _verifier(verify_url)
        )
    if plan.codes:
        packet_pdf(plan, env.packets)


def generated_key(row: GeneratedView, verify_url: str | None) -> str:
    """The file key of a generated document's PDF: its id and a hash of what it is drawn from."""
    digest = hashlib.sha256(
        "|".join(
            (row.data_hash, row.verify_code, row.issued_on.isoformat(), verify_url or "")
        ).encode()
        + renderer_version().encode()
    ).hexdigest()[:32]
    return f"{GENERATED}/{row.id}-{digest}.pdf"


def generated_pdf(files: Files, row: GeneratedView, verify_url: str | None) -> bytes:
    """A generated document's PDF: from the files when drawn before, else drawn and kept."""
    key = generated_key(row, verify_url)
    kept = files.get(key)
    if kept is not None and kept.startswith(b"%PDF-"):
        return kept
    from documents.render import render_form

    content = render_form(
        row.code,
        row.data,
        issued_on=row.issued_on,
        verify_code=row.verify_code,
        verify_url=_verifier(verify_url)(row.verify_code),
    )
    try:
        files.put(key, content)
    except OSError as err:  # the files only save time
        log.warning("generated documents: cannot keep %s: %s", key, err)
    return content


def render_documents(
    env: TaskEnv, case_id: int, doc_ids: list[int], verify_url: str | None
) -> None:
    """Draw the case's generated documents `doc_ids` (re-issued ones) into the files, under the
    keys the download then finds (``generated_key``: the same `verify_url` as the web's)."""
    with env.runtime.sessions() as session:
        rows = [case_generated(session, case_id, doc_id=doc_id) for doc_id in doc_ids]
    for row in rows:
        if row is not None:
            generated_pdf(env.files, row, verify_url)


def send_mail(
    env: TaskEnv, to_name: str, to_address: str, subject: str, text: str, html: str
) -> None:
    """Send one rendered e-mail over the instance's SMTP server (raises when it is not sent)."""
    from web.mail import send_rendered

    send_rendered(env.runtime.settings.smtp, to_name, to_address, subject, text, html)


def check_chain(env: TaskEnv) -> None:
    """Check the chain from the last stored check and store the result (``web.audit.chain``)."""
    from web.audit.chain import check_stored  # the audit pages import this module

    check_stored(env.runtime)


HANDLERS: dict[str, Callable[..., None]] = {
    RENDER_PACKET: render_packet,
    RENDER_DOCUMENTS: render_documents,
    SEND_MAIL: send_mail,
    CHECK_CHAIN: check_chain,
}
