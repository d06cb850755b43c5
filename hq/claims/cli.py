"""``python -m hq claims ...`` and ``python -m hq accounts ...``: the register from scripts.

Every command acts as an HQ user named by ``--by`` (their role decides what they may do, as on the
API); the audit row names that user. Output is JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.accounts import ActionKind
from core.claims import ClaimStatus
from hq.errors import HQError

# Only the parser is built at import (for --help); the database layer is imported by ``run``.


def add_commands(sub: Any, add_db_args: Callable[[argparse.ArgumentParser], None]) -> None:
    claims = sub.add_parser("claims", help="misinformation claims (docs/CLAIMS.md)")
    add_db_args(claims)
    csub = claims.add_subparsers(dest="claims_command", required=True)
    p = csub.add_parser("list")
    p.add_argument("--status", choices=[str(s) for s in ClaimStatus])
    p.add_argument("--limit", type=int, default=200)
    csub.add_parser("show").add_argument("claim_id")
    p = csub.add_parser("add")
    p.add_argument("--text", required=True)
    p.add_argument("--official-version", default="")
    p.add_argument("--platform", action="append", default=[])
    p.add_argument("--district", action="append", default=[])
    p.add_argument("--link", action="append", default=[])
    p.add_argument("--image", type=Path, action="append", default=[], help="an image file of the rumour")
    p = csub.add_parser("rebut", help="record a published rebuttal")
    p.add_argument("claim_id")
    p.add_argument("--platform", required=True)
    p.add_argument("--link", required=True)
    p.add_argument("--published-at", required=True)
    p = csub.add_parser("status")
    p.add_argument("claim_id")
    p.add_argument("status", choices=[str(s) for s in ClaimStatus])

    accounts = sub.add_parser("accounts", help="the suspicious-accounts register (docs/CLAIMS.md)")
    add_db_args(accounts)
    asub = accounts.add_subparsers(dest="accounts_command", required=True)
    p = asub.add_parser("list")
    p.add_argument("--reason")
    p.add_argument("--action")
    p.add_argument("--status")
    p.add_argument("--platform")
    asub.add_parser("show").add_argument("account_id")
    p = asub.add_parser("add")
    p.add_argument("platform")
    p.add_argument("handle")
    p.add_argument("--reason", action="append", required=True)
    p.add_argument("--url")
    p.add_argument("--district")
    p.add_argument("--note", default="")
    p = asub.add_parser("action", help="record an action taken")
    p.add_argument("account_id")
    p.add_argument("kind", choices=[str(k) for k in ActionKind])
    p.add_argument("--reference", default="")
    p.add_argument("--on-date", required=True)
    p = asub.add_parser("lookup", help="the register's entry for a handle in any form")
    p.add_argument("platform")
    p.add_argument("handle")
    for parser in (claims, accounts):
        parser.add_argument("--by", required=True, help="the HQ user the command acts as")


def _principal(db: Any, username: str) -> Any:
    from sqlalchemy import select

    from hq.principals import Principal, Role
    from hq.schema import users

    with db.reader() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None or not row.active:
        raise HQError(f"no active user {username!r}")
    return Principal(row.id, row.display_name, Role(row.role), row.district, row.username, "cli")


def run(args: argparse.Namespace, db_url: str) -> int:
    from hq.claims import accounts as register
    from hq.claims import service
    from hq.db import Database

    db = Database(db_url, pool_size=1)
    try:
        db.migrate()
        who = _principal(db, args.by)
        out: Any
        if args.command == "claims":
            c = args.claims_command
            if c == "list":
                out = service.list_claims(db, who, args.status, args.limit)
            elif c == "show":
                out = service.read_claim(db, who, args.claim_id)
            elif c == "add":
                media = [{"image_b64": base64.b64encode(f.read_bytes()).decode()} for f in args.image]
                out = service.create_claim(
                    db,
                    who,
                    {
                        "text": args.text,
                        "official_version": args.official_version,
                        "platforms": args.platform,
                        "districts": args.district,
                        "links": args.link,
                        "media": media,
                    },
                )
            elif c == "rebut":
                out = service.add_rebuttal(db, who, args.claim_id, args.platform, args.link, args.published_at)
            else:
                out = service.update_claim(db, who, args.claim_id, {"status": args.status})
        else:
            c = args.accounts_command
            if c == "list":
                out = register.list_accounts(
                    db, who, reason=args.reason, action=args.action, status=args.status, platform=args.platform
                )
            elif c == "show":
                out = register.read_account(db, who, args.account_id)
            elif c == "add":
                body: dict[str, Any] = {
                    "platform": args.platform,
                    "handle": args.handle,
                    "reasons": args.reason,
                    "note": args.note,
                    "url": args.url,
                    "district": args.district,
                }
                out = register.add_account(db, who, {k: v for k, v in body.items() if v is not None})
            elif c == "action":
                out = register.add_action(
                    db, who, args.account_id, {"kind": args.kind, "reference": args.reference, "on_date": args.on_date}
                )
            else:
                out = register.lookup(db, who, args.platform, args.handle)
    except (HQError, ValueError) as exc:
        print(f"hq {args.command}: {getattr(exc, 'detail', exc)}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0
