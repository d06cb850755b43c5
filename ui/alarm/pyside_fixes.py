"""Work-around for a PySide6 6.12.0 reference-count bug that aborts the client after a few hundred signals.

Measured here (PySide6 6.12.0, CPython 3.11.7): every ``SignalInstance.emit(...)`` called from
Python returns ``True`` without taking a reference to it, so each emit leaves ``True``'s reference
count one lower. After a few hundred to a few thousand emits (``sys.getrefcount(True)`` starts
around 500-3000) CPython aborts with ``Fatal Python error: bool_dealloc: deallocating True or
False``. Connected or not, with any argument types. For a control-room console that runs for days
and emits signals on every sync and every query result, that is a guaranteed crash, alarm included.

``install()`` detects the bug with a probe signal and, only if present, wraps
``SignalInstance.emit`` so the missing reference is added back. On CPython 3.12+ (immortal
``True``) or a fixed PySide6 the probe shows no loss and nothing is patched. Call it once at
start-up, before signals fly; ``ui.alarm`` calls it on import so the client is protected even if
the caller forgets, and the test conftests call it at session start.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

log = logging.getLogger(__name__)
_PROBE_EMITS = 16
_installed = False


class _Probe(QObject):
    ping = Signal()


def emit_loses_bool_reference() -> bool:
    """True if emitting a signal from Python drops a reference to ``True`` (the 6.12.0 bug)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:  # give back what the probe itself took
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost >= _PROBE_EMITS


def install() -> bool:
    """Patch ``SignalInstance.emit`` if this PySide6 has the bug. Idempotent. Returns whether a patch is active."""
    global _installed
    if _installed:
        return True
    if not emit_loses_bool_reference():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
    _installed = True
    if emit_loses_bool_reference():  # pragma: no cover - would mean the patch did not take
        log.error("PySide6 emit reference-count work-around did not take effect")
        return False
    log.warning("PySide6 %s: Signal.emit loses a reference to True; work-around installed", _pyside_version())
    return True


def _pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)
