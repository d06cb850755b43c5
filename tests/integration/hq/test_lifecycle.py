"""HQ restarts, SIGKILL and restore-from-backup: what a console relies on across them."""

from __future__ import annotations

import pytest

from tests.fixtures.hq import HQServer
from tests.integration.hq.helpers import ack, events_of


def test_restart_keeps_data_port_and_epoch(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    acked = ack(lko, case_id)
    seq = lko.push([acked])["results"][0]["hq_seq"]
    epoch, url = hq.epoch, hq.url
    hq.restart()
    assert (hq.url, hq.epoch) == (url, epoch)
    again = lko.push([acked])["results"][0]
    assert (again["status"], again["hq_seq"]) == ("accepted", seq)


@pytest.mark.slow
def test_sigkilled_hq_process_loses_no_acknowledged_push(backend: str, hq_factory) -> None:  # type: ignore[no-untyped-def]
    hq = hq_factory(backend, mode="process")
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    acked = ack(lko, case_id)
    seq = lko.push([acked])["results"][0]["hq_seq"]
    hq.kill()
    hq.start()
    items, _ = hq.login("hq").pull_all()
    assert acked.id in {e["id"] for e in events_of(items)}
    assert lko.push([acked])["results"][0]["hq_seq"] == seq


def test_restore_from_backup_has_a_new_epoch_and_the_older_data(hq: HQServer) -> None:
    kept = hq.intake("LKO")
    snapshot = hq.backup()
    lost = hq.intake("LKO")
    old_epoch = hq.epoch
    hq.restore(snapshot)
    assert hq.epoch != old_epoch
    items, _ = hq.login("hq").pull_all()
    cases = {e["case_id"] for e in events_of(items)}
    assert kept in cases and lost not in cases
