"""Rakshak entry point.

    python main.py [--data-dir DIR] [--lang en|hi]     the desktop client
    python main.py --demo                               the client against an embedded demo HQ
    python main.py sync --once | sync --status          one sync cycle / status as JSON (headless)
    python main.py hq ...                               the HQ service (same as ``python -m hq``)
    python main.py selfcheck                            prove the installation or frozen bundle is whole (names a
                                                        missing system library and its Debian package)

Heavy packages are imported only by the subcommand that needs them, so ``sync`` and ``hq`` never load Qt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("rakshak", appauthor=False))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rakshak", description="Rakshak control-room client")
    parser.add_argument("--data-dir", type=Path, default=None, help="where the encrypted store and settings live")
    parser.add_argument("--lang", choices=["en", "hi"], default=None, help="user interface language")
    parser.add_argument("--demo", action="store_true", help="start an embedded demo HQ with synthetic cases")
    parser.add_argument("--demo-interval-s", type=float, default=60.0, help="demo: seconds between injected alerts")
    parser.add_argument("--demo-user", default=None, help="demo: sign in as this demo account (e.g. sp-varanasi)")
    sub = parser.add_subparsers(dest="command")
    sync_p = sub.add_parser("sync", help="headless sync commands for operations and diagnosis")
    group = sync_p.add_mutually_exclusive_group(required=True)
    group.add_argument("--once", action="store_true", help="run one push/pull cycle and exit")
    group.add_argument("--status", action="store_true", help="print the sync status as JSON")
    sub.add_parser("hq", help="run the HQ service (see python -m hq --help)", add_help=False)
    sub.add_parser(
        "selfcheck",
        help="check the system libraries Qt needs, Qt on this display, fonts, translations, sound and the store (JSON)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "hq":
        from hq.__main__ import main as hq_main

        return hq_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    if args.command == "sync":
        from sync.cli import main as sync_main

        return sync_main(args)
    if args.command == "selfcheck":
        from ui.selfcheck import run_selfcheck

        return run_selfcheck()
    if args.demo:
        from demo.client import run_demo

        return run_demo(args)
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
