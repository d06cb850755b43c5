"""Root test configuration: the environment every test shares.

Fixtures that start real parts live in tests/fixtures/ (one module per part) and are registered
here once, so a session-scoped part (the PostgreSQL cluster, the PulseAudio daemon) is started at
most once per run: PostgreSQL (postgres.py), PulseAudio null sink (pulse.py), HQ on uvicorn over
loopback (hq.py), the in-memory OS keyring (keyring.py). The TCP fault proxy (faultproxy.py) is a
plain class used by the sync tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Qt must never need a display in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

pytest_plugins = [
    "tests.fixtures.keyring",
    "tests.fixtures.postgres",
    "tests.fixtures.hq",
    "tests.fixtures.pulse",
]


@pytest.fixture(scope="session", autouse=True)
def _process_wide_qt_environment(pulse_server: object) -> object:
    """Set up, once and before any test touches Qt, what every Qt-using test in this process needs.

    - QtMultimedia binds to the audio server the first time it is used in a process and never again,
      so the private null-sink daemon (and PULSE_SERVER) must be up before the first test of any
      folder that may create an alarm; whichever folder runs first.
    """
    return pulse_server


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """The client's rule in tests too (ui/gc_guard.py): Python's cyclic collector never runs on a worker
    thread once Qt objects exist, since a collection there can destroy a Qt object on the wrong thread
    and crash the process later. The first test that uses Qt installs the guard (automatic collection
    off, collected from a QTimer on the GUI thread); from then on each test ends with a collection
    on the main thread: a full one after a Qt test, the threshold check after any other."""
    from ui import gc_guard

    if {"qtbot", "qapp"} & set(request.fixturenames):
        gc_guard.install(request.getfixturevalue("qapp"))
    yield
    guard = gc_guard.installed()
    if guard is not None:
        if {"qtbot", "qapp"} & set(request.fixturenames):
            guard.collect_now()
        else:
            guard.check()
