"""What the screenshot scripts share: the display (offscreen at 1366x768, or xcb under Xvfb with an
openbox window manager that sees the bundled Devanagari font), an in-memory keyring, waiting on the
Qt event loop, and saving a PNG (the widget's grab offscreen, the whole screen under Xvfb).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/<script>.py --platform xcb
    .venv/bin/python scripts/<script>.py          # offscreen, no display needed
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def set_up_display(platform: str, width: int = 1366, height: int = 768) -> subprocess.Popen[bytes] | None:
    """Choose the Qt platform before the application is made; under xcb, start openbox (returned,
    for ``tear_down``) so windows get focus and decorations as on a workstation."""
    if platform == "offscreen":
        screen = Path(tempfile.mkdtemp(prefix="rakshak-shots-")) / "screen.json"
        screen.write_text(
            f'{{"screens": [{{"name": "laptop", "x": 0, "y": 0, "width": {width}, "height": {height}}}]}}'
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        return None
    os.environ["QT_QPA_PLATFORM"] = platform
    if not shutil.which("openbox"):
        return None
    conf = Path(tempfile.mkdtemp(prefix="rakshak-fc-")) / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{ROOT / 'resources' / 'fonts'}</dir></fontconfig>"
    )
    wm = subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env={**os.environ, "FONTCONFIG_FILE": str(conf)})  # fmt: skip
    time.sleep(0.5)
    return wm


def tear_down(wm: subprocess.Popen[bytes] | None) -> None:
    if wm is not None:
        wm.terminate()
        wm.wait(5)


def memory_keyring() -> None:
    """An in-memory OS keyring for this process (the session's tokens; nothing reaches the disk)."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(cond: Callable[[], Any], timeout_s: float = 20.0) -> None:
    end = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("screenshot state not reached")
        wait(50)


def shot(widget: Any, path: Path, platform: str) -> None:
    wait(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    if platform == "offscreen":
        widget.grab().save(str(path))
    else:
        subprocess.run(["import", "-window", "root", str(path)], check=True)
    print("saved", path)


__all__ = ["OUT", "ROOT", "memory_keyring", "set_up_display", "shot", "tear_down", "wait", "wait_until"]
