"""``python main.py selfcheck``: prove an installation (or a frozen bundle) has every part it needs.

Checks, headless, that Qt starts, the Devanagari font and the Hindi translations load from the
bundled resources, the alarm sound asset is present, and an encrypted store can be created and
migrated (so the alembic scripts were bundled). Uses an ephemeral key in a temporary folder: it never
touches the keyring or the real data directory. Prints one JSON object; exit 0 only if all passed.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any


def run_selfcheck() -> int:
    results: dict[str, Any] = {}
    from ui.app import make_app
    from ui.fonts import resource_path
    from ui.i18n import install_translator

    app = make_app()
    results["qt"] = app.platformName()
    results["fonts"] = bool(resource_path("fonts").is_dir() and any(resource_path("fonts").glob("*.ttf")))
    results["hindi_translation"] = install_translator(app, "hi") is not None
    results["alarm_sound"] = any(resource_path("sounds").glob("*.wav"))

    from core.store import LocalStore, StoreKey

    with tempfile.TemporaryDirectory(prefix="rakshak-selfcheck-") as tmp:
        store = LocalStore.open(Path(tmp) / "selfcheck.db", StoreKey.ephemeral())  # ephemeral: never stored
        try:
            with store.reader() as uow:
                results["store"] = uow.cases.count() == 0
        finally:
            store.close()
    ok = all(bool(v) for v in results.values())
    print(json.dumps({"ok": ok, **results}))
    return 0 if ok else 1
