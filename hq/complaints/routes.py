"""The complaint endpoints (docs/PROTOCOL.md, "Complaints"): the queue, triage, replies and their
publication, the connectors' health, and Meta's webhook. Installed by ``hq.api``; blocking work runs
on the threadpool (plain ``def`` routes, ``anyio.to_thread`` in the webhook)."""

# No ``from __future__ import annotations`` here: the routes' annotations name ``User``, made inside
# ``install``, which FastAPI can resolve only if they are evaluated where the route is defined.
import hmac
import json
import logging
from collections.abc import Callable
from typing import Annotated, Any

import anyio
from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import Field

from hq.complaints import canned, replies
from hq.complaints import queue as complaint_queue
from hq.connectors import signature
from hq.connectors.base import connector_health
from hq.connectors.worker import Connectors
from hq.db import Database
from hq.errors import Unauthenticated
from hq.principals import Action, Principal, require
from hq.wire import LINE_PATTERN, ErrorBody, FreeText, Line, Strict, text_rule

log = logging.getLogger(__name__)


# A case or reply id in a path, as hq.api takes case ids: a control character is 422, any other unknown id 404.
CaseId = Annotated[str, Path(max_length=200, json_schema_extra={"pattern": LINE_PATTERN}), text_rule(free_text=False)]


_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}
_CONFLICT: dict[int | str, dict[str, Any]] = {409: {"model": ErrorBody}}


class TriageRequest(Strict):
    category: Line | None = Field(default=None, max_length=40)  # a ComplaintCategory value
    district: Line | None = Field(default=None, max_length=100)
    duplicate_of: Line | None = Field(default=None, max_length=36)
    note: FreeText | None = Field(default=None, max_length=500)


class ReplyRequest(Strict):
    text: FreeText = Field(min_length=1, max_length=replies.MAX_REPLY_CHARS)
    needs_approval: bool = False


class CannedReplyRequest(Strict):
    title: Line = Field(min_length=1, max_length=canned.MAX_TITLE_CHARS)
    text_hi: FreeText = Field(default="", max_length=canned.MAX_TEXT_CHARS)
    text_en: FreeText = Field(default="", max_length=canned.MAX_TEXT_CHARS)
    category: Line | None = Field(default=None, max_length=40)  # a ComplaintCategory value; none: any
    retired: bool = False


CannedId = Annotated[str, Path(pattern=canned.ID_PATTERN)]


def install(
    app: FastAPI,
    *,
    api: str,
    user: Any,
    database: Callable[[Request], Database],
    connectors: Callable[[Request], Connectors | None],
) -> None:
    User = Annotated[Principal, Depends(user)]

    def _publishers(request: Request) -> dict[str, Any]:
        c = connectors(request)
        return dict(c.publishers) if c is not None else {}

    def _policy(request: Request) -> Any:
        """The clock's policy in force: the connectors' (the sweep's), or with none configured the
        ``RAKSHAK_SLA_*`` settings as the reports read them."""
        from hq.report_kinds import sla_policy

        c = connectors(request)
        return c.policy if c is not None else sla_policy()

    @app.get(f"{api}/complaints", tags=["complaints"])
    def complaints_list(
        request: Request,
        who: User,
        open_only: bool = True,
        district: Annotated[str | None, Query(max_length=100), text_rule(free_text=False)] = None,
        limit: Annotated[int, Query(ge=1, le=complaint_queue.MAX_QUEUE_ROWS)] = 500,
    ) -> list[dict[str, Any]]:
        """The complaint queue: each row with its countdown (``due``), deadlines and soft ``signal``."""
        return complaint_queue.queue(
            database(request), who, _policy(request), open_only=open_only, district=district, limit=limit
        )

    @app.get(f"{api}/complaints/canned", tags=["complaints"])
    def complaints_canned(request: Request, who: User, include_retired: bool = False) -> list[dict[str, Any]]:
        """The canned bilingual replies (HQ roles), by title; retired ones only with ``include_retired``."""
        return canned.list_canned(database(request), who, include_retired=include_retired)

    @app.get(f"{api}/complaints/policy", tags=["complaints"])
    def complaints_policy(request: Request, who: User) -> dict[str, Any]:
        """The clock's policy in force (``core.sla.SlaPolicy.to_json``): the consoles' countdowns use
        it, so they warn and breach when HQ's sweep does. HQ's roles and district operators."""
        return complaint_queue.policy_json(who, _policy(request))

    @app.put(f"{api}/complaints/canned/{{canned_id}}", tags=["complaints"])
    def complaints_canned_put(
        request: Request, canned_id: CannedId, body: CannedReplyRequest, who: User
    ) -> dict[str, Any]:
        """Create or change a canned reply (supervisor or admin; audited). Retire, never delete."""
        return canned.put_canned(
            database(request), who, canned_id,
            title=body.title, text_hi=body.text_hi, text_en=body.text_en,
            category=body.category, retired=body.retired,
        )  # fmt: skip

    @app.post(f"{api}/complaints/{{case_id}}/triage", tags=["complaints"], responses=_NOT_FOUND | _CONFLICT)
    def complaints_triage(request: Request, case_id: CaseId, body: TriageRequest, who: User) -> dict[str, Any]:
        return complaint_queue.triage(
            database(request), who, case_id,
            category=body.category, district=body.district,
            duplicate_of=body.duplicate_of, note=body.note,
        )  # fmt: skip

    @app.post(f"{api}/complaints/{{case_id}}/replies", tags=["complaints"], responses=_NOT_FOUND | _CONFLICT)
    def complaints_reply(request: Request, case_id: CaseId, body: ReplyRequest, who: User) -> dict[str, Any]:
        return replies.draft(database(request), who, case_id, body.text, body.needs_approval)

    @app.post(
        f"{api}/complaints/{{case_id}}/replies/{{reply_id}}/approve",
        tags=["complaints"],
        responses=_NOT_FOUND | _CONFLICT,
    )
    def complaints_approve(request: Request, case_id: CaseId, reply_id: CaseId, who: User) -> dict[str, Any]:
        return replies.approve(database(request), who, case_id, reply_id)

    @app.post(
        f"{api}/complaints/{{case_id}}/replies/{{reply_id}}/publish",
        tags=["complaints"],
        responses=_NOT_FOUND | _CONFLICT,
    )
    def complaints_publish(request: Request, case_id: CaseId, reply_id: CaseId, who: User) -> dict[str, Any]:
        return replies.publish_now(database(request), who, _publishers(request), case_id, reply_id)

    @app.get(f"{api}/connectors/health", tags=["complaints"])
    def connectors_health(request: Request, who: User) -> list[dict[str, Any]]:
        """Each polled connector's cursor, quota spent today, pause and last error (HQ roles)."""
        require(who, Action.ASSIGN)
        return connector_health(database(request))

    @app.get(
        f"{api}/webhooks/meta",
        tags=["complaints"],
        response_class=Response,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "the challenge"}},
    )
    def meta_verify(
        request: Request,
        mode: Annotated[str, Query(alias="hub.mode", max_length=50), text_rule(free_text=False)] = "",
        token: Annotated[str, Query(alias="hub.verify_token", max_length=500), text_rule(free_text=False)] = "",
        challenge: Annotated[str, Query(alias="hub.challenge", max_length=500), text_rule(free_text=False)] = "",
    ) -> Response:
        """Meta's subscription handshake: echo ``hub.challenge`` when the verify token matches."""
        c = connectors(request)
        expected = c.settings.get("RAKSHAK_META_VERIFY_TOKEN") if c is not None else ""
        if mode != "subscribe" or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            raise Unauthenticated("webhook verification refused")
        return PlainTextResponse(challenge)

    @app.post(f"{api}/webhooks/meta", tags=["complaints"])
    async def meta_webhook(request: Request) -> Response:
        """A Page or Instagram change. The signature is checked over the raw body before it is parsed:
        a forged or unsigned delivery gets 401 and nothing is stored."""
        raw = await request.body()
        c = connectors(request)
        secret = c.settings.get("RAKSHAK_META_APP_SECRET") if c is not None else ""
        if not signature.verify(secret, raw, request.headers.get(signature.HEADER)):
            log.warning("meta webhook: a delivery with a bad or missing signature was refused")
            raise Unauthenticated("bad or missing X-Hub-Signature-256")
        try:
            body = json.loads(raw)
        except ValueError:
            return JSONResponse({"taken": 0}, status_code=200)  # signed but unreadable: nothing to retry
        assert c is not None and c.meta_intake is not None
        # Graph lookups and storage off the event loop; a failure answers 500 and Meta delivers again
        taken, missed = await anyio.to_thread.run_sync(c.meta_intake.take, database(request), body)
        if missed:  # a mention Graph could not read: Meta delivers it again, the rest is recognised
            return JSONResponse({"taken": taken, "missed": missed}, status_code=503)
        return JSONResponse({"taken": taken})


__all__ = ["CannedReplyRequest", "ReplyRequest", "TriageRequest", "install"]
