"""Root test configuration: the environment every test shares.

Fixtures that start real parts live in tests/fixtures/ (one module per part) and are registered
here once, so a session-scoped part (the PostgreSQL cluster, the PulseAudio daemon) is started at
most once per run: PostgreSQL (postgres.py), PulseAudio null sink (pulse.py), HQ on uvicorn over
loopback (hq.py), the in-memory OS keyring (keyring.py). The TCP fault proxy (faultproxy.py) is a
plain class used by the sync tests. Only a run that has a ``qt`` test (marked here at collection)
starts the PulseAudio daemon; a run without one asserts at its end that it started neither the
daemon nor a QApplication.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

from tests.fixtures import profiles

# Qt must never need a display in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")
# HQ hashes passwords at the cheapest argon2 cost in tests (in this process and in the HQ processes
# tests start, which inherit the environment): a full-cost hash or sign-in takes 0.1-0.5 s here, and the
# suite signs in hundreds of times. tests/unit/hq/test_password_hash_cost.py checks the production cost.
os.environ.setdefault("RAKSHAK_HQ_PASSWORD_HASH_PROFILE", "CHEAPEST")

profiles.load()  # HYPOTHESIS_PROFILE: ci (the default) or deep (tests/fixtures/profiles.py)

pytest_plugins = [
    "tests.fixtures.keyring",
    "tests.fixtures.postgres",
    "tests.fixtures.hq",
    "tests.fixtures.pulse",
    "tests.fixtures.dovecot",
    "tests.fixtures.social_sims",
]


# The folders of the Qt client's tests: every test in them may create an alarm or start the client.
QT_FOLDERS = ("tests/unit/ui/", "tests/integration/sound/", "tests/e2e/")
# A test that asks for one of these (directly or through another fixture) uses Qt or the audio path.
QT_FIXTURES = frozenset({"qapp", "pulse_server"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``qt`` every test that uses Qt or the audio path: those in the client's folders and those
    that ask for ``qtbot``/``qapp``/``pulse_server`` anywhere else."""
    for item in items:
        path = item.path.relative_to(config.rootpath).as_posix()
        if path.startswith(QT_FOLDERS) or QT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.qt)


def _uses_qt(session: pytest.Session) -> bool:
    return any(item.get_closest_marker("qt") for item in session.items)


@pytest.fixture(scope="session", autouse=True)
def _audio_server_before_qt(request: pytest.FixtureRequest) -> Iterator[None]:
    """Start the private null-sink daemon before the first test of a run that has any ``qt`` test,
    and neither the daemon nor a QApplication in a run that has none (``pytest tests/unit/core``).

    QtMultimedia binds to the audio server the first time it is used in a process and never again,
    so the daemon (and PULSE_SERVER, which subprocesses under test inherit) must be up before the
    first Qt test of the run, whichever folder runs first.
    """
    if _uses_qt(request.session):
        request.getfixturevalue("pulse_server")
        yield
        return
    yield
    from tests.fixtures import pulse

    assert not pulse.started(), "a run without Qt tests started the PulseAudio daemon"
    qt_core = sys.modules.get("PySide6.QtCore")
    assert qt_core is None or qt_core.QCoreApplication.instance() is None, (
        "a run without Qt tests created a QApplication: mark the test `qt` or give it `qtbot`"
    )


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """The client's rule in tests too (ui/gc_guard.py): Python's cyclic collector never runs on a worker
    thread once Qt objects exist, since a collection there can destroy a Qt object on the wrong thread
    and crash the process later. The first test that uses Qt installs the guard (automatic collection
    off, collected from a QTimer on the GUI thread); from then on each test ends with a collection
    on the main thread: a full one after a Qt test, the threshold check after any other."""
    uses_qt = bool({"qtbot", "qapp"} & set(request.fixturenames))
    if not uses_qt and "ui.gc_guard" not in sys.modules:
        yield  # no Qt in this process yet: nothing to guard, and no reason to import Qt
        return
    from ui import gc_guard  # imported here so that a run without Qt tests never loads Qt

    if uses_qt:
        gc_guard.install(request.getfixturevalue("qapp"))
    yield
    guard = gc_guard.installed()
    if guard is not None:
        if uses_qt:
            guard.collect_now()
        else:
            guard.check()
