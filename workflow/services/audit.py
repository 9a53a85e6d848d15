"""Keeping the chain's last verification, so that every process (and host) starts from it."""

from __future__ import annotations

from workflow.ports import UnitOfWork
from workflow.ports.history import ChainCheckpoint


def record_chain_check(uow: UnitOfWork, checkpoint: ChainCheckpoint) -> None:
    """Store `checkpoint` as the last verification of the chain (replacing the one before).

    No actor and no event: the check reads the history, changes nothing of it, and anyone who
    may read the verification page may start one.
    """
    with uow:
        uow.history.save_check(checkpoint)
        uow.commit()
