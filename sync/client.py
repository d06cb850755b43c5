"""HTTP client for HQ's wire protocol (docs/PROTOCOL.md v1). No store, no threads of its own.

Rules it enforces for every caller:

* Every request has a timeout (connect, read); a long poll's read timeout adds the wait it asked for.
* TLS verification is always on; ``ca_bundle`` narrows trust to one CA (pinning HQ's issuer).
  Plain ``http://`` is refused except to loopback (127.0.0.0/8, ::1, localhost), for tests and demos.
* Replies are parsed defensively (``sync.wire``): anything off-contract raises ``ProtocolError``.
* Transport failures, 5xx, 408 and 429 raise ``HQUnreachable`` (retry); other 4xx ``HQRefused``
  (401 as ``Unauthenticated``).
* ``abort()`` (any thread) shuts the sockets of requests in flight, so a request stuck on a link that
  died (a blackhole: no reset, just silence) fails now instead of at its read timeout. The engine calls
  it when the link is known to be back or the machine woke from sleep.

Thread-safe: requests.Session is shared by the engine's threads; urllib3's pool hands each thread
its own connection.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import socket
import threading
import weakref
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from core.escalation import Policy
from core.events import Event
from core.reports import KINDS, ReportQuery
from core.settings import DEFAULTS
from core.sla import SlaPolicy
from sync import wire
from sync.errors import HQRefused, HQUnreachable, InsecureURL, ProtocolError, Unauthenticated

log = logging.getLogger(__name__)

API = "/api/v1"
PUSH_MAX_EVENTS = 500
PUSH_MAX_BYTES = 5 * 1024 * 1024
LONG_POLL_MAX_WAIT_S = 60
RETRYABLE_STATUS = frozenset({408, 425, 429})


def check_url(url: str) -> str:
    """Return the URL without a trailing slash, or raise InsecureURL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureURL(f"HQ address {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureURL(f"HQ address {url!r} uses plain http; use https (plain http only to this machine)")
    if parts.query or parts.fragment:
        raise InsecureURL(f"HQ address {url!r} must not carry a query or fragment")
    return url.strip().rstrip("/")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _socket_options() -> list[tuple[int, int, int]]:
    """TCP keepalive, so the kernel notices a peer that vanished under a long poll (a NAT entry that
    expired, a radio link that dropped) in about 25 s instead of never."""
    options = list(HTTPConnection.default_socket_options)
    options.append((socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1))
    for name, value in (("TCP_KEEPIDLE", 10), ("TCP_KEEPINTVL", 5), ("TCP_KEEPCNT", 3)):
        if hasattr(socket, name):
            options.append((socket.IPPROTO_TCP, getattr(socket, name), value))
    return options


class _AbortableAdapter(HTTPAdapter):
    """An adapter whose connections register themselves so ``abort_all`` can shut them from any thread."""

    def __init__(self) -> None:
        self._live: weakref.WeakSet[HTTPConnection] = weakref.WeakSet()
        self._live_lock = threading.Lock()
        super().__init__(pool_connections=4, pool_maxsize=8, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["socket_options"] = _socket_options()
        super().init_poolmanager(*args, **kwargs)
        live, lock = self._live, self._live_lock

        class Conn(HTTPConnection):
            def connect(self) -> None:
                super().connect()
                with lock:
                    live.add(self)

        class TLSConn(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                with lock:
                    live.add(self)

        class Pool(HTTPConnectionPool):
            ConnectionCls = Conn

        class TLSPool(HTTPSConnectionPool):
            ConnectionCls = TLSConn

        self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TLSPool}

    def abort_all(self) -> int:
        with self._live_lock:
            conns = list(self._live)
        n = 0
        for conn in conns:
            sock = getattr(conn, "sock", None)
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
                n += 1
            except OSError:
                pass
        return n


class HQClient:
    """One HQ, one requests.Session. Methods that need a login take the access token explicitly;
    ``sync.session.Session`` supplies and refreshes it."""

    def __init__(self, base_url: str, *, ca_bundle: str | None = None, timeout_s: float = DEFAULTS.http_timeout_s):
        self.base_url = check_url(base_url)
        self.timeout_s = float(timeout_s)
        self._http = requests.Session()
        self._http.trust_env = False  # no proxies or netrc from the environment: the path to HQ is explicit
        self._http.verify = ca_bundle or True
        self._http.headers["User-Agent"] = "rakshak-client/1"
        self._adapter = _AbortableAdapter()
        self._http.mount("http://", self._adapter)
        self._http.mount("https://", self._adapter)

    # -- plumbing ---------------------------------------------------------------------------------

    def abort(self) -> int:
        """Shut every open connection (in-flight requests then fail at once). Returns how many."""
        return self._adapter.abort_all()

    def close(self) -> None:
        self.abort()
        self._http.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        params: dict[str, Any] | None = None,
        read_timeout_s: float | None = None,
        timeout: tuple[float, float] | None = None,
        close: bool = False,
        raw: bool = False,
    ) -> Any:
        headers = {"Accept": "application/json"}
        if close:
            headers["Connection"] = "close"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        if timeout is None:
            timeout = (self.timeout_s, read_timeout_s if read_timeout_s is not None else self.timeout_s)
        try:
            resp = self._http.request(
                method, self.base_url + API + path, data=data, params=params, headers=headers, timeout=timeout,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise HQUnreachable(f"TLS failure talking to HQ: {exc}") from exc
        except requests.exceptions.Timeout as exc:
            raise HQUnreachable(f"HQ did not answer in time ({exc.__class__.__name__})") from exc
        except requests.exceptions.RequestException as exc:
            raise HQUnreachable(f"cannot reach HQ: {exc.__class__.__name__}") from exc
        try:
            try:
                if raw and 200 <= resp.status_code < 300:
                    return resp.content
                payload = resp.json() if resp.content else None
            except ValueError:
                payload = None
                if 200 <= resp.status_code < 300:
                    raise ProtocolError(f"HQ's reply to {method} {path} is not JSON") from None
            except requests.exceptions.RequestException as exc:  # body cut off mid-read
                raise HQUnreachable(f"HQ's reply was cut off: {exc.__class__.__name__}") from exc
        finally:
            resp.close()
        status = resp.status_code
        if 200 <= status < 300:
            return payload
        code, detail = wire.parse_error_body(payload)
        if status >= 500 or status in RETRYABLE_STATUS:
            raise HQUnreachable(f"HQ is not able to answer ({status}): {detail}")
        if status == 401:
            raise Unauthenticated(status, code, detail)
        if 300 <= status < 400:
            raise ProtocolError(f"HQ redirected {method} {path} ({status}); redirects are not followed")
        raise HQRefused(status, code, detail)

    # -- endpoints --------------------------------------------------------------------------------

    def health(self, *, timeout: tuple[float, float] | None = None, fresh_connection: bool = False) -> wire.Health:
        """``fresh_connection``: ask HQ to close the connection after the reply, leaving none pooled."""
        return wire.parse_health(self._request("GET", "/health", timeout=timeout, close=fresh_connection))

    def login(self, username: str, password: str, device_id: str, device_name: str) -> wire.Tokens:
        """Sign in. Tried once more when the first attempt went out on a pooled connection that HQ (or a
        link that was down) had already closed: the operator signing in after an outage must not be told
        "cannot reach HQ" for a socket that died while idle. A second sign-in at worst adds a session."""
        body = {"username": username, "password": password, "device_id": device_id, "device_name": device_name}
        try:
            return wire.parse_tokens(self._request("POST", "/auth/login", body=body))
        except HQUnreachable as exc:
            if not _closed_while_idle(exc):
                raise
            log.info("login went out on a connection closed while idle; trying once more")
            return wire.parse_tokens(self._request("POST", "/auth/login", body=body))

    def refresh(self, refresh_token: str, device_id: str) -> wire.Tokens:
        body = {"refresh_token": refresh_token, "device_id": device_id}
        return wire.parse_tokens(self._request("POST", "/auth/refresh", body=body))

    def push(self, token: str, device_id: str, events: Sequence[Event]) -> wire.PushReply:
        if not events:
            raise ValueError("push needs at least one event")
        if len(events) > PUSH_MAX_EVENTS:
            raise ValueError(f"push takes at most {PUSH_MAX_EVENTS} events")
        body = {"device_id": device_id, "events": [e.to_wire(include_seq=False) for e in events]}
        return wire.parse_push(self._request("POST", "/sync/push", token=token, body=body), events)

    def repair(self, token: str, device_id: str, events: Sequence[Event]) -> wire.PushReply:
        """``POST /sync/repair``: hand HQ's own signed events back to an HQ restored from a backup
        (sync/repair.py). The reply has the push reply's shape, one result per event."""
        if not events or len(events) > PUSH_MAX_EVENTS:
            raise ValueError(f"repair takes 1 to {PUSH_MAX_EVENTS} events")
        wire_events = [e.to_wire(include_seq=False) | {"signature": e.signature} for e in events]
        body = {"device_id": device_id, "events": wire_events}
        return wire.parse_push(self._request("POST", "/sync/repair", token=token, body=body), events)

    def pull(self, token: str, cursor: int, *, limit: int = 500, wait_s: float = 0) -> wire.PullReply:
        return wire.parse_pull_body(self.pull_raw(token, cursor, limit=limit, wait_s=wait_s))

    def pull_raw(self, token: str, cursor: int, *, limit: int = 500, wait_s: float = 0) -> bytes:
        """The pull reply's body as received, neither decoded nor checked: the caller must pass it to
        ``wire.parse_pull_body`` before using any of it (the catch-up pipeline does that on its apply
        thread, so the thread that waits on HQ does almost no Python work)."""
        wait = max(0, min(int(wait_s), LONG_POLL_MAX_WAIT_S))
        params = {"cursor": cursor, "limit": limit, "wait": wait}
        body: bytes = self._request(
            "GET", "/sync/pull", token=token, params=params, read_timeout_s=self.timeout_s + wait, raw=True
        )
        return body

    def districts(self, token: str) -> list[dict[str, Any]]:
        """``GET /districts``: the districts this user may see, with their police stations (code and name)."""
        reply = self._request("GET", "/districts", token=token)
        if not isinstance(reply, list):
            raise ProtocolError("HQ's reply to GET /districts is not a list")
        return [d for d in reply if isinstance(d, dict)]

    def held_verdicts(self, token: str, device_id: str, event_ids: Sequence[str]) -> list[wire.Verdict]:
        """HQ's verdicts on events of this device it holds for review (``POST /sync/held``)."""
        if not event_ids or len(event_ids) > PUSH_MAX_EVENTS:
            raise ValueError(f"ask about 1 to {PUSH_MAX_EVENTS} held events at a time")
        body = {"device_id": device_id, "ids": list(event_ids)}
        return wire.parse_verdicts(self._request("POST", "/sync/held", token=token, body=body), event_ids)

    def report(self, token: str, kind: str, query: ReportQuery) -> Any:
        """``GET /reports/{kind}`` (``kind``: one of ``core.reports.KINDS``): the report for ``query``
        as HQ computes it over the whole state's data (``source=HQ``), in this user's scope."""
        if kind not in KINDS:
            raise ValueError(f"unknown report {kind!r}")
        params: dict[str, Any] = {"from": query.date_from.isoformat(), "to": query.date_to.isoformat()}
        if query.district is not None:
            params["district"] = query.district
        if query.range is not None:
            params["range"] = query.range
        return wire.parse_report(kind, self._request("GET", f"/reports/{kind}", token=token, params=params))

    def call_json(
        self, method: str, path: str, *, token: str, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        """An authenticated JSON call to one of HQ's endpoints (``path`` under ``/api/v1``), with the
        client's timeouts, abort and error mapping, for areas whose replies their callers parse
        (the claims and the register: ``ui/operations/claims.py``)."""
        return self._request(method, path, token=token, params=params, body=body)

    def report_export(self, token: str, kind: str, query: ReportQuery, fmt: str, exported_at: str) -> None:
        """``POST /reports/{kind}/exports``: tell HQ's audit this user exported the report to a file."""
        if kind not in (*KINDS, "claims", "accounts"):
            raise ValueError(f"unknown report {kind!r}")
        body: dict[str, Any] = {
            "from": query.date_from.isoformat(),
            "to": query.date_to.isoformat(),
            "format": fmt,
            "exported_at": exported_at,
        }
        if query.district is not None:
            body["district"] = query.district
        if query.range is not None:
            body["range"] = query.range
        self._request("POST", f"/reports/{kind}/exports", token=token, body=body)

    def presence(
        self,
        token: str,
        device_id: str,
        app_version: str,
        pending: int,
        audio: dict[str, Any],
        *,
        disk_free_bytes: int | None = None,
    ) -> wire.datetime:
        body: dict[str, Any] = {"device_id": device_id, "app_version": app_version, "pending": pending, "audio": audio}
        if disk_free_bytes is not None:
            body["disk_free_bytes"] = disk_free_bytes
        return wire.parse_presence(self._request("POST", "/presence", token=token, body=body))

    def board(self, token: str, range: str | None = None) -> wire.Board:
        """``GET /board``: every district, worst first (HQ accounts only; a district account gets
        ``HQRefused`` 403). ``range`` keeps the districts of one police range."""
        params = {"range": range} if range else None
        return wire.parse_board(self._request("GET", "/board", token=token, params=params))

    def escalation_policy(self, token: str, district: str) -> wire.EscalationPolicy:
        """``GET /escalation/policies/{district}`` (``*``: the state-wide default): the policy that
        governs it, its own or inherited (HQ roles)."""
        return wire.parse_policy(self._request("GET", f"/escalation/policies/{quote(district, safe='')}", token=token))

    def duty_contacts(self, token: str, district: str) -> list[wire.DutyContact]:
        """``GET /escalation/contacts/{district}`` (``*``: HQ's duty officers), HQ roles."""
        path = f"/escalation/contacts/{quote(district, safe='')}"
        return wire.parse_contacts(self._request("GET", path, token=token))

    def set_escalation_policy(self, token: str, district: str, policy: Policy) -> wire.EscalationPolicy:
        """``PUT /escalation/policies/{district}``: store a policy (admins only; others get
        ``HQRefused`` 403, a policy HQ finds wrong 422). Running escalations keep their snapshot."""
        body = {"policy": policy.to_json()}
        path = f"/escalation/policies/{quote(district, safe='')}"
        return wire.parse_policy(self._request("PUT", path, token=token, body=body))

    def ask_tipster(self, token: str, case_id: str, text: str) -> Event:
        """``POST /tips/{case_id}/questions``: an officer's question to a tip's tipster (HQ and district
        operators in the tip's scope; a supervisor gets ``HQRefused`` 403, a tip out of scope 404, a
        tipster whose sealed number was destroyed 409). Returns the ``tip_question`` event HQ stored;
        the tipster's answer comes later as a ``tip_answer`` event in the feed."""
        reply = self._request("POST", f"/tips/{quote(case_id, safe='')}/questions", token=token, body={"text": text})
        if not isinstance(reply, dict) or not isinstance(reply.get("event"), dict):
            raise ProtocolError("HQ's reply to a tip question carries no event")
        try:
            return Event.from_wire(reply["event"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ProtocolError(f"HQ's tip question event is malformed: {exc}") from exc

    def tip_media(self, token: str, media_id: str) -> bytes:
        """``GET /tips/media/{media_id}``: the police copy of a tip's photo, voice note or video (metadata
        removed; the sealed original never leaves HQ). Out of scope: ``HQRefused`` 404."""
        data = self._request("GET", f"/tips/media/{quote(media_id, safe='')}", token=token, raw=True)
        if not isinstance(data, bytes):
            raise ProtocolError("HQ's tip media reply is not a file")
        return data

    # -- complaints: replies, canned replies, the clock's policy (docs/COMPLAINTS.md)----------------------------
    def complaint_reply(self, token: str, case_id: str, text: str, needs_approval: bool) -> dict[str, Any]:
        """``POST /complaints/{case_id}/replies``: draft a reply (HQ operators); returns the reply's row
        (``reply_id``, ``status``). HQ keeps no client key for it: a caller that lost the answer must
        look for its reply in the case's events before sending it again."""
        path = f"/complaints/{quote(case_id, safe='')}/replies"
        return self._json_object(self._request("POST", path, token=token,
                                               body={"text": text, "needs_approval": needs_approval}))

    def publish_reply(self, token: str, case_id: str, reply_id: str) -> dict[str, Any]:
        """``POST /complaints/{case_id}/replies/{reply_id}/publish``: one attempt now; the reply's row."""
        path = f"/complaints/{quote(case_id, safe='')}/replies/{quote(reply_id, safe='')}/publish"
        return self._json_object(self._request("POST", path, token=token))

    def approve_reply(self, token: str, case_id: str, reply_id: str) -> dict[str, Any]:
        """``POST …/replies/{reply_id}/approve``: a supervisor's second pair of eyes (never the reply's
        author: ``HQRefused`` 403 with HQ's reason)."""
        path = f"/complaints/{quote(case_id, safe='')}/replies/{quote(reply_id, safe='')}/approve"
        return self._json_object(self._request("POST", path, token=token))

    def canned_replies(self, token: str, *, include_retired: bool = False) -> list[dict[str, Any]]:
        """``GET /complaints/canned``: the canned bilingual replies (HQ roles)."""
        params = {"include_retired": "true"} if include_retired else None
        reply = self._request("GET", "/complaints/canned", token=token, params=params)
        if not isinstance(reply, list) or not all(isinstance(r, dict) for r in reply):
            raise ProtocolError("HQ's canned replies are not a list of objects")
        return reply

    def put_canned_reply(self, token: str, canned_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """``PUT /complaints/canned/{id}``: create or change one (supervisors and admins)."""
        path = f"/complaints/canned/{quote(canned_id, safe='')}"
        return self._json_object(self._request("PUT", path, token=token, body=body))

    def complaint_policy(self, token: str) -> SlaPolicy:
        """``GET /complaints/policy``: the complaint clock's policy HQ's sweep uses (HQ roles and district
        operators). A reply off the contract raises ``ProtocolError``."""
        return wire.parse_sla_policy(self._request("GET", "/complaints/policy", token=token))

    @staticmethod
    def _json_object(reply: Any) -> dict[str, Any]:
        if not isinstance(reply, dict):
            raise ProtocolError("HQ's reply is not a JSON object")
        return reply


__all__ = ["PUSH_MAX_BYTES", "PUSH_MAX_EVENTS", "HQClient", "ProtocolError", "check_url", "is_loopback"]


def _closed_while_idle(exc: BaseException) -> bool:
    """The request failed because the connection closed with no reply at all (the typical end of a
    keep-alive connection that died in the pool), not because HQ answered or timed out."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        cur = todo.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
            return True
        todo += [e for e in (cur.__cause__, cur.__context__, *cur.args) if isinstance(e, BaseException)]
    return False
