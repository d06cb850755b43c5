"""The HTTP face of HQ: routes, the mapping of refusals to status codes, and the long-poll wait.

Request and response models are in ``hq.wire``; the body-size limit in ``hq.bodylimit``.

Wire contract: docs/PROTOCOL.md. Every error body is ``{"detail": str, "code": str}``.
Blocking database work runs on the threadpool (plain ``def`` routes, ``anyio.to_thread`` in pull);
the long-poll wait itself holds no thread, so hundreds of idle consoles cost only sockets.

Kept in one file because the app's lifespan (workers started and stopped in order), its error
mapping and the core routes share the app's state; newer areas install their own routes from their
packages (``hq.tipline``, ``hq.complaints``, ``hq.claims``), and the next one should too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import anyio
from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.events import iso, text_problem, utcnow
from core.reports import ReportQuery, to_json
from hq import board, repair, reports, service
from hq.audit import write_audit
from hq.auth import Authenticator
from hq.bodylimit import BodyLimit
from hq.claims.routes import install as install_claim_routes
from hq.complaints import routes as complaint_routes
from hq.db import ChangeNotifier, Database, PgListener
from hq.errors import Conflict, Forbidden, HQError, Invalid, Locked, NotFound, TooLarge, Unauthenticated
from hq.escalation import receipt_token, runner_from_env
from hq.escalation import store as escalation_store
from hq.escalation.complaint_breach import install as install_breach_escalation
from hq.escalation.wire import DutyContactOut, PolicyOut, PolicyRequest, ReceiptAck, ReceiptRequest
from hq.longpoll import AuditBatcher, SharedReads
from hq.mailbox.health import read_health
from hq.mailbox.wire import MailboxHealthOut
from hq.principals import Action, Principal, require
from hq.tipline import roster as tipline_roster
from hq.tipline import webhook as tipline_webhook
from hq.tipline.relay import Relay
from hq.tipline.settings import TiplineSettings
from hq.wire import (
    LINE_PATTERN,
    AssignOut,
    AssignRequest,
    CaseOut,
    DistrictOut,
    ErrorBody,
    ExportAck,
    HealthOut,
    HeldOut,
    HeldRequest,
    IntakeOut,
    IntakeRequest,
    LoginRequest,
    PresenceAck,
    PresenceOut,
    PresenceRequest,
    PullOut,
    PushOut,
    PushRequest,
    RefreshRequest,
    ReportExportRequest,
    ReviewDecisionRequest,
    ReviewItemOut,
    SessionOut,
    text_rule,
)

log = logging.getLogger(__name__)

API = "/api/v1"
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_WAIT_S = 60
ENV_DB_URL = "RAKSHAK_HQ_DB"
# "1": this worker process runs an escalation runner (``serve`` sets it unless --no-escalation).
ENV_ESCALATION = "RAKSHAK_HQ_ESCALATION"

# The HTTP status of each kind of refusal the service raises (``hq.errors``): mapped here only.
HTTP_STATUS: dict[type[HQError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Invalid: 422,
    Locked: 423,
}


# ---------------------------------------------------------------------------------------------
# App
# ---------------------------------------------------------------------------------------------


@dataclass
class HQState:
    db: Database
    auth: Authenticator
    notifier: ChangeNotifier
    listener: PgListener | None
    reads: SharedReads
    audit: AuditBatcher


def create_app(
    db_url: str | None = None, *, database: Database | None = None, migrate: bool = False, escalation: bool = False
) -> FastAPI:
    """Build the HQ app. The database is opened when the app starts (never at import).

    ``db_url`` defaults to the ``RAKSHAK_HQ_DB`` environment variable (how ``serve`` hands it to
    uvicorn worker processes). ``migrate`` runs migrations at start-up (embedded use); ``serve`` runs
    them once before starting workers instead. ``escalation`` runs an escalation runner in this
    process (``hq.escalation.runner``) from start-up to shutdown; several processes may each run one.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = database or Database(db_url or os.environ[ENV_DB_URL])
        if migrate:
            await anyio.to_thread.run_sync(db.migrate)
        notifier = ChangeNotifier()
        notifier.bind(asyncio.get_running_loop())
        listener = None
        if db.is_postgres:
            listener = PgListener(
                db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False), notifier
            )
            listener.start()
            await anyio.to_thread.run_sync(listener.connected.wait, 10.0)
        else:
            db.commit_listeners.append(notifier.publish)
        auth = await anyio.to_thread.run_sync(Authenticator, db)
        app.state.hq = HQState(db, auth, notifier, listener, SharedReads(db), AuditBatcher(db))
        install_breach_escalation()  # a complaint's SLA breach escalates to the supervisor
        mailbox = await anyio.to_thread.run_sync(_start_mailbox, db)
        app.state.receipt_token = await anyio.to_thread.run_sync(receipt_token)
        runner = runner_from_env(db) if escalation else None
        if runner is not None:
            runner.start()
        tipline = TiplineSettings.from_env()  # None: the tip line is off (docs/TIPLINE.md)
        relay = Relay(db, tipline) if tipline is not None else None
        if relay is not None and relay.settings.run_relay:
            relay.start()
        app.state.tipline = relay
        app.state.complaints, complaints_worker = await anyio.to_thread.run_sync(_start_complaints, db)
        try:
            yield
        finally:
            if complaints_worker is not None:
                await anyio.to_thread.run_sync(complaints_worker.stop)
            if relay is not None:
                await anyio.to_thread.run_sync(relay.stop)
            if runner is not None:
                await anyio.to_thread.run_sync(runner.stop)
            if mailbox is not None:
                await anyio.to_thread.run_sync(mailbox.stop)
            notifier.close()
            if listener is not None:
                await anyio.to_thread.run_sync(listener.stop)
            if notifier.publish in db.commit_listeners:
                db.commit_listeners.remove(notifier.publish)
            if database is None:
                db.dispose()

    app = FastAPI(
        title="Rakshak HQ",
        version="1",
        lifespan=lifespan,
        dependencies=[Depends(_reject_unknown_query_parameters)],
        responses={
            401: {"model": ErrorBody},
            403: {"model": ErrorBody},
            413: {"model": ErrorBody},
            422: {"model": ErrorBody},
        },
    )
    _install_error_handlers(app)
    _install_routes(app)
    tipline_webhook.install(app, API, User, _relay)
    tipline_roster.install(app, API, User, lambda request: _state(request).db)
    install_claim_routes(app, _state)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    return app


def _start_mailbox(db: Database) -> Any:
    """The mailbox worker when ``RAKSHAK_HQ_MAILBOX_HOST`` is set (docs/HQ.md, "Mailbox intake"), else None.

    Each HQ process runs one; several (uvicorn workers, HQ hosts) may read the same box: the record
    of taken mails makes exactly one case per mail.
    """
    # the mailbox and connector modules are loaded only by an HQ that has them configured
    from hq.mailbox.settings import from_env

    settings = from_env()
    if settings is None:
        return None
    from hq.mailbox.client import MailboxWorker

    return MailboxWorker(db, settings).start()


def _start_complaints(db: Database) -> tuple[Any, Any]:
    """The social-media connectors and their worker (docs/COMPLAINTS.md): the connectors are built
    whenever any is configured (the webhook and "publish now" need them), the polling worker when any
    platform is."""
    from hq.connectors.settings import from_env
    from hq.connectors.worker import ComplaintsWorker, Connectors

    settings = from_env()
    if not settings.any_worker:
        return None, None
    connectors = Connectors(db, settings)
    worker = ComplaintsWorker(connectors, float(settings.integer("RAKSHAK_COMPLAINTS_POLL_S"))).start()
    return connectors, worker


def _reject_unknown_query_parameters(request: Request) -> None:
    """Refuse a query parameter the endpoint does not declare (422), instead of silently ignoring it.

    A misspelt ``curosr=`` that HQ ignored would make a console pull from the start without any
    sign of the mistake; strict input also keeps the service's behaviour equal to its OpenAPI schema.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    declared: set[str] = set()
    stack = [dependant]
    while stack:  # the route's own query parameters and those of its dependencies
        current = stack.pop()
        declared.update(p.alias for p in current.query_params)
        stack.extend(current.dependencies)
    unknown = sorted(set(request.query_params.keys()) - declared)
    if unknown:
        names = ", ".join(repr(n) for n in unknown)
        takes = ", ".join(sorted(declared)) or "none"
        raise Invalid(f"unknown query parameter(s) {names}; this endpoint takes: {takes}")


def create_app_from_env() -> FastAPI:
    """uvicorn factory for worker processes (``--workers N``)."""
    return create_app(os.environ[ENV_DB_URL], escalation=os.environ.get(ENV_ESCALATION) == "1")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HQError)
    async def refused(_request: Request, exc: HQError) -> JSONResponse:
        status = next((HTTP_STATUS[kind] for kind in type(exc).__mro__ if kind in HTTP_STATUS), 500)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": exc.detail, "code": exc.code}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(_printable(str(x)) for x in err.get("loc", ()) if x != "body") or "body"
            msg = str(err.get("msg", "invalid"))
            parts.append(msg if msg.startswith(f"{where}.") else f"{where}: {msg}")
        detail = "; ".join(parts) or "the request is not valid"
        principal = getattr(request.state, "principal", None)
        route = request.scope.get("route")
        if principal is not None and getattr(route, "name", None) == "intake":
            await anyio.to_thread.run_sync(_audit_refused_intake, _state(request), principal, detail, exc.body)
        return JSONResponse({"detail": detail, "code": "invalid"}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # A body that is not JSON at all: the protocol answers every unusable request with 422.
            return JSONResponse(
                {"detail": f"the request body is not valid JSON ({exc.detail})", "code": "invalid"}, 422
            )
        code = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "invalid", 413: "too_large"}.get(
            exc.status_code, "invalid" if exc.status_code < 500 else "server_error"
        )
        return JSONResponse({"detail": str(exc.detail), "code": code}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def crash(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(
            {"detail": "HQ had an internal error; it has been logged", "code": "server_error"}, status_code=500
        )


def _printable(name: str) -> str:
    """A field name as a reply may quote it: control characters escaped (``a\\x00b``)."""
    return name if text_problem(name) is None else name.encode("unicode_escape").decode("ascii")


def _audit_refused_intake(state: HQState, who: Principal, reason: str, body: Any) -> None:
    """Audit an intake body refused before it reached the service, as ``service.intake`` audits the
    alerts it refuses: the caller (key or user), the reason and the upstream reference if readable.
    Runs on a worker thread. An audit write that fails is logged; the caller still gets its 422."""
    ref = body.get("upstream_ref") if isinstance(body, dict) else None
    if not isinstance(ref, str) or text_problem(ref) is not None:
        ref = None
    try:
        with state.db.transaction() as conn:
            write_audit(
                conn,
                who,
                "intake",
                "invalid",
                detail={"reason": reason[:500], "upstream_ref": ref[:200] if ref else None},
            )
    except Exception:
        log.exception("could not audit a refused intake request")


_bearer = HTTPBearer(auto_error=False, description="access token from /auth/login")
_api_key = APIKeyHeader(name="X-Api-Key", auto_error=False, description="integration key (intake only)")


def _state(request: Request) -> HQState:
    state: HQState = request.app.state.hq
    return state


def _relay(request: Request) -> Relay:
    relay: Relay | None = getattr(request.app.state, "tipline", None)
    if relay is None:
        raise tipline_webhook.not_configured()
    return relay


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def current_user(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise Unauthenticated("sign in first: send Authorization: Bearer <access token>")
    auth = _state(request).auth
    principal = auth.cached_principal(creds.credentials, _ip(request))
    if principal is None:
        principal = await anyio.to_thread.run_sync(auth.principal_from_bearer, creds.credentials, _ip(request))
    request.state.principal = principal
    return principal


async def user_or_key(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    key: Annotated[str | None, Depends(_api_key)],
) -> Principal:
    if key:
        principal = await anyio.to_thread.run_sync(_state(request).auth.principal_from_key, key, _ip(request))
        request.state.principal = principal
        return principal
    return await current_user(request, creds)


User = Annotated[Principal, Depends(current_user)]
# A district code or range name in a report's query.
ReportScope = Annotated[
    Annotated[str, text_rule(free_text=False)] | None,
    Query(min_length=1, max_length=100, json_schema_extra={"pattern": LINE_PATTERN}),
]
# A case id in a path: refused (422) if it holds a control character; any other string that is not a
# known case is 404.
CaseId = Annotated[str, Path(max_length=200, json_schema_extra={"pattern": LINE_PATTERN}), text_rule(free_text=False)]


# A district code in a path ("*": the state-wide default policy); also the receipt token.
District = Annotated[str, Path(max_length=200, json_schema_extra={"pattern": LINE_PATTERN}), text_rule(free_text=False)]


def _now() -> str:
    return iso(utcnow())


def _epoch(state: HQState) -> str:
    epoch = state.db.get_meta("epoch")
    if epoch is None:
        raise RuntimeError("database has no epoch")
    return epoch


def _install_routes(app: FastAPI) -> None:
    @app.get(f"{API}/health", response_model=HealthOut, tags=["health"])
    def health(request: Request) -> dict[str, Any]:
        return {"status": "ok", "epoch": _epoch(_state(request)), "server_time": _now()}

    @app.post(f"{API}/auth/login", response_model=SessionOut, tags=["auth"], responses={423: {"model": ErrorBody}})
    def login(request: Request, body: LoginRequest) -> dict[str, Any]:
        session = _state(request).auth.login(
            body.username, body.password, body.device_id, body.device_name, _ip(request)
        )
        return session.to_wire()

    @app.post(f"{API}/auth/refresh", response_model=SessionOut, tags=["auth"])
    def refresh(request: Request, body: RefreshRequest) -> dict[str, Any]:
        return _state(request).auth.refresh(body.refresh_token, body.device_id, _ip(request)).to_wire()

    @app.post(
        f"{API}/intake",
        response_model=IntakeOut,
        status_code=201,
        tags=["cases"],
        responses={200: {"model": IntakeOut, "description": "a duplicate of an alert already received"}},
    )
    def intake(request: Request, body: IntakeRequest, who: Annotated[Principal, Depends(user_or_key)]) -> Any:
        result = service.intake(_state(request).db, who, body.model_dump(exclude_none=True))
        out = {"case_id": result.case_id, "duplicate": result.duplicate, "duplicates": result.duplicates}
        return JSONResponse(out, status_code=200) if result.duplicate else out

    @app.post(
        f"{API}/cases/{{case_id}}/assign",
        response_model=AssignOut,
        tags=["cases"],
        responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody}},
    )
    def assign(request: Request, case_id: CaseId, body: AssignRequest, who: User) -> dict[str, Any]:
        event = service.assign(_state(request).db, who, case_id, body.district, body.police_station)
        return {"event": event.to_wire()}

    @app.get(f"{API}/cases/{{case_id}}", response_model=CaseOut, tags=["cases"], responses={404: {"model": ErrorBody}})
    def read_case(request: Request, case_id: CaseId, who: User) -> dict[str, Any]:
        return service.read_case(_state(request).db, who, case_id)

    @app.get(f"{API}/districts", response_model=list[DistrictOut], tags=["cases"])
    def districts(request: Request, who: User) -> list[dict[str, Any]]:
        return service.list_districts(_state(request).db, who)

    @app.post(f"{API}/sync/push", response_model=PushOut, tags=["sync"])
    def push(request: Request, body: PushRequest, who: User) -> Any:
        state = _state(request)
        results = service.push(state.db, who, body.device_id, body.events)
        # Built by hand (the hot path): the same shape as PushOut, which documents it.
        return JSONResponse({"epoch": _epoch(state), "server_time": _now(), "results": [r.to_wire() for r in results]})

    @app.post(f"{API}/sync/repair", response_model=PushOut, tags=["sync"])
    def sync_repair(request: Request, body: PushRequest, who: User) -> Any:
        """After an epoch change: HQ-signed events a console holds and HQ lost (hq/repair.py)."""
        state = _state(request)
        results = repair.repair(state.db, who, body.device_id, body.events)
        return {"epoch": _epoch(state), "server_time": _now(), "results": [r.to_wire() for r in results]}

    @app.get(f"{API}/sync/pull", response_model=PullOut, tags=["sync"])
    async def pull(
        request: Request,
        who: User,
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=service.MAX_PULL_LIMIT)] = 500,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0,
    ) -> Any:
        state = _state(request)
        require(who, Action.PULL)
        stream = who.stream
        deadline = time.monotonic() + wait
        while True:
            version = state.notifier.version(stream)
            page = await state.reads.read(stream, cursor, limit, version)
            remaining = deadline - time.monotonic()
            if page.items or remaining <= 0 or state.notifier.closed or await request.is_disconnected():
                break
            await state.notifier.wait(stream, version, remaining)
        row = service.pull_audit_row(who, cursor, page)
        if row is not None:
            await state.audit.record(row)
        # Built by hand (the hot path; items encoded once per shared page): the shape of PullOut.
        head = json.dumps(
            {"epoch": page.epoch, "server_time": _now(), "cursor": page.cursor, "has_more": page.has_more},
            separators=(",", ":"),
        )
        return Response(f'{head[:-1]},"items":{page.items_json}}}'.encode(), media_type="application/json")

    @app.post(f"{API}/sync/held", response_model=HeldOut, tags=["sync"])
    def held(request: Request, body: HeldRequest, who: User) -> dict[str, Any]:
        return {"verdicts": service.held_verdicts(_state(request).db, who, body.device_id, body.ids)}

    @app.get(f"{API}/review", response_model=list[ReviewItemOut], tags=["review"])
    def review_list(
        request: Request,
        who: User,
        status: Literal["held", "accepted", "rejected", "all"] = "held",
        limit: Annotated[int, Query(ge=1, le=service.REVIEW_LIST_MAX)] = 100,
    ) -> list[dict[str, Any]]:
        return service.list_review(_state(request).db, who, status=None if status == "all" else status, limit=limit)

    @app.post(
        f"{API}/review/{{event_id}}/{{verdict}}",
        response_model=ReviewItemOut,
        tags=["review"],
        responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody}},
    )
    def review_decide(
        request: Request, event_id: CaseId, verdict: Literal["accept", "reject"], body: ReviewDecisionRequest, who: User
    ) -> dict[str, Any]:
        return service.decide_review(
            _state(request).db, who, event_id, accept=verdict == "accept", reason=body.reason
        )

    @app.post(f"{API}/presence", response_model=PresenceAck, tags=["presence"])
    def presence(request: Request, body: PresenceRequest, who: User) -> dict[str, Any]:
        service.heartbeat(
            _state(request).db, who, body.device_id, body.app_version, body.pending, body.audio.model_dump(),
            disk_free_bytes=body.disk_free_bytes,
        )
        return {"server_time": _now()}

    @app.get(f"{API}/board", response_model=board.BoardOut, tags=["presence"])
    def read_board(
        request: Request,
        who: User,
        range_: Annotated[
            str | None, Query(alias="range", min_length=1, max_length=100), text_rule(free_text=False)
        ] = None,
    ) -> dict[str, Any]:
        """Every district, worst first: open cases by step, the oldest unacknowledged, consoles,
        escalations, heartbeat alerts (docs/HQ.md, "The board"). HQ accounts only."""
        return board.read_board(_state(request).db, who, range_name=range_)
    @app.get(f"{API}/reports/{{kind}}", response_model=dict[str, Any], tags=["reports"])
    def report(
        request: Request,
        kind: Literal["outcomes", "timing", "console-health", "follow-ups", "compliance", "tips"],
        who: User,
        date_from: Annotated[date, Query(alias="from")],
        date_to: Annotated[date, Query(alias="to")],
        district: ReportScope = None,
        range_: Annotated[ReportScope, Query(alias="range")] = None,
    ) -> Any:
        """A report for a period (dates in IST, both inclusive) and a scope (core/reports.py types as JSON)."""
        query = ReportQuery(date_from, date_to, district=district, range=range_)
        return JSONResponse(to_json(reports.run(_state(request).db, who, kind, query)))

    @app.post(f"{API}/reports/{{kind}}/exports", response_model=ExportAck, tags=["reports"])
    def report_export(
        request: Request,
        kind: Literal["outcomes", "timing", "console-health", "follow-ups", "compliance", "tips", "claims", "accounts"],
        who: User,
        body: ReportExportRequest,
    ) -> dict[str, Any]:
        """A console exported this report to a file: audited (``report_export``) in the caller's scope."""
        day_from, day_to = date.fromisoformat(body.date_from), date.fromisoformat(body.date_to)
        query = ReportQuery(day_from, day_to, district=body.district, range=body.range)
        reports.record_export(_state(request).db, who, kind, query, body.format, body.exported_at)
        return {"recorded": True}

    @app.get(f"{API}/presence", response_model=list[PresenceOut], tags=["presence"])
    def presence_list(request: Request, who: User) -> list[dict[str, Any]]:
        return service.list_presence(_state(request).db, who)

    complaint_routes.install(
        app,
        api=API,
        user=current_user,
        database=lambda request: _state(request).db,
        connectors=lambda request: getattr(request.app.state, "complaints", None),
    )

    @app.get(f"{API}/mailbox/health", response_model=list[MailboxHealthOut], tags=["presence"])
    def mailbox_health(request: Request, who: User) -> list[dict[str, Any]]:
        """Each mailbox HQ reads Meta's alerts from: last contact, last good fetch, last error (HQ roles)."""
        return read_health(_state(request).db, who)
    @app.get(
        f"{API}/escalation/policies/{{district}}",
        response_model=PolicyOut,
        tags=["escalation"],
        responses={404: {"model": ErrorBody}},
    )
    def escalation_policy(request: Request, district: District, who: User) -> dict[str, Any]:
        return escalation_store.get_policy(_state(request).db, who, district).to_json()

    @app.put(
        f"{API}/escalation/policies/{{district}}",
        response_model=PolicyOut,
        tags=["escalation"],
        responses={404: {"model": ErrorBody}},
    )
    def set_escalation_policy(request: Request, district: District, body: PolicyRequest, who: User) -> dict[str, Any]:
        policy = body.policy.model_dump(exclude_none=True)
        return escalation_store.set_policy(_state(request).db, who, district, policy).to_json()

    @app.get(
        f"{API}/escalation/contacts/{{district}}",
        response_model=list[DutyContactOut],
        tags=["escalation"],
        responses={404: {"model": ErrorBody}},
    )
    def escalation_contacts(request: Request, district: District, who: User) -> list[dict[str, Any]]:
        """The district's duty contacts (``*``: HQ's duty officers), read-only (HQ roles)."""
        return escalation_store.read_contacts(_state(request).db, who, district)

    @app.post(
        f"{API}/channels/receipts/{{token}}",
        response_model=ReceiptAck,
        tags=["escalation"],
        responses={404: {"model": ErrorBody}},
    )
    def channel_receipt(request: Request, token: District, body: ReceiptRequest) -> dict[str, Any]:
        """A delivery receipt from the SMS/voice gateway; the secret token in the path is its credential."""
        expected = request.app.state.receipt_token
        escalation_store.record_receipt(_state(request).db, token, expected, body.id, body.status)
        return {"recorded": True}
