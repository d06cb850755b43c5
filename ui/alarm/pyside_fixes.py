"""Work-arounds for PySide6 6.12.0 reference-count bugs that abort the client on CPython 3.11.

1. ``Signal.emit`` returns ``True`` without a reference (below).
2. **Every Qt method that returns nothing (``setText``, ``show``, ``update``, ``QTimer.start``,
   ``processEvents``...) returns ``None`` without a reference**, so each such call from Python leaves
   ``None``'s reference count one lower. Measured here: a window with a ringing alarm makes ~15 such
   calls a second by itself, so a console that starts with ~37,000 references to ``None`` aborts with
   ``Fatal Python error: none_dealloc`` after about 40 minutes of one alarm, sooner with an operator
   at work. Both look like code written for CPython 3.12+, where ``None``, ``True`` and ``False`` are
   immortal and a missing reference does no harm. ``install()`` therefore gives them what 3.12 gives
   them: a reference count so large (2**60) that no number of missing references can bring it to
   zero in the life of a process. Harmless where the bug is absent: these objects are never freed.

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


IMMORTAL_REFCNT = 1 << 60
_SINGLETONS = (None, True, False)


def void_call_loses_none_reference() -> bool:
    """True if a Qt method returning nothing drops a reference to ``None`` (the 6.12.0 bug)."""
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_EMITS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost > 0:
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return lost >= _PROBE_EMITS


def immortalize_singletons() -> None:
    """Set the reference counts of None, True and False to ``IMMORTAL_REFCNT`` (as CPython 3.12 makes
    them immortal). Runs with the GIL held, as every reference-count change does on 3.11."""
    if sys.version_info >= (3, 12):
        return  # already immortal
    for obj in _SINGLETONS:
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is a PyObject's first field
        if count.value < IMMORTAL_REFCNT:
            count.value = IMMORTAL_REFCNT


def install() -> bool:
    """Apply the work-arounds this PySide6 needs. Idempotent. Returns whether the emit patch is active."""
    global _installed
    if void_call_loses_none_reference() or emit_loses_bool_reference():
        if sys.getrefcount(None) < IMMORTAL_REFCNT // 2:
            log.warning("PySide6 %s: Qt calls that return nothing lose a reference to None; "
                        "None, True and False made immortal", _pyside_version())
        immortalize_singletons()
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
