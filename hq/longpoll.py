"""Serving many held pulls cheaply: shared page reads and group-committed audit rows.

When an alert commits, every console of the district wakes at once, all at the same cursor. Rather
than run the same feed query once per console, ``SharedReads`` runs it once per (stream, cursor,
limit) and hands the result to everyone asking at that moment. Correctness rule: a caller joins a
read in flight only if it started at the caller's notifier version, so no caller is handed a read
that began before a commit the caller has already been told about.

Every delivered page must be audited before the reply leaves (it shows personal details).
``AuditBatcher`` collects those rows and writes them in one transaction per batch; each pull awaits
its own row's commit.

Both live on the server's event loop; the blocking work runs on the threadpool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import anyio

from hq.audit import write_audit_rows
from hq.db import Database
from hq.reads import Page, read_stream


class SharedReads:
    def __init__(self, db: Database):
        self.db = db
        self._flights: dict[tuple[str, int, int, int], asyncio.Future[Page]] = {}

    async def read(self, stream: str, cursor: int, limit: int, version: int) -> Page:
        key = (stream, cursor, limit, version)
        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.get_running_loop().create_future()
            self._flights[key] = flight
            try:
                page = await anyio.to_thread.run_sync(read_stream, self.db, stream, cursor, limit)
            except BaseException as exc:
                if not flight.done():
                    flight.set_exception(exc if isinstance(exc, Exception) else RuntimeError("read cancelled"))
                    flight.exception()  # mark retrieved: the original caller re-raises below
                raise
            else:
                flight.set_result(page)
            finally:
                if self._flights.get(key) is flight:
                    del self._flights[key]
            return page
        return await asyncio.shield(flight)


class AuditBatcher:
    """Group commit for audit rows written on hot read paths."""

    def __init__(self, db: Database):
        self.db = db
        self._pending: list[tuple[Mapping[str, Any], asyncio.Future[None]]] = []
        self._flushing = False

    async def record(self, row: Mapping[str, Any]) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row, fut))
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().create_task(self._flush())
        await asyncio.shield(fut)

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    await anyio.to_thread.run_sync(write_audit_rows, self.db, [row for row, _ in batch])
                except Exception as exc:
                    for _, fut in batch:
                        if not fut.done():
                            fut.set_exception(exc)
                else:
                    for _, fut in batch:
                        if not fut.done():
                            fut.set_result(None)
        finally:
            self._flushing = False
