"""The operations layer: named operations, each one thing the console does, run off the GUI thread.

As Anki's ``aqt/operations``: a widget calls an operation by what it does and gets back an op to
``run(ctx.taskman)``; its ``success``/``failure`` callbacks run on the GUI thread. The operation
opens the unit of work (``writing``: committed; ``reading``: a reader) and hands it to its body, so
no widget opens one, and only this package imports ``core.store`` or ``sync``
(tests/unit/ui/test_layering.py checks it).

* ``record``: record an event (every operator action, the audited contact reveal too), open a case
  at an HQ console (manual intake, with its twin check), mark refused entries as dealt with;
* ``cases``: load a case, a queue page and its count, the police stations, the alarm's rows, the
  overdue sweep, the refused list, the case holding an upstream reference;
* ``drafts``: load and save a form's draft (a submit discards it in the event's own transaction);
* ``routing``: the districts and their police stations a case is routed to, kept for offline use;
* ``console``: start-up (open the store, restore the session, the sync engine), login, unlock and
  the verifier, place names, sync now, the disk check, the self-check's store probe.

``base`` holds the machinery: the pools, ``QueryOp``/``CollectionOp``, error routing by cause.
"""

from ui.operations.base import (
    CollectionOp,
    QueryOp,
    Superseded,
    TaskManager,
    alive,
    is_user_error,
    reading,
    store_error_text,
    writing,
)

__all__ = [
    "CollectionOp",
    "QueryOp",
    "Superseded",
    "TaskManager",
    "alive",
    "is_user_error",
    "reading",
    "store_error_text",
    "writing",
]
