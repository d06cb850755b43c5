"""The SP office's officer list: the district's officers a tip may be passed to (name, rank, police
station, active), with adding and retiring.

HQ keeps the list (hq/tipline/roster.py); this screen reads it, adds and retires through HQ on the
network pool (``ui.operations.tip_officers``), and every list HQ gives refreshes the copy the console
keeps in its store for offline assignment. Without HQ the screen shows that copy (active officers
only) and says so; adding and retiring wait for HQ, because an officer HQ does not know would be
refused when a tip is passed to them.

Threading: GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import ApplicationContext
from ui.labels import local_time
from ui.operations import QueryOp, alive
from ui.operations.tip_officers import (
    CachedOfficers,
    add_officer,
    cached_officers,
    fetch_officers,
    retire_officer,
)
from ui.operations.tips import tip_error_text

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# Who keeps a district's list (hq/tipline/roster.py ``KEEPERS``, less HQ's operators, who have no
# district of their own at a console).
KEEPER_ROLES = frozenset({"sp_office"})
NAME_MAX_CHARS = 200
RANK_MAX_CHARS = 100
STATION_MAX_CHARS = 100


class OfficerListDialog(QDialog):
    """The district's officers, from HQ (or the console's copy when HQ cannot be reached)."""

    COL_NAME, COL_RANK, COL_STATION, COL_ACTIVE = range(4)

    def __init__(self, ctx: ApplicationContext, district: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tip-officer-list")
        self.setWindowTitle(self.tr("Officers for tips"))
        self._ctx = ctx
        self.district = district
        self.officers: list[dict[str, Any]] = []
        self.online = False
        self.status = QLabel(self.tr("Loading the district's officers from HQ…"))
        self.status.setObjectName("tip-officer-list-status")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("tip-officer-table")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Rank"), self.tr("Police station"),
                                              self.tr("Active")])  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._set_buttons)
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Name"))
        self.name.setMaxLength(NAME_MAX_CHARS)
        self.rank = QLineEdit()
        self.rank.setAccessibleName(self.tr("Rank"))
        self.rank.setMaxLength(RANK_MAX_CHARS)
        self.station = QLineEdit()
        self.station.setAccessibleName(self.tr("Police station"))
        self.station.setMaxLength(STATION_MAX_CHARS)
        self.add_button = QPushButton(self.tr("Add officer"))
        self.add_button.setObjectName("tip-officer-add")
        self.add_button.clicked.connect(self.add)
        self.retire_button = QPushButton(self.tr("Retire selected officer"))
        self.retire_button.setObjectName("tip-officer-retire")
        self.retire_button.clicked.connect(self.retire)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        for edit in (self.name, self.rank, self.station):
            edit.textChanged.connect(self._set_buttons)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Rank (SI, Inspector…)"), self.rank)
        form.addRow(self.tr("Police station (optional)"), self.station)
        row = QHBoxLayout()
        for b in (self.add_button, self.retire_button, self.refresh_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(row)
        self.resize(640, 480)
        self._busy = False
        self._set_buttons()

    # ---- the list ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """HQ's list (retired officers too); HQ out of reach or not signed in: the console's copy."""
        self.status.setText(self.tr("Loading the district's officers from HQ…"))

        def loaded(officers: list[dict[str, Any]]) -> None:
            if alive(self):
                self.online = True
                self.show_officers(officers)
                self.status.setText(self.tr("The district's officers as HQ keeps them."))

        def failed(exc: BaseException) -> None:
            if alive(self):
                self._offline(tip_error_text(exc))

        op = fetch_officers(self._ctx, self.district, include_retired=True, success=loaded, failure=failed)
        if op is None:
            self._offline(self.tr("this console is not signed in to HQ."))
            return
        op.run(self._ctx.taskman)

    def _offline(self, why: str) -> None:
        self.online = False
        self._set_buttons()

        def shown(cache: CachedOfficers) -> None:
            if not alive(self):
                return
            self.show_officers(cache.officers)
            if cache.fetched_at:
                text = self.tr("HQ's list could not be read: %1 Shown: the active officers as HQ gave them at "
                               "%2. Adding and retiring need HQ.")  # fmt: skip
                self.status.setText(text.replace("%1", why).replace("%2", local_time(cache.fetched_at)))
            else:
                text = self.tr("HQ's list could not be read: %1 This console has no copy of it yet.")
                self.status.setText(text.replace("%1", why))

        cached_officers(self._ctx, self.district, success=shown).run(self._ctx.taskman)

    def show_officers(self, officers: list[dict[str, Any]]) -> None:
        self.officers = sorted(officers, key=lambda o: (not o.get("active", True), str(o.get("name") or "")))
        self.table.setRowCount(len(self.officers))
        for r, o in enumerate(self.officers):
            active = bool(o.get("active", True))
            cells = (str(o.get("name") or ""), str(o.get("rank") or ""),
                     self._ctx.places.name(o.get("station")) if o.get("station") else "",
                     self.tr("Active") if active else self.tr("Retired"))  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, o.get("id"))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self._set_buttons()

    def selected(self) -> dict[str, Any] | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.officers[rows.pop()] if len(rows) == 1 else None

    def _set_buttons(self) -> None:
        may = self.online and not self._busy
        filled = bool(self.name.text().strip()) and bool(self.rank.text().strip())
        self.add_button.setEnabled(may and filled)
        chosen = self.selected()
        self.retire_button.setEnabled(may and chosen is not None and bool(chosen.get("active", True)))

    # ---- changes (through HQ) ----------------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        if alive(self):
            self._busy = False
            self.status.setText(self.tr("HQ did not take the change: %1").replace("%1", tip_error_text(exc)))
            self._set_buttons()

    def _done(self, _officer: dict[str, Any]) -> None:
        if alive(self):
            self._busy = False
            self.refresh()  # HQ's list again, which refreshes the console's copy too

    def add(self) -> None:
        name, rank, station = self.name.text().strip(), self.rank.text().strip(), self.station.text().strip()
        if not (self.online and name and rank):
            return

        def added(officer: dict[str, Any]) -> None:
            if alive(self):
                for edit in (self.name, self.rank, self.station):
                    edit.clear()
                self._done(officer)

        self._send(add_officer(self._ctx, self.district, name, rank, station or None, success=added,
                               failure=self._failed))  # fmt: skip

    def retire(self) -> None:
        officer = self.selected()
        if officer is None or not self.online:
            return
        self._send(retire_officer(self._ctx, str(officer["id"]), success=self._done, failure=self._failed))

    def _send(self, op: QueryOp[Any] | None) -> None:
        """An add or a retire to HQ, on the network pool; None: not signed in, said so."""
        if op is None:
            self._offline(self.tr("this console is not signed in to HQ."))
            return
        self._busy = True
        self._set_buttons()
        op.run(self._ctx.taskman)


def open_officers(window: MainWindow) -> OfficerListDialog | None:
    """Show the window's officer list (one per main window) for the signed-in SP office's district."""
    ctx = window.ctx
    if ctx.role not in KEEPER_ROLES or not ctx.district:
        window.notice(QMessageBox.Icon.Information, QCoreApplication.translate("Tips", "Officers for tips"),
                      QCoreApplication.translate("Tips", "The officer list is kept by the district's SP office."))
        return None
    existing = window.findChild(OfficerListDialog)
    if existing is None:
        existing = OfficerListDialog(ctx, ctx.district, window)
    existing.show()
    existing.raise_()
    existing.refresh()
    return existing


__all__ = ["KEEPER_ROLES", "OfficerListDialog", "open_officers"]
