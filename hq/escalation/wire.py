"""Request and response models of the escalation endpoints (strict, with the text rule, as
``hq.wire``'s): a district's policy (GET/PUT, the HQ layout's editor), its duty contacts (GET) and a
gateway's receipt."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hq.wire import Line, Strict


class StepIn(Strict):
    action: Line = Field(max_length=40)
    minutes: float | None = Field(default=None, ge=0, le=24 * 60, allow_inf_nan=False)
    times: int | None = Field(default=None, ge=1, le=10)
    roles: list[Line] | None = Field(default=None, max_length=10)
    channels: list[Line] | None = Field(default=None, max_length=5)


class PolicyIn(Strict):
    steps: list[StepIn] = Field(min_length=1, max_length=30)
    dispatch_overdue_min: float | None = Field(default=None, ge=0, le=24 * 60, allow_inf_nan=False)


class PolicyRequest(Strict):
    policy: PolicyIn


class PolicyOut(BaseModel):
    district: str
    policy: dict[str, object]
    version: int
    inherited: bool
    updated_at: str | None
    updated_by: str | None


class DutyContactOut(BaseModel):
    id: str
    district: str
    station: str | None
    role: str
    name: str
    phone: str | None
    email: str | None


class ReceiptRequest(Strict):
    """A delivery receipt as the gateway posts it: its message or call id and the status."""

    id: Line = Field(min_length=1, max_length=200)
    status: Line = Field(min_length=1, max_length=40)


class ReceiptAck(BaseModel):
    recorded: bool


__all__ = ["DutyContactOut", "PolicyIn", "PolicyOut", "PolicyRequest", "ReceiptAck", "ReceiptRequest", "StepIn"]
