"""A tip's follow-up work (``tip_officer_assigned``, ``tip_action``, ``tip_outcome``): what the
commands refuse and what the fold shows, whatever order the events arrive in."""

from __future__ import annotations

import itertools

import pytest

from core.commands import allowed, decide
from core.errors import CommandRefused, InvalidEvent
from core.events import Author, EventType, Tier
from core.fold import fold
from core.hlc import HybridClock
from tests.unit.core.conftest import EventMaker

SP = Author("u-sp", "SP Office Varanasi", Tier.HQ)
RAVI = {"officer_id": "01a228fc-6a07-77f0-8bb7-df3f586c6701", "name": "Ravi Kumar", "rank": "SI", "station": "LNK"}
SITA = {"officer_id": "01a228fc-6a07-77f0-8bb7-df3f586c6702", "name": "Sita Devi", "rank": "Insp."}
TIP = {"category": "gambling", "pseudonym": "Tipster K7F3", "prior_tips": 0}


def _tip(maker: EventMaker) -> list:  # type: ignore[type-arg]
    return [maker.created(kind="tip", source="whatsapp_tipline", subject={}, tip=TIP)]


def _decide(history: list, etype: EventType, payload: dict) -> object:  # type: ignore[type-arg]
    """The next event by the SP's console, its clock past every event it holds (as a console's is)."""
    clock = HybridClock("dev-sp", last=max(e.hlc for e in history))
    return decide(case_id=history[0].case_id, history=history, etype=etype, payload=payload, author=SP,
                  clock=clock)  # fmt: skip


def test_an_officer_then_another_then_an_outcome_fold_to_the_latest_and_keep_the_history(maker: EventMaker) -> None:
    history = _tip(maker)
    for etype, payload in (
        (EventType.TIP_OFFICER_ASSIGNED, RAVI),
        (EventType.TIP_ACTION, {"text": "Raid planned"}),
        (EventType.TIP_OFFICER_ASSIGNED, SITA),
        (EventType.TIP_OUTCOME, {"outcome": "action_taken"}),
        (EventType.TIP_OUTCOME, {"outcome": "fir_registered", "detail": "FIR 12/2026"}),
    ):
        history.append(_decide(history, etype, payload))
    state = fold(history[0].case_id, history)
    assert state.tip_officer is not None and state.tip_officer["name"] == "Sita Devi"
    assert state.tip_officer["by"] == "SP Office Varanasi"
    assert [a["text"] for a in state.tip_actions] == ["Raid planned"]
    assert state.tip_outcome == "fir_registered" and state.tip_outcome_detail == "FIR 12/2026"
    assert not state.needs_alarm and not state.hq_needs_alarm  # tip work never rings
    # the same set of events in any arrival order folds to the same state
    for order in itertools.islice(itertools.permutations(history), 0, 120, 7):
        assert fold(history[0].case_id, order) == state


def test_the_commands_refuse_tip_work_on_other_cases_the_same_officer_again_and_a_bad_outcome(
    maker: EventMaker,
) -> None:
    alert = [maker.created()]
    for etype in (EventType.TIP_OFFICER_ASSIGNED, EventType.TIP_ACTION, EventType.TIP_OUTCOME):
        assert etype not in allowed(fold(alert[0].case_id, alert), Tier.HQ)
    with pytest.raises(CommandRefused, match="only a tip"):
        _decide(alert, EventType.TIP_ACTION, {"text": "x"})
    history = _tip(maker)
    assert EventType.TIP_OFFICER_ASSIGNED in allowed(fold(history[0].case_id, history), Tier.HQ)
    history.append(_decide(history, EventType.TIP_OFFICER_ASSIGNED, RAVI))
    with pytest.raises(CommandRefused, match="already with this officer"):
        _decide(history, EventType.TIP_OFFICER_ASSIGNED, RAVI)
    with pytest.raises(InvalidEvent):
        _decide(history, EventType.TIP_OUTCOME, {"outcome": "solved"})
    history.append(_decide(history, EventType.CLOSED, {"reason": "done"}))
    assert EventType.TIP_ACTION not in allowed(fold(history[0].case_id, history), Tier.HQ)
