"""The request body limit, applied before anything parses a body (docs/HQ.md, "Bad input")."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413, whether or not Content-Length is declared, and JSON
    bodies that are not Unicode text (a lone surrogate escape such as ``"\\ud800"``) with 422.

    A lone surrogate is refused here, for the whole body, because no part of HQ can carry it: no
    UTF-8 encoder (database, log, JSON reply) takes it, and any reply that quoted the bad value back
    would fail too. No Rakshak client can send one (its own store could not hold it).
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes or declared < 0:
                    await send_error(send, 413, "too_large", f"the request body is larger than {self.max_bytes} bytes")
                    return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        # Read the whole body first (it is at most max_bytes), so an over-long chunked body is refused
        # before any parser sees it, then hand the buffered body on.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            seen += len(body)
            if seen > self.max_bytes:
                await send_error(send, 413, "too_large", f"the request body is larger than {self.max_bytes} bytes")
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        where = _lone_surrogate(whole)
        if where is not None:
            await send_error(send, 422, "invalid", f"{where}: is not valid Unicode text (a lone UTF-16 surrogate)")
            return
        buffered: Message | None = {"type": "http.request", "body": whole, "more_body": False}

        async def replay() -> Message:
            nonlocal buffered
            if buffered is not None:
                message, buffered = buffered, None
                return message
            return await receive()

        await self.app(scope, replay, send)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(body: bytes) -> str | None:
    """Where in this JSON body a text holds a lone surrogate (``body.events[0].payload.note``), or None.

    Fast path: a body with no ``\\uD8..``-``\\uDF..`` escape has none (raw UTF-8 cannot encode one).
    Otherwise the body is parsed (a valid pair decodes to one character; what is left is lone) and
    walked without recursion. A body that is not JSON is left to the route to refuse.
    """
    if _SURROGATE_ESCAPE.search(body) is None:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[Any, str]] = [(data, "body")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return where
        elif isinstance(item, dict):
            for key, sub in item.items():
                if _SURROGATE.search(key):
                    return f"{where} (a field name)"
                stack.append((sub, f"{where}.{key}"))
        elif isinstance(item, list):
            stack.extend((sub, f"{where}[{i}]") for i, sub in enumerate(item))
    return None


async def send_error(send: Send, status: int, code: str, detail: str) -> None:
    response = JSONResponse({"detail": detail, "code": code}, status_code=status)
    body = response.body
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": body})
