"""Claims at HQ: create, change, rebut, list, read; the matcher's suggestions and their verdicts.

Every change is written with its history row and audit row in one transaction
(``hq.claims.common.record_change``). Plain ``def`` functions: they block, so the API runs them on
its threadpool.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
import weakref
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, func, select, update

from core.claims import ClaimMatcher, ClaimStatus, Suggestion, SuggestionStatus, claim_problem, image_hash, sha256_hex
from core.events import iso
from hq.audit import write_audit
from hq.claims.common import history, now, record_change, require_read, require_write
from hq.db import Database
from hq.errors import Conflict, Forbidden, Invalid, NotFound
from hq.principals import Principal
from hq.schema import claim_districts, claim_rebuttals, claim_suggestions, claims

LIST_MAX = 1000
EDITABLE = ("text", "official_version", "status", "platforms", "links", "media", "districts")

_matchers: weakref.WeakKeyDictionary[Database, tuple[tuple[Any, ...], ClaimMatcher]] = weakref.WeakKeyDictionary()
_matcher_lock = threading.Lock()


def _matcher(db: Database) -> ClaimMatcher:
    """The claims' matcher, brought up to date with claims added or changed since (by any HQ
    process): built whole the first time, then only the claims whose ``updated_at`` is at or after
    the newest one it has seen are read again (a closed claim leaves it)."""
    with db.reader() as conn:
        stamp = tuple(conn.execute(select(func.count(), func.max(claims.c.updated_at)).select_from(claims)).one())
    with _matcher_lock:
        cached = _matchers.get(db)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        matcher = cached[1] if cached is not None else ClaimMatcher()
        q = select(claims.c.id, claims.c.text, claims.c.media, claims.c.status)
        if cached is not None and cached[0][1] is not None:
            q = q.where(claims.c.updated_at >= cached[0][1])
        with db.reader() as conn:
            for row in conn.execute(q):
                if row.status == ClaimStatus.CLOSED:
                    matcher.drop(row.id)
                else:
                    matcher.put(row.id, row.text, (m.get("phash") for m in json.loads(row.media)))
        _matchers[db] = (stamp, matcher)
        return matcher


def suggest_claims(db: Database, text: str, image_bytes: bytes | None = None) -> list[Suggestion]:
    """Open claims (investigating or rebutted) an incoming post may be about, best first. Stores
    nothing: ``propose`` records them for an operator to confirm or dismiss."""
    matcher = _matcher(db)
    with _matcher_lock:
        return matcher.suggest(text, image_bytes)


def _with_hashes(media: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Media as stored: link, SHA-256 and perceptual hash. An item sent with its image
    (``image_b64``) gets both hashes computed here; the image itself is not kept."""
    out = []
    for m in media:
        item = {"sha256": m.get("sha256"), "link": m.get("link"), "phash": m.get("phash")}
        data = m.get("image_b64")
        if data:
            try:
                raw = base64.b64decode(data, validate=True)
            except ValueError:
                raise Invalid("media.image_b64 is not base64") from None
            item["sha256"] = sha256_hex(raw)
            item["phash"] = hash_image(raw)
        out.append(item)
    return out


def _row(conn: Connection, claim_id: str) -> Any:
    row = conn.execute(select(claims).where(claims.c.id == claim_id)).first()
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    return row


def _districts(conn: Connection, claim_id: str) -> list[str]:
    return sorted(
        conn.execute(select(claim_districts.c.district).where(claim_districts.c.claim_id == claim_id)).scalars()
    )


def _check_scope(district: str | None, districts: list[str]) -> None:
    if district is not None and district not in districts:
        raise NotFound("no such claim in your district")


def create_claim(db: Database, p: Principal, body: dict[str, Any]) -> dict[str, Any]:
    require_write(p)
    status = ClaimStatus(body.get("status", ClaimStatus.INVESTIGATING))
    if status is not ClaimStatus.INVESTIGATING:
        raise Invalid("a new claim starts as investigating")
    claim_id = str(uuid.uuid4())
    at = now()
    values = {
        "id": claim_id,
        "text": body["text"],
        "official_version": body.get("official_version", ""),
        "status": status.value,
        "platforms": json.dumps(sorted(set(body.get("platforms", [])))),
        "links": json.dumps(body.get("links", []), ensure_ascii=False),
        "media": json.dumps(_with_hashes(body.get("media", [])), ensure_ascii=False),
        "created_at": at,
        "created_by": p.actor,
        "updated_at": at,
        "rebutted_at": None,
    }
    with db.transaction() as conn:
        conn.execute(claims.insert().values(**values))
        for d in sorted(set(body.get("districts", []))):
            conn.execute(claim_districts.insert().values(claim_id=claim_id, district=d))
        record_change(conn, p, "claim", claim_id, "claim_create", {"created": {"text": body["text"]}})
    return read_claim(db, p, claim_id)


def update_claim(db: Database, p: Principal, claim_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change the given fields; a change to *rebutted* needs the official version and a rebuttal."""
    require_write(p)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(f"cannot change {', '.join(sorted(unknown))}")
    with db.transaction() as conn:
        row = _row(conn, claim_id)
        before: dict[str, Any] = {
            "text": row.text,
            "official_version": row.official_version,
            "status": row.status,
            "platforms": json.loads(row.platforms),
            "links": json.loads(row.links),
            "media": json.loads(row.media),
            "districts": _districts(conn, claim_id),
        }
        after = dict(before)
        after.update(changes)
        if "media" in changes:
            after["media"] = _with_hashes(changes["media"])
        if "platforms" in changes:
            after["platforms"] = sorted(set(changes["platforms"]))
        if "districts" in changes:
            after["districts"] = sorted(set(changes["districts"]))
        status = ClaimStatus(after["status"])
        rebuttals = conn.execute(
            select(func.count()).select_from(claim_rebuttals).where(claim_rebuttals.c.claim_id == claim_id)
        ).scalar_one()
        problem = claim_problem(status, after["official_version"], rebuttals)
        if problem is not None:
            raise Conflict(problem)
        diff = {k: [before[k], after[k]] for k in EDITABLE if before[k] != after[k]}
        if not diff:
            return read_claim(db, p, claim_id)
        at = now()
        values: dict[str, Any] = {"updated_at": at}
        for k in ("text", "official_version", "status"):
            values[k] = after[k]
        for k in ("platforms", "links", "media"):
            values[k] = json.dumps(after[k], ensure_ascii=False)
        if status is ClaimStatus.REBUTTED and row.rebutted_at is None:
            values["rebutted_at"] = at
        conn.execute(update(claims).where(claims.c.id == claim_id).values(**values))
        if "districts" in diff:
            conn.execute(claim_districts.delete().where(claim_districts.c.claim_id == claim_id))
            for d in after["districts"]:
                conn.execute(claim_districts.insert().values(claim_id=claim_id, district=d))
        record_change(conn, p, "claim", claim_id, "claim_update", diff)
    return read_claim(db, p, claim_id)


def add_rebuttal(
    db: Database, p: Principal, claim_id: str, platform: str, link: str, published_at: str
) -> dict[str, Any]:
    require_write(p)
    published_at = iso(datetime.fromisoformat(published_at))  # canonical UTC text, as every stored time
    with db.transaction() as conn:
        _row(conn, claim_id)
        at = now()
        conn.execute(
            claim_rebuttals.insert().values(
                claim_id=claim_id,
                platform=platform,
                link=link,
                published_at=published_at,
                added_by=p.actor,
                added_at=at,
            )
        )
        conn.execute(update(claims).where(claims.c.id == claim_id).values(updated_at=at))
        record_change(
            conn,
            p,
            "claim",
            claim_id,
            "claim_rebuttal",
            {"rebuttal": {"platform": platform, "link": link, "published_at": published_at}},
        )
    return read_claim(db, p, claim_id)


def list_claims(db: Database, p: Principal, status: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Claims newest first, each with its counts (rebuttals, suggestions to decide, confirmed posts)."""
    district = require_read(p)
    reb = select(claim_rebuttals.c.claim_id, func.count().label("n")).group_by(claim_rebuttals.c.claim_id).subquery()
    sug = (
        select(
            claim_suggestions.c.claim_id,
            func.sum((claim_suggestions.c.status == SuggestionStatus.SUGGESTED.value).cast(Integer())).label("pending"),
            func.sum((claim_suggestions.c.status == SuggestionStatus.CONFIRMED.value).cast(Integer())).label(
                "confirmed"
            ),
        )
        .group_by(claim_suggestions.c.claim_id)
        .subquery()
    )
    q = (
        select(claims, reb.c.n, sug.c.pending, sug.c.confirmed)
        .outerjoin(reb, reb.c.claim_id == claims.c.id)
        .outerjoin(sug, sug.c.claim_id == claims.c.id)
        .order_by(claims.c.created_at.desc(), claims.c.id)
        .limit(min(limit, LIST_MAX))
    )
    if status is not None:
        q = q.where(claims.c.status == status)
    if district is not None:
        q = q.where(claims.c.id.in_(select(claim_districts.c.claim_id).where(claim_districts.c.district == district)))
    with db.reader() as conn:
        rows = conn.execute(q).all()
        spread: dict[str, list[str]] = {}
        ids = [r.id for r in rows]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            for d in conn.execute(
                select(claim_districts).where(claim_districts.c.claim_id.in_(part)).order_by(claim_districts.c.district)
            ):
                spread.setdefault(d.claim_id, []).append(d.district)
        out = []
        for r in rows:
            out.append(
                {
                    "id": r.id,
                    "text": r.text,
                    "status": r.status,
                    "platforms": json.loads(r.platforms),
                    "districts": spread.get(r.id, []),
                    "created_at": r.created_at,
                    "updated_at": r.updated_at,
                    "rebutted_at": r.rebutted_at,
                    "rebuttals": int(r.n or 0),
                    "suggested": int(r.pending or 0),
                    "confirmed": int(r.confirmed or 0),
                }
            )
    return out


def read_claim(db: Database, p: Principal, claim_id: str) -> dict[str, Any]:
    district = require_read(p)
    with db.reader() as conn:
        row = _row(conn, claim_id)
        districts = _districts(conn, claim_id)
        _check_scope(district, districts)
        rebuttals = conn.execute(
            select(claim_rebuttals)
            .where(claim_rebuttals.c.claim_id == claim_id)
            .order_by(claim_rebuttals.c.published_at)
        ).all()
        suggestions = conn.execute(
            select(claim_suggestions)
            .where(claim_suggestions.c.claim_id == claim_id)
            .order_by(claim_suggestions.c.created_at.desc(), claim_suggestions.c.id)
        ).all()
        changes = history(conn, "claim", claim_id)
    return {
        "id": row.id,
        "text": row.text,
        "official_version": row.official_version,
        "status": row.status,
        "platforms": json.loads(row.platforms),
        "links": json.loads(row.links),
        "media": json.loads(row.media),
        "districts": districts,
        "created_at": row.created_at,
        "created_by": row.created_by,
        "updated_at": row.updated_at,
        "rebutted_at": row.rebutted_at,
        "rebuttals": [
            {"platform": r.platform, "link": r.link, "published_at": r.published_at, "added_by": r.added_by}
            for r in rebuttals
        ],
        "suggestions": [_suggestion_out(s) for s in suggestions],
        "history": changes,
    }


def _suggestion_out(s: Any) -> dict[str, Any]:
    return {
        "id": int(s.id),
        "claim_id": s.claim_id,
        "post_ref": s.post_ref,
        "post_text": s.post_text,
        "post_link": s.post_link,
        "kind": s.kind,
        "score": s.score / 1000,
        "status": s.status,
        "created_at": s.created_at,
        "decided_by": s.decided_by,
        "decided_at": s.decided_at,
    }


def propose(
    db: Database, p: Principal, post_ref: str, text: str, image_bytes: bytes | None = None, link: str | None = None
) -> list[dict[str, Any]]:
    """Record, for an operator to decide, the claims an incoming post may be about. A post already
    proposed for a claim is not proposed again (the earlier verdict stands)."""
    require_write(p)
    found = suggest_claims(db, text, image_bytes)
    out = []
    with db.transaction() as conn:
        for s in found:
            existing = conn.execute(
                select(claim_suggestions).where(
                    claim_suggestions.c.claim_id == s.claim_id, claim_suggestions.c.post_ref == post_ref
                )
            ).first()
            if existing is None:
                conn.execute(
                    claim_suggestions.insert().values(
                        claim_id=s.claim_id,
                        post_ref=post_ref,
                        post_text=text,
                        post_link=link,
                        kind=s.kind,
                        score=round(s.score * 1000),
                        image_hash=s.image_hash,
                        status=SuggestionStatus.SUGGESTED.value,
                        created_at=now(),
                    )
                )
                existing = conn.execute(
                    select(claim_suggestions).where(
                        claim_suggestions.c.claim_id == s.claim_id, claim_suggestions.c.post_ref == post_ref
                    )
                ).one()
            out.append(_suggestion_out(existing))
        if out:
            write_audit(
                conn, p, "claim_suggest", "ok", detail={"post_ref": post_ref, "claims": [s["claim_id"] for s in out]}
            )
    return out


def decide_suggestion(db: Database, p: Principal, claim_id: str, suggestion_id: int, confirm: bool) -> dict[str, Any]:
    require_write(p)
    verdict = SuggestionStatus.CONFIRMED if confirm else SuggestionStatus.DISMISSED
    with db.transaction() as conn:
        row = conn.execute(
            select(claim_suggestions).where(
                claim_suggestions.c.id == suggestion_id, claim_suggestions.c.claim_id == claim_id
            )
        ).first()
        if row is None:
            raise NotFound(f"no suggestion {suggestion_id} on claim {claim_id}")
        if row.status != SuggestionStatus.SUGGESTED:
            raise Conflict(f"this suggestion was already {row.status}")
        at = now()
        conn.execute(
            update(claim_suggestions)
            .where(claim_suggestions.c.id == suggestion_id)
            .values(status=verdict.value, decided_by=p.actor, decided_at=at)
        )
        conn.execute(update(claims).where(claims.c.id == claim_id).values(updated_at=at))
        record_change(
            conn,
            p,
            "claim",
            claim_id,
            f"claim_suggestion_{verdict.value}",
            {"suggestion": {"id": suggestion_id, "post_ref": row.post_ref, "status": verdict.value}},
        )
    return read_claim(db, p, claim_id)


def hash_image(data: bytes) -> str:
    """The perceptual hash of an uploaded image, or ``Invalid`` if it is not one."""
    try:
        return image_hash(data)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


__all__ = [
    "Forbidden",
    "add_rebuttal",
    "create_claim",
    "decide_suggestion",
    "hash_image",
    "list_claims",
    "propose",
    "read_claim",
    "suggest_claims",
    "update_claim",
]
