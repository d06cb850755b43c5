"""A first start reaches the sign-in dialog without loading what only later steps need: sync's HTTP
stack and scheduler (loaded by a sign-in or a restored session), Alembic (a new store is created in
one step) and the reports (the main window's). Each is a noticeable share of the start on a 2-core
workstation (docs/BENCHMARKS.md, "Installers")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Modules the start path must not import before the sign-in dialog is shown.
LATER = ("requests", "urllib3", "apscheduler", "alembic", "sync.session", "sync.engine", "sync.client",
         "ui.operations.report_sources", "ui.operations.reports", "ui.main_window", "openpyxl")


def test_the_first_start_shows_the_sign_in_dialog_before_loading_sync_alembic_and_reports(tmp_path: Path) -> None:
    # In a process of its own: this test run has imported all of them already.
    script = textwrap.dedent(
        f"""
        import argparse, sys
        import keyring
        from keyring.backend import KeyringBackend
        from PySide6.QtWidgets import QApplication

        class Memory(KeyringBackend):
            priority = 1
            values = {{}}
            def get_password(self, service, user): return self.values.get((service, user))
            def set_password(self, service, user, password): self.values[(service, user)] = password
            def delete_password(self, service, user): self.values.pop((service, user), None)

        keyring.set_keyring(Memory())
        import ui.app, ui.login
        shown = []

        def exec_(dialog):
            dialog.show()
            QApplication.processEvents()
            shown.append(dialog.isVisible())
            loaded = [m for m in {LATER!r} if m in sys.modules]
            assert not loaded, f"imported before the sign-in dialog: {{loaded}}"
            return 0

        ui.login.LoginDialog.exec = exec_
        args = argparse.Namespace(data_dir={str(tmp_path)!r}, lang="en", demo=False, demo_interval_s=60.0)
        assert ui.app.run_gui(args) == ui.app.EXIT_LOGIN_CANCELLED
        assert shown == [True]
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "rakshak.db").exists()  # the store was created before the dialog
