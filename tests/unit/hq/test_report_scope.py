"""Who may read which report over which districts (``hq.reports.scoped_query``): the state roles any
scope; a district operator its own district; the tip-only roles (a DIG, an SP's office) the tip-line
report alone, over their range or district."""

from __future__ import annotations

from datetime import date

import pytest

from core.reports import ReportQuery
from hq.errors import Forbidden
from hq.principals import Principal, Role
from hq.reports import scoped_query

YEAR = ReportQuery(date(2026, 1, 1), date(2026, 12, 31))
DIG = Principal(actor="u-dig", display_name="DIG Varanasi", role=Role.RANGE_DIG, range="Varanasi")
SP = Principal(actor="u-sp", display_name="SP Varanasi", role=Role.SP_OFFICE, district="VNS")
DISTRICT = Principal(actor="u-lko", display_name="Lucknow", role=Role.DISTRICT_OPERATOR, district="LKO")
SUPERVISOR = Principal(actor="u-sup", display_name="Supervisor", role=Role.SUPERVISOR)


def _q(**scope: str) -> ReportQuery:
    return ReportQuery(YEAR.date_from, YEAR.date_to, **scope)


def test_a_dig_reads_the_tip_report_of_his_range_only() -> None:
    assert scoped_query(DIG, YEAR, "tips") == _q(range="Varanasi")
    assert scoped_query(DIG, _q(district="JNP"), "tips") == _q(district="JNP", range="Varanasi")
    with pytest.raises(Forbidden):
        scoped_query(DIG, _q(range="Gorakhpur"), "tips")
    for kind in ("outcomes", "timing", "compliance", "health"):
        with pytest.raises(Forbidden, match="tip-line report only"):
            scoped_query(DIG, YEAR, kind)


def test_an_sp_office_reads_the_tip_report_of_its_district_only() -> None:
    assert scoped_query(SP, YEAR, "tips") == _q(district="VNS")
    with pytest.raises(Forbidden):
        scoped_query(SP, _q(district="JNP"), "tips")
    with pytest.raises(Forbidden):
        scoped_query(SP, _q(range="Varanasi"), "tips")
    with pytest.raises(Forbidden):
        scoped_query(SP, YEAR, "outcomes")


def test_a_tip_role_without_its_scope_is_refused() -> None:
    bare = Principal(actor="u-x", display_name="DIG", role=Role.RANGE_DIG)
    with pytest.raises(Forbidden, match="no range or district"):
        scoped_query(bare, YEAR, "tips")


def test_the_other_roles_are_unchanged() -> None:
    assert scoped_query(SUPERVISOR, _q(range="Varanasi"), "outcomes") == _q(range="Varanasi")
    assert scoped_query(DISTRICT, YEAR, "tips") == _q(district="LKO")
    with pytest.raises(Forbidden):
        scoped_query(DISTRICT, _q(district="VNS"), "tips")
