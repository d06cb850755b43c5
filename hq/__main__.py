"""Command line: ``python -m hq serve ...`` and ``python -m hq admin ...`` (also ``python main.py hq ...``).

Kept in one file because ``python -m hq --help`` is one parser tree; the work of each command lives in
its own module (``hq.admin``, ``hq.backup``, ``hq.report_format``, ``hq.claims.cli``, ...).

python -m hq serve [--db URL | --data-dir DIR] [--host H] [--port P] [--workers N] [--tls-cert F --tls-key F]
                   [--signing-key F] [--trusted-keys F]
python -m hq admin [--db URL | --data-dir DIR] create-district CODE NAME [--duty-phone P ...] [--range R]
python -m hq admin ... create-station DISTRICT CODE NAME | set-range DISTRICT RANGE|-
python -m hq admin ... create-user USERNAME --role ROLE --display-name NAME [--district D | --range R]
                       [--password-stdin]
python -m hq admin ... create-key NAME | revoke-key NAME
python -m hq admin ... list-districts | list-users | list-keys | list-devices
python -m hq admin ... unlock-user USERNAME | disable-user USERNAME | enable-user USERNAME | set-password USERNAME
python -m hq admin ... migrate | rotate-epoch | backup FILE | restore FILE | repair-refused | tipline-retention
python -m hq admin signing-key new FILE | signing-key public FILE   HQ's event signing key (docs/DEPLOY.md)
python -m hq admin ... review list --by SUPERVISOR [--status held|accepted|rejected|all]
python -m hq admin ... review accept|reject EVENT_ID --by SUPERVISOR --reason TEXT
python -m hq admin ... escalation show [DISTRICT|*|*complaint_breach] | escalation list [--all]
                       | escalation set DISTRICT|*|*complaint_breach FILE|-
python -m hq admin ... escalation contacts [list [DISTRICT] | add DISTRICT --role R --name N [--phone P]
                       [--email E] [--station S] | remove ID]
python -m hq tipline-relay [--db URL | --data-dir DIR]   the tip line's relay alone (docs/TIPLINE.md)
python -m hq demo [--db URL | --data-dir DIR] [--alerts N]   seed a demo database (docs/DEPLOY.md)
python -m hq mailbox [--db URL | --data-dir DIR] check      test the mailbox connection, print its health
python -m hq claims [--db URL | --data-dir DIR] --by USER list|show|add|rebut|status ...   (docs/CLAIMS.md)
python -m hq accounts [--db URL | --data-dir DIR] --by USER list|show|add|action|lookup ...
python -m hq backup FILE | restore FILE [--db URL | --data-dir DIR]   pg_dump/pg_restore or SQLite backup (hq/backup.py)
python -m hq report outcomes|timing|console-health|follow-ups|compliance|tips --from DATE --to DATE
                   [--district D] [--range R] [--format table|csv|json] [--db URL | --data-dir DIR]   (docs/REPORTS.md)

``serve`` also reads Meta's alert e-mails from the monitoring centre's mailbox when
RAKSHAK_HQ_MAILBOX_HOST is set (docs/HQ.md, "Mailbox intake"), runs the social-media complaint
connectors that RAKSHAK_X_*, RAKSHAK_YT_* and RAKSHAK_META_* configure (docs/COMPLAINTS.md), the
escalation runner (docs/HQ.md, "Escalation"; off with --no-escalation) and, when
RAKSHAK_TIPLINE_APP_SECRET is set, the tip line (docs/TIPLINE.md).
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import json
import os
import sys
from pathlib import Path
from typing import Any

from core.escalation import ContactRole

# Each command imports what it needs inside its function: `admin` and `--help` never load uvicorn,
# FastAPI or the database layer they do not use, so they answer at once.

DEFAULT_PORT = 8443
KEEP_ALIVE_S = 75
DB_FILE = "hq.sqlite3"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("rakshak-hq", appauthor=False))


def _db_url(args: argparse.Namespace) -> str:
    from hq.db import sqlite_url

    if args.db:
        return str(args.db)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    return sqlite_url(data_dir / DB_FILE)


def _add_db_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", help="database URL: postgresql://user@host/db, or sqlite:///path (default: SQLite in --data-dir)"
    )
    p.add_argument("--data-dir", help="where the embedded SQLite database lives (default: the user data dir)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hq", description="Rakshak HQ service")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HQ web service")
    _add_db_args(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (more than 1 needs PostgreSQL)")
    serve.add_argument("--tls-cert", help="PEM certificate chain")
    serve.add_argument("--tls-key", help="PEM private key")
    serve.add_argument(
        "--allow-plain-http",
        action="store_true",
        help="serve plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--no-escalation",
        action="store_true",
        help="do not run the escalation runner in this service's workers (another HQ host runs it; "
        "also RAKSHAK_HQ_ESCALATION=0)",
    )
    serve.add_argument(
        "--signing-key",
        help="Ed25519 private key HQ signs its own events with, kept outside the database and its backups "
        "(default: $RAKSHAK_HQ_SIGNING_KEY; made by `hq admin signing-key new`)",
    )
    serve.add_argument(
        "--trusted-keys",
        help="file of earlier signing keys' public keys, one per line, still trusted to verify events "
        "(default: $RAKSHAK_HQ_TRUSTED_KEYS)",
    )

    admin = sub.add_parser("admin", help="administer accounts and reference data")
    _add_db_args(admin)
    asub = admin.add_subparsers(dest="admin_command", required=True)
    p = asub.add_parser("create-district")
    p.add_argument("code")
    p.add_argument("name")
    p.add_argument("--duty-phone", action="append", default=[])
    p.add_argument("--range", help="the police range the district belongs to")
    p = asub.add_parser("set-range", help="move a district to another range (- for none); its tips follow")
    p.add_argument("district")
    p.add_argument("range")
    p = asub.add_parser("create-station")
    p.add_argument("district")
    p.add_argument("code")
    p.add_argument("name")
    p = asub.add_parser("create-user")
    p.add_argument("username")
    p.add_argument(
        "--role",
        required=True,
        choices=["hq_operator", "district_operator", "supervisor", "admin", "sp_office", "range_dig"],
    )
    p.add_argument("--display-name", required=True)
    p.add_argument("--district", help="a district operator's or SP office's district")
    p.add_argument("--range", help="a range DIG's range")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    for name in ("unlock-user", "disable-user", "enable-user"):
        asub.add_parser(name).add_argument("username")
    p = asub.add_parser("set-password")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true")
    asub.add_parser("create-key").add_argument("name")
    asub.add_parser("revoke-key").add_argument("name")
    for name in ("list-districts", "list-users", "list-keys", "list-devices", "migrate", "rotate-epoch"):
        asub.add_parser(name)
    asub.add_parser("repair-refused", help="what consoles handed back after a restore that HQ could not reinstate")
    asub.add_parser(
        "tipline-retention", help="destroy now the sealed numbers of tipsters whose tips closed long enough ago"
    ).add_argument("--days", type=float, required=True, help="days since the last tip closed (docs/TIPLINE.md)")
    asub.add_parser("backup", help="online copy of an embedded SQLite database").add_argument("file", type=Path)
    asub.add_parser("restore", help="replace the embedded SQLite database with a backup (HQ stopped)").add_argument(
        "file", type=Path
    )

    keys = asub.add_parser("signing-key", help="HQ's Ed25519 key for the events it writes (docs/DEPLOY.md)")
    ksub = keys.add_subparsers(dest="key_command", required=True)
    ksub.add_parser("new", help="write a new private key (never overwrites); prints its public key").add_argument(
        "file", type=Path
    )
    ksub.add_parser("public", help="print a private key's public key line").add_argument("file", type=Path)

    review = asub.add_parser("review", help="events held for a supervisor's verdict (docs/HQ.md)")
    rsub = review.add_subparsers(dest="review_command", required=True)
    p = rsub.add_parser("list")
    p.add_argument("--by", required=True, help="the supervisor or admin reading the queue")
    p.add_argument("--status", default="held", choices=["held", "accepted", "rejected", "all"])
    for name in ("accept", "reject"):
        p = rsub.add_parser(name)
        p.add_argument("event_id")
        p.add_argument("--by", required=True, help="the supervisor or admin giving the verdict")
        p.add_argument("--reason", required=True)

    esc = asub.add_parser("escalation", help="escalation policies and duty contacts (docs/HQ.md)")
    esub = esc.add_subparsers(dest="escalation_command", required=True)
    esub.add_parser(
        "show", help="a district's policy (default: the state-wide one, *; *complaint_breach: a missed complaint's)"
    ).add_argument("district", nargs="?", default="*")
    p = esub.add_parser("set", help="store a district's policy (JSON) from FILE, or - for stdin")
    p.add_argument(
        "district",
        help="a district code, * for the state-wide default, or *complaint_breach for whom a complaint's missed "
        "deadline notifies",
    )
    p.add_argument("file")
    esub.add_parser("list", help="escalations under way (newest first)").add_argument(
        "--all", action="store_true", help="also those finished or stopped"
    )
    contacts = esub.add_parser("contacts", help="duty contacts notify steps reach")
    csub = contacts.add_subparsers(dest="contacts_command", required=True)
    csub.add_parser("list").add_argument("district", nargs="?")
    p = csub.add_parser("add")
    p.add_argument("district", help="a district code, or * for HQ's own duty officers")
    p.add_argument("--role", required=True, choices=[str(r) for r in ContactRole])
    p.add_argument("--name", required=True)
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--station", help="the police station an SHO heads")
    csub.add_parser("remove").add_argument("id")
    relay = sub.add_parser(
        "tipline-relay", help="run the tip line's relay on its own (with RAKSHAK_TIPLINE_RUN_RELAY=0 on serve)"
    )
    _add_db_args(relay)

    demo = sub.add_parser("demo", help="seed demo districts, stations, users and a few alerts")
    _add_db_args(demo)
    demo.add_argument(
        "--alerts",
        type=int,
        default=None,
        metavar="N",
        help="synthetic suicide-risk alerts to add per demo district (default: 2; 0 for none)",
    )
    mailbox = sub.add_parser("mailbox", help="the mailbox Meta's alert e-mails arrive in (docs/HQ.md)")
    _add_db_args(mailbox)
    msub = mailbox.add_subparsers(dest="mailbox_command", required=True)
    msub.add_parser("check", help="connect, log in, count the mails waiting; print every mailbox's health")
    from hq.backup import add_commands

    add_commands(sub, _add_db_args)  # backup FILE | restore FILE (hq/backup.py)
    report = sub.add_parser("report", help="print a report (docs/REPORTS.md); audited as the OS user")
    _add_db_args(report)
    report.add_argument("kind", choices=["outcomes", "timing", "console-health", "follow-ups", "compliance", "tips"])
    report.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD (IST)")
    report.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD (IST), included")
    report.add_argument("--district", help="one district (code)")
    report.add_argument("--range", help="one police range")
    report.add_argument("--format", choices=["table", "csv", "json"], default="table")
    from hq.claims.cli import add_commands

    add_commands(sub, _add_db_args)
    return parser


def report(args: argparse.Namespace) -> int:
    from datetime import date

    from core.reports import ReportQuery
    from hq import reports
    from hq.db import Database
    from hq.errors import HQError
    from hq.principals import Principal, Role
    from hq.report_format import render

    try:
        query = ReportQuery(
            date.fromisoformat(args.date_from), date.fromisoformat(args.date_to), args.district, args.range
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    who = f"os:{getpass.getuser()}"[:100]
    principal = Principal(actor=who, display_name=who, role=Role.SUPERVISOR, username=who)
    db = Database(_db_url(args), pool_size=1)
    try:
        result = reports.run(db, principal, args.kind, query)
    except HQError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    text = render(args.kind, result, args.format)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("passwords differ")
    return first


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace) -> int:
    from hq.api import ENV_DB_URL, ENV_ESCALATION
    from hq.db import Database

    url = _db_url(args)
    if bool(args.tls_cert) != bool(args.tls_key):
        print("hq: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    if not args.tls_cert and not _is_loopback(args.host) and not args.allow_plain_http:
        print(
            "hq: refusing plain HTTP on a network address; give --tls-cert/--tls-key (docs/DEPLOY.md)", file=sys.stderr
        )
        return 2
    db = Database(url)
    if args.workers > 1 and not db.is_postgres:
        print("hq: several workers need PostgreSQL (SQLite wakes long-polls only inside one process)", file=sys.stderr)
        return 2
    from hq import signing

    for value, env in ((args.signing_key, signing.ENV_SIGNING_KEY), (args.trusted_keys, signing.ENV_TRUSTED_KEYS)):
        if value:
            os.environ[env] = str(Path(value).resolve())
    try:
        keys = signing.current()
    except signing.SigningKeyError as exc:
        print(f"hq: {exc}", file=sys.stderr)
        return 2
    if keys.private is None:
        print(
            "hq: warning: no signing key (--signing-key): events HQ writes are not signed, and after a restore "
            "from a backup the consoles cannot hand them back (docs/DEPLOY.md)",
            file=sys.stderr,
        )
    from hq.mailbox.settings import MailboxSettingsError
    from hq.mailbox.settings import from_env as mailbox_settings

    try:
        mailbox = mailbox_settings()
    except MailboxSettingsError as exc:
        print(f"hq: mailbox: {exc}", file=sys.stderr)
        return 2
    from hq.connectors.settings import ConnectorSettingsError
    from hq.connectors.settings import from_env as connector_settings

    try:
        connectors = connector_settings()
    except ConnectorSettingsError as exc:
        print(f"hq: complaints: {exc}", file=sys.stderr)
        return 2
    db.migrate()
    db.dispose()
    os.environ[ENV_DB_URL] = url
    # Each worker process runs an escalation runner (their claims keep them from doubling a step),
    # unless --no-escalation or RAKSHAK_HQ_ESCALATION=0 says another HQ host runs it.
    if args.no_escalation:
        os.environ[ENV_ESCALATION] = "0"
    else:
        os.environ.setdefault(ENV_ESCALATION, "1")
    if connectors.any_worker:
        # started by the app's lifespan (hq.api), as the mailbox worker is
        names = [n for n, on in (("X", connectors.x), ("YouTube", connectors.youtube),
                                 ("Meta webhook", connectors.meta_webhook)) if on]  # fmt: skip
        print(f"hq: complaint connectors: {', '.join(names) or 'replies only'}", file=sys.stderr)
    if mailbox is not None:
        # The app's lifespan starts the worker (hq.api), sharing the app's database so a case from a
        # mail wakes the consoles' long-polls at once; checked here first to refuse with a message.
        print(f"hq: reading Meta's alert e-mails from {mailbox.name}", file=sys.stderr)
    _run_uvicorn(args)
    return 0


def _run_uvicorn(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "hq.api:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        log_level=args.log_level,
        timeout_graceful_shutdown=5,
        # Longer than any console's pause between requests, so a kept-alive connection is never
        # closed by HQ just as a console reuses it.
        timeout_keep_alive=KEEP_ALIVE_S,
        proxy_headers=False,
        server_header=False,
    )


def mailbox(args: argparse.Namespace) -> int:
    from hq.db import Database
    from hq.mailbox.health import mailbox_health
    from hq.mailbox.settings import MailboxSettingsError
    from hq.mailbox.settings import from_env as mailbox_settings

    try:
        settings = mailbox_settings()
    except MailboxSettingsError as exc:
        print(f"hq mailbox: {exc}", file=sys.stderr)
        return 2
    if settings is None:
        print("hq mailbox: no mailbox configured (set RAKSHAK_HQ_MAILBOX_HOST; docs/HQ.md)", file=sys.stderr)
        return 2
    from hq.mailbox.client import check

    db = Database(_db_url(args), pool_size=1)
    try:
        db.migrate()
        out = check(db, settings)
        out["health"] = [h.to_wire() for h in mailbox_health(db)]
    finally:
        db.dispose()
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0 if out["ok"] else 1


def signing_key(args: argparse.Namespace) -> int:
    from hq import signing

    try:
        if args.key_command == "new":
            public = signing.generate(args.file)
        else:
            public = signing.public_text(signing.load_private(args.file).public_key())
    except FileExistsError:
        print(f"hq admin: {args.file} exists; a signing key is never overwritten", file=sys.stderr)
        return 1
    except (OSError, signing.SigningKeyError) as exc:
        print(f"hq admin: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"file": str(args.file), "public_key": public}, indent=2))
    return 0


def admin(args: argparse.Namespace) -> int:
    from hq import admin as ops
    from hq.db import Database

    if args.admin_command == "signing-key":
        return signing_key(args)
    db = Database(_db_url(args), pool_size=1)
    try:
        cmd = args.admin_command
        if cmd != "restore":
            db.migrate()
        out: Any = None
        if cmd == "create-district":
            ops.create_district(db, args.code, args.name, args.duty_phone, range_=args.range)
        elif cmd == "set-range":
            out = {"tips_moved": ops.set_district_range(db, args.district, None if args.range == "-" else args.range)}
        elif cmd == "create-station":
            ops.create_station(db, args.district, args.code, args.name)
        elif cmd == "create-user":
            out = {
                "id": ops.create_user(
                    db, args.username, _read_password(args.password_stdin), args.role, args.display_name, args.district,
                    range_=args.range,
                )
            }
        elif cmd == "set-password":
            ops.set_password(db, args.username, _read_password(args.password_stdin))
        elif cmd == "unlock-user":
            ops.unlock_user(db, args.username)
        elif cmd in ("disable-user", "enable-user"):
            ops.set_active(db, args.username, cmd == "enable-user")
        elif cmd == "create-key":
            out = {"name": args.name, "key": ops.create_key(db, args.name), "note": "shown once; HQ stores only a hash"}
        elif cmd == "revoke-key":
            ops.revoke_key(db, args.name)
        elif cmd == "list-districts":
            out = ops.list_districts(db)
        elif cmd == "list-users":
            out = ops.list_users(db)
        elif cmd == "list-keys":
            out = ops.list_keys(db)
        elif cmd == "list-devices":
            out = ops.list_devices(db)
        elif cmd == "migrate":
            out = {"epoch": db.get_meta("epoch")}
        elif cmd == "rotate-epoch":
            out = {"epoch": db.rotate_epoch()}
        elif cmd == "repair-refused":
            out = ops.repair_refused(db)
        elif cmd == "tipline-retention":
            from datetime import timedelta

            from hq.tipline.identity import destroy_expired

            with db.transaction() as conn:
                out = {"destroyed": destroy_expired(conn, timedelta(days=args.days))}
        elif cmd == "review" and args.review_command == "list":
            out = ops.review_list(db, args.by, None if args.status == "all" else args.status)
        elif cmd == "review":
            out = ops.review_decide(db, args.by, args.event_id, accept=args.review_command == "accept",
                                    reason=args.reason)
        elif cmd == "escalation":
            out = ops.escalation(db, args)
        elif cmd == "backup":
            ops.backup_sqlite(db, args.file)
        elif cmd == "restore":
            if db.is_postgres:
                raise ops.AdminError("restore PostgreSQL with pg_restore, then run rotate-epoch (docs/DEPLOY.md)")
            path = db.engine.url.database
            assert path
            db.dispose()
            out = {"epoch": ops.restore_sqlite(args.file, Path(path))}
    except ops.AdminError as exc:
        print(f"hq admin: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    if out is not None:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


def demo(args: argparse.Namespace) -> int:
    from hq.db import Database
    from hq.demo import DEMO_ALERTS_PER_DISTRICT, seed_alerts, seed_demo

    per_district = DEMO_ALERTS_PER_DISTRICT if args.alerts is None else args.alerts
    if per_district < 0:
        print("hq demo: --alerts must be 0 or more", file=sys.stderr)
        return 2
    db = Database(_db_url(args))
    try:
        db.migrate()
        out = seed_demo(db)
        out["alerts"] = seed_alerts(db, per_district)
        print(json.dumps(out, indent=2, ensure_ascii=False))
    finally:
        db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "admin":
        return admin(args)
    if args.command == "mailbox":
        return mailbox(args)
    if args.command in ("backup", "restore"):
        from hq.backup import run

        return run(args, _db_url)
    if args.command == "report":
        return report(args)
    if args.command == "tipline-relay":
        return tipline_relay(args)
    if args.command in ("claims", "accounts"):
        from hq.claims.cli import run

        return run(args, _db_url(args))
    return demo(args)


def tipline_relay(args: argparse.Namespace) -> int:
    """The tip line's relay as a process of its own (docs/TIPLINE.md), so webhook requests never
    wait behind the bot's work. The database must be migrated (``serve`` or ``admin migrate``)."""
    from hq.db import Database
    from hq.tipline.relay import Relay
    from hq.tipline.settings import TiplineSettings

    settings = TiplineSettings.from_env()
    if settings is None:
        print("the tip line is not configured (RAKSHAK_TIPLINE_APP_SECRET...; docs/TIPLINE.md)", file=sys.stderr)
        return 2
    db = Database(_db_url(args), pool_size=4)
    try:
        Relay(db, settings).run_forever()
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
