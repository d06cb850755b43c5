"""Request and response shapes of the claims and register endpoints (strict, as ``hq.wire``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from hq.wire import FreeText, Line, Strict, Time

# The values of core.accounts' and core.claims' enums (tests/unit/hq/test_claims_wire.py holds them
# equal): strict models take a JSON string for a Literal, not for an Enum.
ClaimStatusIn = Literal["investigating", "rebutted", "closed"]
ReasonIn = Literal["incitement", "communal_content", "fake_news", "impersonation", "fraud"]
ActionKindIn = Literal["reported_to_platform", "notice_served", "fir_registered"]
AccountStatusIn = Literal["watching", "actioned", "removed", "closed"]
LinkKindIn = Literal["post", "claim", "case"]

Platform = Literal["facebook", "instagram", "x", "youtube", "whatsapp", "other"]
Link = Annotated[Line, Field(min_length=1, max_length=2000)]
District = Annotated[Line, Field(min_length=1, max_length=100)]
# An image sent for hashing: base64, at most about 3.7 MB of image (the body limit is 5 MB).
ImageB64 = Annotated[str, Field(max_length=5_000_000, pattern=r"^[A-Za-z0-9+/=\s]*$")]


class MediaIn(Strict):
    link: Link | None = None
    image_b64: ImageB64 | None = None
    sha256: Annotated[Line, Field(max_length=64)] | None = None
    phash: Annotated[Line, Field(max_length=32)] | None = None


class ClaimCreate(Strict):
    text: FreeText = Field(min_length=1, max_length=20_000)
    official_version: FreeText = Field(default="", max_length=20_000)
    platforms: list[Platform] = Field(default_factory=list, max_length=10)
    districts: list[District] = Field(default_factory=list, max_length=100)
    links: list[Link] = Field(default_factory=list, max_length=100)
    media: list[MediaIn] = Field(default_factory=list, max_length=20)


class ClaimUpdate(Strict):
    text: FreeText | None = Field(default=None, min_length=1, max_length=20_000)
    official_version: FreeText | None = Field(default=None, max_length=20_000)
    status: ClaimStatusIn | None = None
    platforms: list[Platform] | None = Field(default=None, max_length=10)
    districts: list[District] | None = Field(default=None, max_length=100)
    links: list[Link] | None = Field(default=None, max_length=100)
    media: list[MediaIn] | None = Field(default=None, max_length=20)


class RebuttalIn(Strict):
    platform: Platform
    link: Link
    published_at: Time


class SuggestIn(Strict):
    post_ref: Line = Field(min_length=1, max_length=300)
    text: FreeText = Field(max_length=20_000)
    post_link: Link | None = None
    image_b64: ImageB64 | None = None


class SuggestionOut(BaseModel):
    id: int
    claim_id: str
    post_ref: str
    post_text: str
    post_link: str | None
    kind: str
    score: float
    status: str
    created_at: str
    decided_by: str | None
    decided_at: str | None


class RebuttalOut(BaseModel):
    platform: str
    link: str
    published_at: str
    added_by: str


class ChangeOut(BaseModel):
    at: str
    actor: str
    username: str | None
    change: dict[str, Any]


class ClaimSummaryOut(BaseModel):
    id: str
    text: str
    status: str
    platforms: list[str]
    districts: list[str]
    created_at: str
    updated_at: str
    rebutted_at: str | None
    rebuttals: int
    suggested: int
    confirmed: int


class ClaimOut(BaseModel):
    id: str
    text: str
    official_version: str
    status: str
    platforms: list[str]
    links: list[str]
    media: list[dict[str, Any]]
    districts: list[str]
    created_at: str
    created_by: str
    updated_at: str
    rebutted_at: str | None
    rebuttals: list[RebuttalOut]
    suggestions: list[SuggestionOut]
    history: list[ChangeOut]


class LinkIn(Strict):
    kind: LinkKindIn
    ref: Line = Field(min_length=1, max_length=300)


class AccountCreate(Strict):
    platform: Platform
    handle: Line = Field(min_length=1, max_length=500)
    url: Link | None = None
    reasons: list[ReasonIn] = Field(min_length=1, max_length=5)
    district: District | None = None
    note: FreeText = Field(default="", max_length=5000)
    links: list[LinkIn] = Field(default_factory=list, max_length=100)


class AccountUpdate(Strict):
    url: Link | None = None
    reasons: list[ReasonIn] | None = Field(default=None, min_length=1, max_length=5)
    status: AccountStatusIn | None = None
    district: District | None = None
    note: FreeText | None = Field(default=None, max_length=5000)
    links: list[LinkIn] | None = Field(default=None, max_length=100)


class ActionIn(Strict):
    kind: ActionKindIn
    reference: Line = Field(default="", max_length=200)
    on_date: Annotated[Line, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    note: FreeText = Field(default="", max_length=5000)


class FlagIn(Strict):
    platform: Platform
    handle: Line = Field(min_length=1, max_length=500)
    source: Line | None = Field(default=None, max_length=300)


class ActionOut(BaseModel):
    kind: str
    reference: str
    on_date: str
    note: str
    added_by: str


class AccountSummaryOut(BaseModel):
    id: str
    platform: str
    handle: str
    url: str | None
    reasons: list[str]
    status: str
    district: str | None
    note: str
    created_at: str
    updated_at: str
    flagged: int
    last_flagged_at: str | None
    actions: list[str]


class AccountLinkOut(BaseModel):
    kind: str
    ref: str
    added_at: str


class AccountOut(BaseModel):
    id: str
    platform: str
    handle: str
    url: str | None
    reasons: list[str]
    status: str
    district: str | None
    note: str
    created_at: str
    updated_at: str
    flagged: int
    last_flagged_at: str | None
    actions: list[ActionOut]
    links: list[AccountLinkOut]
    history: list[ChangeOut]


class FlagOut(BaseModel):
    flagged: bool
    account: AccountOut | None
