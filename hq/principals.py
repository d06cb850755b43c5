"""Who is asking and what each role may do: ``Principal``, ``Role``, ``Action`` and ``require``.

Which cases a principal may touch (scope) is checked per case where the case is read or written
(``hq.reads.read_case``, ``hq.scope.in_scope``); this module answers only "may this role do this".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.events import DISTRICT_ROLE, Author, tier_for_role
from hq.errors import Forbidden
from hq.feed import ALL_STREAM, range_stream, tips_stream


class Role(enum.StrEnum):
    HQ_OPERATOR = "hq_operator"
    DISTRICT_OPERATOR = DISTRICT_ROLE  # the one role whose acknowledgements speak for a district (core.events)
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # Tips only (docs/HQ.md, "Ranges, the DIG and the SP's office"): the DIG of a range sees every tip
    # of its districts and of its range's triage; the SP's office sees its district's tips.
    RANGE_DIG = "range_dig"
    SP_OFFICE = "sp_office"


HQ_ROLES = frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.ADMIN})
TIP_ROLES = frozenset({Role.RANGE_DIG, Role.SP_OFFICE})


class Action(enum.StrEnum):
    INTAKE = "intake"
    ASSIGN = "assign"
    READ_CASE = "read_case"
    LIST_DISTRICTS = "list_districts"
    PUSH = "push"
    PULL = "pull"
    PRESENCE_POST = "presence_post"
    PRESENCE_LIST = "presence_list"
    REVIEW = "review"


# Who may do what. Scope (which cases) is checked separately, per case. Admins manage accounts and
# see presence; they do not read cases. Supervisors read everything and write nothing.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.INTAKE: frozenset({Role.HQ_OPERATOR}),
    # a DIG routes its range's triage tips to one of its districts (``hq.scope.assign_refusal``)
    Action.ASSIGN: frozenset({Role.HQ_OPERATOR, Role.RANGE_DIG}),
    Action.READ_CASE: frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.DISTRICT_OPERATOR, *TIP_ROLES}),
    Action.LIST_DISTRICTS: frozenset(Role),
    Action.PUSH: frozenset({Role.HQ_OPERATOR, Role.DISTRICT_OPERATOR, *TIP_ROLES}),
    Action.PULL: frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.DISTRICT_OPERATOR, *TIP_ROLES}),
    Action.PRESENCE_POST: frozenset(Role),
    Action.PRESENCE_LIST: frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.ADMIN}),
    Action.REVIEW: frozenset({Role.SUPERVISOR, Role.ADMIN}),
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in user on a device, or an integration key (intake only)."""

    actor: str
    display_name: str
    role: Role | None
    district: str | None = None
    username: str | None = None
    range: str | None = None  # a DIG's range
    device_id: str | None = None
    ip: str | None = None

    @property
    def is_key(self) -> bool:
        return self.role is None

    @property
    def stream(self) -> str:
        """The feed stream this principal reads: the district's, its tips (an SP's office), its range's
        tips (a DIG), or everything for HQ roles."""
        if self.role is Role.DISTRICT_OPERATOR:
            if not self.district:
                raise Forbidden("this district account has no district")
            return self.district
        if self.role is Role.SP_OFFICE:
            if not self.district:
                raise Forbidden("this SP office account has no district")
            return tips_stream(self.district)
        if self.role is Role.RANGE_DIG:
            if not self.range:
                raise Forbidden("this DIG account has no range")
            return range_stream(self.range)
        return ALL_STREAM

    def author(self) -> Author:
        return Author(user_id=self.actor, display_name=self.display_name, tier=tier_for_role(self.role))


def require(p: Principal, action: Action) -> None:
    """Refuse (``Forbidden``) unless ``p``'s role may do ``action``; a key may only submit intake."""
    if p.is_key:
        if action is not Action.INTAKE:
            raise Forbidden("an integration key may only submit intake")
        return
    assert p.role is not None
    if p.role not in PERMISSIONS[action]:
        raise Forbidden(f"the {p.role} role may not {action.replace('_', ' ')}")


def require_own_device(p: Principal, device_id: str) -> None:
    """Refuse (``Forbidden``) a device id other than the one ``p``'s session signed in on."""
    if device_id != p.device_id:
        raise Forbidden("device_id is not the device this session signed in on")


__all__ = ["HQ_ROLES", "PERMISSIONS", "TIP_ROLES", "Action", "Principal", "Role", "require", "require_own_device"]
