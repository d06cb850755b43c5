"""What the queue shows of a tip: its category, the tipster's pseudonym and whether it sent tips
before (never a number: HQ puts none in any event), the officer it is passed to, and in the status
column the tip's own status (``core.reports.tip_status``: not yet taken up, passed to an officer,
action taken, closed), not the suicide siren's workflow.

The queue's rows come from the store's projection, which holds no tip facts; ``TipColumn`` reads the
``tip`` object of the shown tip rows' ``created`` events (and their latest officer) on the reader
pool and keeps them by case id, forgetting a case when ``TaskManager.cases_changed`` names it (an
officer assigned), so the next refresh reads it again. Threading: GUI thread; the read runs on the
reader pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.context import ApplicationContext
from ui.labels import tip_category_label, tip_status_label
from ui.operations.tips import tip_summaries

TIP_CACHE_MAX = 5000


def tip_line(tip: dict[str, Any]) -> str:
    """ "Gambling · Tipster K7F3 (seen before) · SI Ravi Kumar" in the UI language."""
    who = str(tip.get("pseudonym") or "")
    if int(tip.get("prior_tips") or 0) > 0:
        who = QCoreApplication.translate("Tips", "%1 (seen before)").replace("%1", who)
    officer = tip.get("officer")
    with_officer = " ".join(str(officer.get(k) or "") for k in ("rank", "name")).strip() if officer else ""
    return " · ".join(x for x in (tip_category_label(tip.get("category")), who, with_officer) if x)


class TipColumn:
    """Tip facts for the queue's subject and status columns, loaded for the rows shown; ``changed()``
    is called on the GUI thread once facts arrive, so the model repaints those columns."""

    def __init__(self, ctx: ApplicationContext, changed: Callable[[], None]) -> None:
        self._ctx = ctx
        self._changed = changed
        self._facts: dict[str, dict[str, Any]] = {}
        self._asked: set[str] = set()
        ctx.taskman.cases_changed.connect(self._forget)

    def _forget(self, case_ids: Any) -> None:
        """Read these cases' tip facts again at the next ``want`` (None: every case)."""
        if case_ids is None:
            self._asked.clear()
        else:
            self._asked.difference_update(case_ids)

    def want(self, rows: Iterable[Any]) -> None:
        missing = [r.case_id for r in rows if r.kind == "tip" and r.case_id not in self._asked]
        if not missing:
            return
        if len(self._asked) > TIP_CACHE_MAX:
            self._asked.clear()
            self._facts.clear()
        self._asked.update(missing)

        def done(facts: dict[str, dict[str, Any]]) -> None:
            self._facts.update(facts)
            if facts:
                self._changed()

        tip_summaries(self._ctx, missing, success=done).run(self._ctx.taskman)

    def text(self, case_id: str) -> str | None:
        tip = self._facts.get(case_id)
        return None if tip is None else tip_line(tip)

    def status(self, case_id: str) -> str | None:
        """The tip's status in words, or None until its facts are read."""
        tip = self._facts.get(case_id)
        return None if tip is None or not tip.get("status") else tip_status_label(str(tip["status"]))
