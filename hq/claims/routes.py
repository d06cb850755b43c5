"""The claims and register endpoints (docs/CLAIMS.md), installed by ``hq.api``.

Plain ``def`` routes: the service blocks, so FastAPI runs them on its threadpool.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hq.claims import accounts as register
from hq.claims import service
from hq.claims.common import require_write
from hq.claims.reports import ClaimsReportOut, claims_report
from hq.claims.wire import (
    AccountCreate,
    AccountOut,
    AccountStatusIn,
    AccountSummaryOut,
    AccountUpdate,
    ActionIn,
    ActionKindIn,
    ClaimCreate,
    ClaimOut,
    ClaimStatusIn,
    ClaimSummaryOut,
    ClaimUpdate,
    FlagIn,
    FlagOut,
    Platform,
    ReasonIn,
    RebuttalIn,
    SuggestIn,
    SuggestionOut,
)
from hq.errors import Invalid
from hq.principals import Principal
from hq.wire import LINE_PATTERN, ErrorBody, text_rule

API = "/api/v1"
Id = Annotated[str, Path(max_length=200, json_schema_extra={"pattern": LINE_PATTERN}), text_rule(free_text=False)]
ClaimVerdict = Literal["confirm", "dismiss"]
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 409: {"model": ErrorBody}}


def _image(data: str | None) -> bytes | None:
    if not data:
        return None
    try:
        return base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        raise Invalid("image_b64: not base64") from None


_bearer = HTTPBearer(auto_error=False, description="access token from /auth/login")


async def _signed_in(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """``hq.api.current_user``: the same sign-in check as every other route (imported when called:
    ``hq.api`` imports this module)."""
    from hq.api import current_user

    return await current_user(request, creds)


User = Annotated[Principal, Depends(_signed_in)]


def install(app: FastAPI, state: Callable[[Request], Any]) -> None:
    """Add the routes; ``state`` gives the app's HQState."""

    def db(request: Request) -> Any:
        return state(request).db

    @app.get(f"{API}/claims", response_model=list[ClaimSummaryOut], tags=["claims"])
    def claims_list(
        request: Request,
        who: User,
        status: ClaimStatusIn | None = None,
        limit: Annotated[int, Query(ge=1, le=service.LIST_MAX)] = 200,
    ) -> list[dict[str, Any]]:
        return service.list_claims(db(request), who, status, limit)

    @app.post(f"{API}/claims", response_model=ClaimOut, status_code=201, tags=["claims"])
    def claims_create(request: Request, body: ClaimCreate, who: User) -> dict[str, Any]:
        return service.create_claim(db(request), who, body.model_dump(exclude_none=True))

    @app.get(f"{API}/claims/report", response_model=ClaimsReportOut, tags=["claims"])
    def claims_report_route(
        request: Request,
        who: User,
        date_from: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")],
        date_to: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")],
    ) -> dict[str, Any]:
        return claims_report(db(request), who, date_from, date_to)

    @app.get(f"{API}/claims/{{claim_id}}", response_model=ClaimOut, tags=["claims"], responses=ERRORS)
    def claims_read(request: Request, claim_id: Id, who: User) -> dict[str, Any]:
        return service.read_claim(db(request), who, claim_id)

    @app.patch(f"{API}/claims/{{claim_id}}", response_model=ClaimOut, tags=["claims"], responses=ERRORS)
    def claims_update(request: Request, claim_id: Id, body: ClaimUpdate, who: User) -> dict[str, Any]:
        changes = body.model_dump(exclude_unset=True)
        if any(v is None for v in changes.values()):
            raise Invalid("a field cannot be set to null")
        return service.update_claim(db(request), who, claim_id, changes)

    @app.post(f"{API}/claims/{{claim_id}}/rebuttals", response_model=ClaimOut, tags=["claims"], responses=ERRORS)
    def claims_rebuttal(request: Request, claim_id: Id, body: RebuttalIn, who: User) -> dict[str, Any]:
        return service.add_rebuttal(db(request), who, claim_id, body.platform, body.link, body.published_at)

    @app.post(f"{API}/claims/suggest", response_model=list[SuggestionOut], tags=["claims"])
    def claims_suggest(request: Request, body: SuggestIn, who: User) -> list[dict[str, Any]]:
        """Propose the claims an incoming post may be about (stored as suggestions to decide)."""
        return service.propose(db(request), who, body.post_ref, body.text, _image(body.image_b64), body.post_link)

    @app.post(
        f"{API}/claims/{{claim_id}}/suggestions/{{suggestion_id}}/{{verdict}}",
        response_model=ClaimOut,
        tags=["claims"],
        responses=ERRORS,
    )
    def claims_decide(
        request: Request,
        claim_id: Id,
        suggestion_id: Annotated[int, Path(ge=1, le=2**62)],
        verdict: ClaimVerdict,
        who: User,
    ) -> dict[str, Any]:
        return service.decide_suggestion(db(request), who, claim_id, suggestion_id, verdict == "confirm")

    @app.get(f"{API}/accounts", response_model=list[AccountSummaryOut], tags=["accounts"])
    def accounts_list(
        request: Request,
        who: User,
        reason: ReasonIn | None = None,
        action: ActionKindIn | None = None,
        status: AccountStatusIn | None = None,
        platform: Platform | None = None,
        limit: Annotated[int, Query(ge=1, le=register.LIST_MAX)] = 500,
    ) -> list[dict[str, Any]]:
        return register.list_accounts(
            db(request), who, reason=reason, action=action, status=status, platform=platform, limit=limit
        )

    @app.post(f"{API}/accounts", response_model=AccountOut, status_code=201, tags=["accounts"], responses=ERRORS)
    def accounts_add(request: Request, body: AccountCreate, who: User) -> dict[str, Any]:
        return register.add_account(db(request), who, body.model_dump(exclude_none=True))

    @app.post(f"{API}/accounts/flag", response_model=FlagOut, tags=["accounts"])
    def accounts_flag(request: Request, body: FlagIn, who: User) -> dict[str, Any]:
        """An account seen in a new complaint or claim: its register entry, if it has one (counted
        and audited as flagged on arrival)."""
        require_write(who)
        entry = register.flag_on_arrival(db(request), body.platform, body.handle, source=body.source)
        return {"flagged": entry is not None, "account": entry}

    @app.get(f"{API}/accounts/{{account_id}}", response_model=AccountOut, tags=["accounts"], responses=ERRORS)
    def accounts_read(request: Request, account_id: Id, who: User) -> dict[str, Any]:
        return register.read_account(db(request), who, account_id)

    @app.patch(f"{API}/accounts/{{account_id}}", response_model=AccountOut, tags=["accounts"], responses=ERRORS)
    def accounts_update(request: Request, account_id: Id, body: AccountUpdate, who: User) -> dict[str, Any]:
        changes = body.model_dump(exclude_unset=True)
        if any(v is None for k, v in changes.items() if k not in ("url", "district")):
            raise Invalid("a field cannot be set to null")
        return register.update_account(db(request), who, account_id, changes)

    @app.post(f"{API}/accounts/{{account_id}}/actions", response_model=AccountOut, tags=["accounts"], responses=ERRORS)
    def accounts_action(request: Request, account_id: Id, body: ActionIn, who: User) -> dict[str, Any]:
        return register.add_action(db(request), who, account_id, body.model_dump())
