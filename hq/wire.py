"""The wire's shapes: HQ's request and response models (docs/PROTOCOL.md).

Request models are strict (no undeclared field, no coercion), and every text field is a ``Line`` or
``FreeText``, which apply the events' character rule (``core.events.text_problem``), so a NUL or
other control character is refused with 422 naming the field before any service code runs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from core.errors import InvalidEvent
from core.events import check_characters, text_problem, timestamp


class ErrorBody(BaseModel):
    detail: str
    code: str


class Strict(BaseModel):
    """A request body: no field it does not declare, and no coercion (``"yes"`` is not true, ``"5"``
    is not 5, ``true`` is not 1): a client that sends the wrong type has a bug HQ must show it."""

    model_config = ConfigDict(extra="forbid", strict=True)


def text_rule(*, free_text: bool) -> AfterValidator:
    """The characters a request's text may hold: ``core.events.text_problem``, the rule events obey."""

    def check(value: str) -> str:
        problem = text_problem(value, free_text=free_text)
        if problem is not None:
            raise PydanticCustomError("text_characters", problem)
        return value

    return AfterValidator(check)


def _nested_text(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """Every text inside a JSON object field (intake's subject and location), by the events' rule."""
    try:
        check_characters(value, info.field_name or "body")
    except InvalidEvent as exc:
        raise PydanticCustomError("text_characters", str(exc)) from None
    return value


def _time(value: str) -> str:
    try:
        timestamp(value, "time")
    except InvalidEvent:
        raise PydanticCustomError("time", "must be an ISO 8601 time with a time zone") from None
    return value


def _day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("day", "must be a date, YYYY-MM-DD") from None
    if len(value) != 10:
        raise PydanticCustomError("day", "must be a date, YYYY-MM-DD")
    return value


# Shown in the OpenAPI schema (so schema-driven clients and fuzzers know the rule); the validators
# above do the checking, with reasons that name the character.
LINE_PATTERN = r"^[^\x00-\x1f]*$"
FREE_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

# Text of one line (names, ids, codes, references): no control character at all.
Line = Annotated[str, text_rule(free_text=False), Field(json_schema_extra={"pattern": LINE_PATTERN})]
# Free text (a summary, a detail): tab and line breaks allowed, no other control character.
FreeText = Annotated[str, text_rule(free_text=True), Field(json_schema_extra={"pattern": FREE_TEXT_PATTERN})]
# A JSON object whose texts follow the events' rule (``core.events.check_characters``).
TextObject = Annotated[dict[str, Any], AfterValidator(_nested_text)]
Time = Annotated[str, AfterValidator(_time)]
Day = Annotated[str, AfterValidator(_day)]


class LoginRequest(Strict):
    username: Line = Field(min_length=1, max_length=100)
    password: Line = Field(min_length=1, max_length=1000)
    device_id: Line = Field(min_length=1, max_length=100)
    device_name: Line = Field(min_length=1, max_length=200)


class RefreshRequest(Strict):
    refresh_token: Line = Field(min_length=1, max_length=200)
    device_id: Line = Field(min_length=1, max_length=100)


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    district: str | None


class SessionOut(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int
    user: UserOut


class HealthOut(BaseModel):
    status: str
    epoch: str
    server_time: str


class IntakeRequest(Strict):
    upstream_ref: Line = Field(max_length=200)
    source: Line = Field(max_length=40)
    kind: Line = Field(max_length=40)
    priority: int
    received_at: Line = Field(max_length=40)
    subject: TextObject
    location: TextObject
    district: Line | None = Field(default=None, max_length=100)
    police_station: Line | None = Field(default=None, max_length=100)
    summary: FreeText | None = Field(default=None, max_length=1000)


class IntakeOut(BaseModel):
    case_id: str
    duplicate: bool
    duplicates: int


class EventOut(BaseModel):
    id: str
    case_id: str
    type: str
    payload: dict[str, Any]
    author_id: str
    author_name: str
    device_id: str
    wall_time: str
    hlc: str
    hq_seq: int | None
    seen_assignment: str | None = None  # the last assignment the author's console held (PROTOCOL.md)


class AssignRequest(Strict):
    district: Line = Field(max_length=100)
    police_station: Line | None = Field(default=None, max_length=100)


class AssignOut(BaseModel):
    event: EventOut


class CaseOut(BaseModel):
    state: dict[str, Any]
    events: list[EventOut]


class StationOut(BaseModel):
    code: str
    name: str


class DistrictOut(BaseModel):
    code: str
    name: str
    duty_phones: list[str]
    stations: list[StationOut]


class PushRequest(Strict):
    device_id: Line = Field(min_length=1, max_length=100)
    # Each event is validated on its own by core.events, so one bad event never sinks the batch.
    events: list[Any]


class PushResultOut(BaseModel):
    id: str | None
    status: Literal["accepted", "rejected", "held"]
    hq_seq: int | None
    reason: str | None
    code: str | None


class PushOut(BaseModel):
    epoch: str
    server_time: str
    results: list[PushResultOut]


class HeldRequest(Strict):
    device_id: Line = Field(min_length=1, max_length=100)
    ids: list[Annotated[Line, Field(min_length=1, max_length=36)]] = Field(min_length=1, max_length=500)


class VerdictOut(BaseModel):
    id: str
    status: Literal["held", "accepted", "rejected", "unknown"]
    hq_seq: int | None
    reason: str | None


class HeldOut(BaseModel):
    verdicts: list[VerdictOut]


class ReviewUserOut(BaseModel):
    user_id: str
    username: str | None


class ReviewItemOut(BaseModel):
    event: dict[str, Any]
    case_id: str
    cause: str
    note: str
    pushed_by: ReviewUserOut
    device_id: str
    held_at: str
    status: Literal["held", "accepted", "rejected"]
    decided_by: ReviewUserOut | None
    decided_at: str | None
    reason: str | None
    hq_seq: int | None


class ReviewDecisionRequest(Strict):
    reason: FreeText = Field(min_length=1, max_length=2000)


class EventItem(BaseModel):
    kind: Literal["event"]
    event: EventOut


class RevokeItem(BaseModel):
    kind: Literal["revoke"]
    case_id: str


class PullOut(BaseModel):
    epoch: str
    server_time: str
    cursor: int
    has_more: bool
    items: list[Annotated[EventItem | RevokeItem, Field(discriminator="kind")]]


class ConfirmedTestAlarm(Strict):
    """A human's last answer on the console to "did everyone hear the test alarm?"."""

    heard: bool
    at: Time = Field(max_length=40)
    by: Line = Field(min_length=1, max_length=200)


class AudioStatus(Strict):
    ok: bool
    checked_at: Time | None = Field(default=None, max_length=40)
    detail: FreeText | None = Field(default=None, max_length=500)
    test_alarm: ConfirmedTestAlarm | None = None  # older consoles omit it


class PresenceRequest(Strict):
    device_id: Line = Field(min_length=1, max_length=100)
    app_version: Line = Field(max_length=50)
    pending: int = Field(ge=0, le=10_000_000)
    audio: AudioStatus
    disk_free_bytes: int | None = Field(default=None, ge=0, le=2**62)  # free space in the console's data folder


class PresenceAck(BaseModel):
    server_time: str


class PresenceOut(BaseModel):
    device_id: str
    device_name: str
    user: str | None
    district: str | None
    last_seen: str
    online: bool
    app_version: str | None
    pending: int | None
    audio: dict[str, Any] | None
    disk_free_bytes: int | None = None


class ReportExportRequest(Strict):
    """A report a console exported to a file: the query it ran and the file's format."""

    date_from: Day = Field(alias="from")
    date_to: Day = Field(alias="to")
    district: Line | None = Field(default=None, min_length=1, max_length=100)
    range: Line | None = Field(default=None, min_length=1, max_length=100)
    format: Literal["csv", "xlsx", "pdf"]
    exported_at: Time  # when the console wrote the file (it may report it later, after an outage)


class ExportAck(BaseModel):
    recorded: bool
