"""Rakshak HQ: the state police headquarters service (FastAPI + uvicorn).

HQ receives alerts (intake), routes each case to a district control room, and relays every case's
event log between HQ and the district workstations (push/pull, docs/PROTOCOL.md). It reuses
``core`` for event validation and case state, so "valid" and "status" mean the same on both sides.
Design: docs/HQ.md. Operations: docs/DEPLOY.md.
"""
