"""``python main.py selfcheck``: prove an installation (or a frozen bundle) has every part it needs.

Checks that every system library the Qt files the client loads link to is present (``ldd``), then
that Qt starts on the platform the user will really get (whatever ``QT_QPA_PLATFORM`` names, else
xcb when ``DISPLAY`` is set), the Devanagari font and the Hindi translations load from the
bundled resources, the alarm sound asset is present, and an encrypted store can be created and
migrated (so the alembic scripts were bundled). Uses an ephemeral key in a temporary folder: it never
touches the keyring or the real data directory. Prints one JSON object; exit 0 only if all passed.

Why the library check comes first: when a library of the xcb platform plugin is missing, Qt aborts
the process (exit 134) with a message that names the wrong package ("xcb-cursor0 or libxcb-cursor0
is needed" on a machine that lacks libxcb-shape0). Run before Qt starts, ``ldd`` names the library
that is really missing, and ``SYSTEM_LIBRARY_PACKAGES`` the Debian package that provides it. For
the same reason PySide6 and the ui modules that load Qt are imported inside the functions that need
them, after the library check.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# The Qt files the client loads, relative to the PySide6 package folder (wheel or frozen bundle): the
# Python modules ui/ imports, the platform plugins (xcb on a desktop, offscreen in tests), the xcb GL
# integrations and input contexts the xcb plugin loads, and the multimedia backend of the alarm.
QT_LIBRARY_FILES = (
    "QtCore.abi3.so",
    "QtGui.abi3.so",
    "QtWidgets.abi3.so",
    "QtMultimedia.abi3.so",
    "QtMultimediaWidgets.abi3.so",
    "QtNetwork.abi3.so",
    "Qt/lib/libQt6XcbQpa.so.6",
    "Qt/plugins/platforms/libqxcb.so",
    "Qt/plugins/platforms/libqoffscreen.so",
    "Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "Qt/plugins/xcbglintegrations/libqxcb-egl-integration.so",
    "Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "Qt/plugins/multimedia/libffmpegmediaplugin.so",
)

# Every library outside the PySide6 wheel that those files link to (ldd, Debian 12), and the Debian
# package that provides it. scripts/setup.sh installs these packages (those not in every Debian 12
# already); tests/unit/test_qt_system_libs.py fails when Qt gains a library missing from this table.
SYSTEM_LIBRARY_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libFLAC.so.12": "libflac12",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libXext.so.6": "libxext6",
    "libXrandr.so.2": "libxrandr2",
    "libXrender.so.1": "libxrender1",
    "libasyncns.so.0": "libasyncns0",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbsd.so.0": "libbsd0",
    "libbz2.so.1": "libbz2-1.0",
    "libc.so.6": "libc6",
    "libcap.so.2": "libcap2",
    "libcom_err.so.2": "libcom-err2",
    "libdbus-1.so.3": "libdbus-1-3",
    "libdl.so.2": "libc6",
    "libdrm.so.2": "libdrm2",
    "libexpat.so.1": "libexpat1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libgcc_s.so.1": "libgcc-s1",
    "libgcrypt.so.20": "libgcrypt20",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgpg-error.so.0": "libgpg-error0",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libk5crypto.so.3": "libk5crypto3",
    "libkeyutils.so.1": "libkeyutils1",
    "libkrb5.so.3": "libkrb5-3",
    "libkrb5support.so.0": "libkrb5support0",
    "liblz4.so.1": "liblz4-1",
    "liblzma.so.5": "liblzma5",
    "libm.so.6": "libc6",
    "libmd.so.0": "libmd0",
    "libmp3lame.so.0": "libmp3lame0",
    "libmpg123.so.0": "libmpg123-0",
    "libogg.so.0": "libogg0",
    "libopus.so.0": "libopus0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libpng16.so.16": "libpng16-16",
    "libpthread.so.0": "libc6",
    "libpulse.so.0": "libpulse0",
    "libpulsecommon-16.1.so": "libpulse0",
    "libresolv.so.2": "libc6",
    "libsndfile.so.1": "libsndfile1",
    "libstdc++.so.6": "libstdc++6",
    "libsystemd.so.0": "libsystemd0",
    "libvorbis.so.0": "libvorbis0a",
    "libvorbisenc.so.2": "libvorbisenc2",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found\s*$", re.MULTILINE)


def pyside_dir() -> Path:
    """The folder of the PySide6 package in use (site-packages, or inside a frozen bundle)."""
    import PySide6

    return Path(PySide6.__file__).resolve().parent


def qt_library_files(root: Path | None = None) -> list[Path]:
    """The files of ``QT_LIBRARY_FILES`` present under ``root`` (a bundle may leave some out)."""
    base = pyside_dir() if root is None else root
    return [base / rel for rel in QT_LIBRARY_FILES if (base / rel).is_file()]


def missing_system_libraries(files: list[Path] | None = None) -> dict[str, str | None]:
    """Libraries the given Qt files (default: the client's) need that the dynamic loader cannot find,
    each with its Debian package (None if the table does not know it). Empty where there is no
    ``ldd`` (Windows, macOS). Runs ``ldd`` in this process's environment, so a frozen bundle's own
    library folder counts."""
    ldd = shutil.which("ldd")
    if not sys.platform.startswith("linux") or ldd is None:
        return {}
    paths = qt_library_files() if files is None else files
    if not paths:
        return {}
    proc = subprocess.run([ldd, *map(str, paths)], capture_output=True, text=True, timeout=60, check=False)
    return {name: SYSTEM_LIBRARY_PACKAGES.get(name) for name in sorted(set(_NOT_FOUND.findall(proc.stdout)))}


def expected_platforms() -> tuple[str, ...] | None:
    """The Qt platforms this process may get: the one ``QT_QPA_PLATFORM`` names, else xcb on an X display;
    on a Wayland session wayland, or xcb through XWayland (Qt's choice depends on its version and
    the desktop); () where any is right (not Linux); None when there is no display at all (Qt would
    abort)."""
    named = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0]
    if named:
        return (named,)
    if not sys.platform.startswith("linux"):
        return ()
    if os.environ.get("WAYLAND_DISPLAY"):
        return ("wayland", "xcb")
    if os.environ.get("DISPLAY"):
        return ("xcb",)
    return None


def _report(ok: bool, results: dict[str, Any]) -> int:
    print(json.dumps({"ok": ok, **results}))
    return 0 if ok else 1


def run_selfcheck() -> int:
    results: dict[str, Any] = {}
    files = qt_library_files()
    missing = missing_system_libraries(files)
    # How many of QT_LIBRARY_FILES were checked with ldd (0 where there is no ldd: not Linux).
    results["qt_files_checked"] = len(files) if shutil.which("ldd") and sys.platform.startswith("linux") else 0
    results["missing_libraries"] = missing
    if missing:
        packages = sorted({p for p in missing.values() if p})
        unknown = sorted(lib for lib, p in missing.items() if not p)
        print(f"selfcheck: system libraries Qt needs are missing: {', '.join(sorted(missing))}", file=sys.stderr)
        if packages:
            print(f"selfcheck: install them with: sudo apt-get install -y {' '.join(packages)}", file=sys.stderr)
        if unknown:
            print(f"selfcheck: no known Debian package for: {', '.join(unknown)}", file=sys.stderr)
    platforms = expected_platforms()
    if platforms is None:
        print("selfcheck: no display (DISPLAY/WAYLAND_DISPLAY unset): run under xvfb-run, or set "
              "QT_QPA_PLATFORM=offscreen to check everything but the screen", file=sys.stderr)
        return _report(False, {**results, "qt": None})
    if missing and {"xcb", "wayland"} & set(platforms):
        # Qt would abort here with its own, misleading message; the missing libraries are named above.
        return _report(False, {**results, "qt": None})

    from ui.app import make_app
    from ui.fonts import resource_path
    from ui.i18n import install_translator

    app = make_app()
    results["qt"] = app.platformName()
    results["fonts"] = bool(resource_path("fonts").is_dir() and any(resource_path("fonts").glob("*.ttf")))
    results["hindi_translation"] = install_translator(app, "hi") is not None
    results["alarm_sound"] = any(resource_path("sounds").glob("*.wav"))

    from ui.operations.console import store_selfcheck

    with tempfile.TemporaryDirectory(prefix="rakshak-selfcheck-") as tmp:
        results["store"] = store_selfcheck(Path(tmp) / "selfcheck.db")
    checks = ("fonts", "hindi_translation", "alarm_sound", "store")
    libraries_checked = results["qt_files_checked"] > 0 or not sys.platform.startswith("linux")
    ok = libraries_checked and not missing and (not platforms or results["qt"] in platforms)
    ok = ok and all(bool(results[k]) for k in checks)
    return _report(ok, results)
