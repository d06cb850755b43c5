"""What a console does when HQ's epoch changes (HQ was restored from a backup or recreated).

Sequence numbers belong to an epoch: the console forgets every ``hq_seq`` of the old epoch (the
events stay), so nothing numbered by the old epoch is compared with a number of the new one.
"""

from __future__ import annotations

import logging

from sync.replica import SyncTx

log = logging.getLogger(__name__)


def on_new_epoch(tx: SyncTx) -> None:
    """Called in the unit of work that adopts a new epoch, before its commit."""
    n = tx.uow.outbox.forget_hq_seqs()
    log.info("new HQ epoch: %d sequence numbers of the old epoch forgotten", n)
