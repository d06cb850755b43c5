"""HQ restored from an older backup (PostgreSQL, ``pg_dump -Fc``): what the consoles do about it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from core.events import EventType
from tests.fixtures.hq import HQServer
from tests.integration.sync.sync_harness import Workstation, hq_event_table, wait_converged, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_sequence_numbers_of_the_old_epoch_never_collide(hq_server_pg: HQServer, tmp_path: Path) -> None:
    """Events HQ lost keep no old-epoch number that the restored HQ gives to other events."""
    hq = hq_server_pg
    ws = Workstation.create(tmp_path / "a", hq.url, "demo")
    try:
        before = hq.intake("LKO")
        wait_until(lambda: ws.has_case(before), 15, "case delivered")
        ws.act(before, EventType.ACKNOWLEDGED, {})
        wait_converged(hq, ws)
        snapshot = hq.backup()
        lost_case = hq.intake("LKO")  # numbered by the old epoch, lost by the restore
        wait_converged(hq, ws)
        old_seqs = {i: seq for i, (_, seq) in ws.events().items()}
        hq.restore(snapshot)
        lost_ids = set(old_seqs) - set(hq_event_table(hq))
        assert lost_ids, "the restore must lose the events HQ wrote after the backup"
        new_case = hq.intake("LKO")  # the restored HQ numbers these again, from where the backup stood
        wait_until(lambda: ws.engine.status.epoch == hq.epoch and ws.has_case(new_case), 20, "new epoch pulled")
        table = hq_event_table(hq)
        wait_until(
            lambda: all(ws.events().get(i, ("", None))[1] == seq for i, (_, seq) in table.items()), 20, "feed applied"
        )
        reused = {old_seqs[i] for i in lost_ids} & {seq for _, seq in table.values()}
        assert reused, "the restored HQ must have given the lost numbers to other events for this test to mean anything"
        held = ws.events()
        numbers = Counter(seq for _, seq in held.values() if seq is not None)
        assert all(n == 1 for n in numbers.values()), f"hq_seq collisions: {numbers}"
        for event_id, (_, seq) in held.items():
            if event_id in table:
                assert seq == table[event_id][1]
            else:
                assert seq is None, f"{event_id} keeps an old-epoch number {seq}"
        assert ws.has_case(lost_case)  # the events are kept, only their numbers forgotten
    finally:
        ws.close()
