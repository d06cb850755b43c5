"""The projection row and ``state_json`` are a faithful cache of the fold."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from core.fold import CaseState, fold
from core.store.projection import PROJECTION_VERSION, projection_row, state_from_json, state_to_json
from tests.unit.core.test_fold_properties import simulate


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32), steps=st.integers(0, 40))
def test_state_json_round_trips_every_simulated_state(seed: int, steps: int) -> None:
    sim = simulate(seed, 3, steps, [-120_000, 0, 90_000])
    state = fold(sim.case_id, sim.log.values())
    assert state_from_json(state_to_json(state)) == state
    row = projection_row(state, pending=2, rejected=1)
    assert row["status"] == state.status and row["needs_alarm"] == int(state.needs_alarm)
    assert row["acknowledged_at"] == state.acknowledged_at and row["muted_until"] == state.muted_until
    assert row["updated_hlc"] == state.last_hlc and row["priority"] == state.priority
    assert (row["pending_count"], row["rejected_count"], row["purged"]) == (2, 1, 0)


def test_state_json_of_another_version_or_shape_is_not_trusted() -> None:
    state = CaseState(case_id="c", exists=True, kind="tip")
    data = json.loads(state_to_json(state))
    assert data["_v"] == PROJECTION_VERSION
    assert state_from_json(json.dumps(data | {"_v": PROJECTION_VERSION + 1})) is None
    assert state_from_json(json.dumps({k: v for k, v in data.items() if k != "kind"})) is None
    assert state_from_json(json.dumps(data | {"new_field": 1})) is None
    assert state_from_json("not json") is None
    assert state_from_json("[]") is None


def test_search_text_is_case_folded_and_has_no_structure_noise() -> None:
    sim = simulate(7, 2, 0, [0, 0, 0])
    row = projection_row(fold(sim.case_id, sim.log.values()), 0, 0)
    assert row["search_text"] == row["search_text"].casefold()
    assert "person" in row["search_text"] and "patna" in row["search_text"] and sim.case_id in row["search_text"]
    assert "{" not in row["search_text"]
