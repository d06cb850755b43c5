"""The board's model: one row per district, worst first, its waiting age ticking each second.

HQ sends the board (``sync.wire.Board``) every few seconds; between fetches ``tick`` recomputes each
district's severity at the console's own threshold (``core.board.severity``, the rule HQ sorts by)
and the age of its oldest unacknowledged case, from the times already held: no fetch, no I/O, so a
tick is a few microseconds per row and the GUI thread never waits. A district that crosses into
a worse alert state (``ALERTING``) is announced with ``crossed`` so the view can chime.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from core.board import BoardStep, HeartbeatAlert, Severity, severity, sort_key

if TYPE_CHECKING:
    from sync.wire import Board, BoardDistrict

Index = QModelIndex | QPersistentModelIndex

# Severities that chime when a district enters one of them from a better state.
ALERTING = frozenset({Severity.CRITICAL, Severity.OVERDUE, Severity.SILENT})

# Background and text per severity: strong enough to see across a room, text contrast >= 4.5:1.
COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.CRITICAL: ("#8b0000", "#ffffff"),
    Severity.OVERDUE: ("#f5b7b1", "#5c0011"),
    Severity.SILENT: ("#ffd8a8", "#5a2d00"),
    Severity.WAITING: ("#fff3bf", "#4d3b00"),
    Severity.NO_CONSOLES: ("#dee2e6", "#343a40"),
    Severity.OPEN: ("#e7f1fb", "#1d3557"),
}


def clock_text(seconds: float) -> str:
    """A waiting time as a clock: '4:07', '1:02:33' (digits read the same in every language)."""
    s = max(0, int(seconds))
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"



@lru_cache(maxsize=1024)
def _local(moment: datetime) -> str:
    """``moment`` as local hours and minutes (cached: HQ sends the same times board after board)."""
    return moment.astimezone().strftime("%H:%M")


@dataclass
class BoardRow:
    district: BoardDistrict
    severity: Severity = Severity.QUIET
    waited_s: float | None = None

    @property
    def code(self) -> str:
        return self.district.code


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CODE = int(Qt.ItemDataRole.UserRole) + 1
_SEVERITY = int(Qt.ItemDataRole.UserRole) + 2
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
# Up to this many changed cells are announced one by one (so only they repaint), more as one range.
CELL_SIGNALS_MAX = 200
# The step columns' keys in ``BoardDistrict.by_step``, in column order (Unack. to Outc.).
_STEP_KEYS = tuple(str(step) for step in (BoardStep.UNACKNOWLEDGED, BoardStep.ACKNOWLEDGED, BoardStep.DISPATCHED,
                                          BoardStep.REACHED, BoardStep.OUTCOME))
_ROLES = (_DISPLAY, _BACKGROUND, _FOREGROUND, _FONT, _ALIGN, _TOOLTIP, _CODE, _SEVERITY)


class BoardModel(QStandardItemModel):
    """Columns: district, waiting (oldest unacknowledged, ticking), cases by step, consoles online,
    consoles that can sound, outbox, escalations, heartbeat alert."""

    (COL_DISTRICT, COL_WAITING, COL_UNACK, COL_ACK, COL_DISPATCHED, COL_REACHED, COL_OUTCOME,
     COL_ONLINE, COL_SOUND, COL_OUTBOX, COL_ESCALATED, COL_ALERT) = range(12)
    COLUMNS = 12
    STEP_COLUMNS = {
        COL_UNACK: BoardStep.UNACKNOWLEDGED,
        COL_ACK: BoardStep.ACKNOWLEDGED,
        COL_DISPATCHED: BoardStep.DISPATCHED,
        COL_REACHED: BoardStep.REACHED,
        COL_OUTCOME: BoardStep.OUTCOME,
    }
    CODE_ROLE = _CODE
    SEVERITY_ROLE = _SEVERITY

    crossed = Signal(list)  # district codes that just entered an ALERTING severity

    def __init__(self, unack_alert_min: float, parent: Any = None) -> None:
        super().__init__(parent)
        self.unack_alert_min = unack_alert_min
        self._rows: list[BoardRow] = []
        self._board: Board | None = None
        self._blocks = 1
        self._grid: list[list[dict[int, Any] | None]] = []
        self._shown: list[list[dict[int, Any] | None]] = []  # what the items hold now
        self._row_cells: dict[str, tuple[Any, list[dict[int, Any]]]] = {}  # code -> (what made them, cells)
        self._seen = False  # the first board sets the baseline: nothing "crosses" at sign-in
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {sev: (QBrush(QColor(bg)), QBrush(QColor(fg))) for sev, (bg, fg) in COLOURS.items()}

    # ---- data in -----------------------------------------------------------------------------------
    @property
    def board(self) -> Board | None:
        return self._board

    def set_board(self, board: Board, now: datetime | None = None) -> None:
        """A new board from HQ: rows replaced, severities at this console's threshold, worst first."""
        before = {r.code: r.severity for r in self._rows}
        self._board = board
        self._rows = [BoardRow(d) for d in board.districts]
        self._evaluate(now or datetime.now(UTC))
        self._rows.sort(key=self._key)
        self._rebuild()
        self._announce(before)

    def tick(self, now: datetime | None = None) -> None:
        """Each second: ages and severities recomputed from the times held; re-sorted if the order
        changed. No fetch."""
        if not self._rows:
            return
        order = [r.code for r in self._rows]
        before = {r.code: r.severity for r in self._rows}
        self._evaluate(now or datetime.now(UTC))
        self._rows.sort(key=self._key)
        same = order == [r.code for r in self._rows] and all(before[r.code] == r.severity for r in self._rows)
        self._rebuild(only=self.COL_WAITING if same else None)  # usually only the ages moved
        self._announce(before)

    def _evaluate(self, now: datetime) -> None:
        for r in self._rows:
            d = r.district
            r.waited_s = (now - d.oldest_unack_at).total_seconds() if d.oldest_unack_at else None
            r.severity = severity(
                now=now, oldest_unack_at=d.oldest_unack_at, alert=d.alert_kind, consoles=len(d.consoles),
                open_cases=d.open_cases, unack_alert_min=self.unack_alert_min,
            )

    @staticmethod
    def _key(r: BoardRow) -> tuple[Any, ...]:
        return sort_key(r.severity, r.district.oldest_unack_at, r.district.open_cases, r.district.name)

    def _announce(self, before: dict[str, Severity]) -> None:
        if not self._seen:
            self._seen = True
            return
        crossed = [
            r.code for r in self._rows
            if r.severity in ALERTING and (before.get(r.code) is None or before[r.code] > r.severity)
        ]
        if crossed:
            self.crossed.emit(crossed)

    # ---- layout: the sorted districts wrapped into side-by-side blocks --------------------------------
    @property
    def blocks(self) -> int:
        return self._blocks

    def set_blocks(self, blocks: int) -> None:
        """Show the districts in ``blocks`` side-by-side column groups (filled top to bottom, then
        the next group), so 75 districts fit one screen; the view picks the number from its width."""
        blocks = max(1, blocks)
        if blocks != self._blocks:
            self._blocks = blocks
            self._rebuild()

    @property
    def rows_per_block(self) -> int:
        return max(1, -(-len(self._rows) // self._blocks))

    def locate(self, index: Index) -> tuple[BoardRow | None, int]:
        """The district shown at ``index`` (None on a spacer or past the end) and its field column."""
        if not index.isValid():
            return None, -1
        block, field = divmod(index.column(), self.COLUMNS + 1)
        i = block * self.rows_per_block + index.row()
        if field >= self.COLUMNS or i >= len(self._rows):
            return None, field
        return self._rows[i], field

    def index_of(self, code: str, field: int = 0) -> QModelIndex:
        i = next((n for n, r in enumerate(self._rows) if r.code == code), -1)
        if i < 0:
            return QModelIndex()
        block, row = divmod(i, self.rows_per_block)
        return self.index(row, block * (self.COLUMNS + 1) + field)

    def row_at(self, i: int) -> BoardRow:
        """The ``i``-th district, worst first."""
        return self._rows[i]

    @property
    def districts(self) -> int:
        return len(self._rows)

    def grid_row(self, row: int) -> list[dict[int, Any] | None]:
        """The cells of table row ``row`` as painted (role -> value; None on a spacer or an empty
        slot): what ``BoardPainter`` draws, with no ``data()`` call."""
        return self._grid[row] if 0 <= row < len(self._grid) else []

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        field = section % (self.COLUMNS + 1)
        if orientation != Qt.Orientation.Horizontal or field >= self.COLUMNS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[field][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._headers()[field][1]
        return None

    @staticmethod
    def _headers() -> list[tuple[str, str]]:
        return [
            (
                QCoreApplication.translate("Board", "District"),
                QCoreApplication.translate("Board", "District (worst first)"),
            ),
            (
                QCoreApplication.translate("Board", "Waiting"),
                QCoreApplication.translate("Board", "Age of the oldest case the district has not acknowledged"),
            ),
            (
                QCoreApplication.translate("Board", "Unack."),
                QCoreApplication.translate("Board", "Open cases not acknowledged by the district"),
            ),
            (
                QCoreApplication.translate("Board", "Ack."),
                QCoreApplication.translate("Board", "Acknowledged, not dispatched"),
            ),
            (
                QCoreApplication.translate("Board", "Disp."),
                QCoreApplication.translate("Board", "Dispatched or forwarded, not reached"),
            ),
            (
                QCoreApplication.translate("Board", "Reach."),
                QCoreApplication.translate("Board", "Reached, no outcome yet"),
            ),
            (
                QCoreApplication.translate("Board", "Outc."),
                QCoreApplication.translate("Board", "Outcome recorded, case not closed"),
            ),
            (
                QCoreApplication.translate("Board", "Online"),
                QCoreApplication.translate("Board", "Consoles online / consoles of the district"),
            ),
            (
                QCoreApplication.translate("Board", "Sound"),
                QCoreApplication.translate("Board", "Online consoles whose alarm can sound"),
            ),
            (
                QCoreApplication.translate("Board", "Outbox"),
                QCoreApplication.translate("Board", "Entries waiting in the consoles' outboxes"),
            ),
            (
                QCoreApplication.translate("Board", "Esc."),
                QCoreApplication.translate("Board", "Escalation steps taken on open cases"),
            ),
            (
                QCoreApplication.translate("Board", "Alert"),
                QCoreApplication.translate("Board", "Heartbeat alert"),
            ),
        ]

    def _rebuild(self, only: int | None = None) -> None:
        """Put the rows into the cells (text, colours, font, alignment, tooltip, code, severity).

        The cells are ``QStandardItem``s, so painting reads them in C++ with no Python call (a
        Python ``data()`` made painting 900 cells several times slower, bench/bench_board.py). Only
        the values that changed are written, with the model's signals held, then one
        ``dataChanged`` covers them: a tick changes the ages alone. ``only``: recompute that field
        alone, the rest of the grid as it is (the rows in the same order, same severities)."""
        fields = self.COLUMNS + 1
        rows = self.rows_per_block if self._rows else 0
        columns = self._blocks * fields - 1
        reshaped = rows != self.rowCount() or columns != self.columnCount()
        if only is not None and not reshaped:
            grid = [list(line) for line in self._grid]
            for i, r in enumerate(self._rows):
                block, row = divmod(i, rows)
                col = block * fields + only
                old = grid[row][col]
                cell = self._cell(r, only)
                cell[_TOOLTIP] = old.get(_TOOLTIP) if old else self._tooltip(r)
                grid[row][col] = old if old == cell else cell  # an age that did not move stays the same cell
        else:
            grid = [[None] * columns for _ in range(rows)]
            cache: dict[str, tuple[Any, list[dict[int, Any]]]] = {}
            for i, r in enumerate(self._rows):
                block, row = divmod(i, rows)
                # HQ sends the same district again and again, often with nothing shown changed (a
                # console beat): its cells are reused, not remade, when its texts, severity and
                # tooltip's inputs are the same
                texts = self._row_texts(r)
                key = (texts, r.severity, self._tooltip_key(r))
                known = self._row_cells.get(r.code)
                if known is not None and known[0] == key:
                    cells = known[1]
                else:  # the cells that came out the same are kept too (the painter redraws the others)
                    cells = self._cells(r, texts, self._tooltip(r))
                    if known is not None:
                        cells = [old if old == new else new for old, new in zip(known[1], cells, strict=True)]
                cache[r.code] = (key, cells)
                grid[row][block * fields:block * fields + self.COLUMNS] = cells
            self._row_cells = cache
        if reshaped:
            self.beginResetModel()
            self.blockSignals(True)
            self.setRowCount(rows)
            self.setColumnCount(columns)
            self._shown = [[None] * columns for _ in range(rows)]
            self.blockSignals(False)
        changed = self._write(grid)
        self._grid = grid
        if reshaped:
            self.endResetModel()
        elif len(changed) <= CELL_SIGNALS_MAX:  # a tick: the ages alone, repainted cell by cell
            for row, first, last in _runs(changed):  # a district's changed cells side by side: one run
                self.dataChanged.emit(self.index(row, first), self.index(row, last))
        else:
            rows_changed = [row for row, _ in changed]
            cols_changed = [col for _, col in changed]
            self.dataChanged.emit(self.index(min(rows_changed), min(cols_changed)),
                                  self.index(max(rows_changed), max(cols_changed)))

    def _write(self, grid: list[list[dict[int, Any] | None]]) -> list[tuple[int, int]]:
        """Write the cells that differ from what is shown; the (row, column)s whose painted values changed."""
        changed: list[tuple[int, int]] = []
        self.blockSignals(True)
        try:
            for row, line in enumerate(grid):
                shown_line = self._shown[row]
                for col, cell in enumerate(line):
                    shown = shown_line[col]
                    if cell is shown or cell == shown:
                        continue
                    item = self.item(row, col)
                    if item is None:
                        item = QStandardItem()
                        item.setEditable(False)
                        self.setItem(row, col, item)
                    old = shown or {}
                    painted = False
                    for role in _ROLES:
                        value = cell.get(role) if cell else None
                        if value != old.get(role):
                            item.setData(value, role)
                            painted = painted or role != _TOOLTIP
                    shown_line[col] = cell
                    if painted:  # a tooltip alone (a console beat within the minute shown) repaints nothing
                        changed.append((row, col))
        finally:
            self.blockSignals(False)
        return changed

    def _cell(self, r: BoardRow, col: int) -> dict[int, Any]:
        cell: dict[int, Any] = {_DISPLAY: self._text(r, col), _CODE: r.code, _SEVERITY: int(r.severity)}
        pair = self._brushes.get(r.severity)
        if pair:
            cell[_BACKGROUND], cell[_FOREGROUND] = pair
        if col in (self.COL_DISTRICT, self.COL_WAITING) or r.severity in ALERTING:
            cell[_FONT] = self._bold
        if col not in (self.COL_DISTRICT, self.COL_ALERT):
            cell[_ALIGN] = _CENTER
        return cell

    def _cells(self, r: BoardRow, texts: tuple[str, ...], tooltip: str) -> list[dict[int, Any]]:
        """A district's row of cells at once: what ``_cell`` makes field by field, plus the tooltip."""
        base: dict[int, Any] = {_CODE: r.code, _SEVERITY: int(r.severity), _TOOLTIP: tooltip}
        pair = self._brushes.get(r.severity)
        if pair:
            base[_BACKGROUND], base[_FOREGROUND] = pair
        alerting = r.severity in ALERTING
        cells = []
        for col, text in enumerate(texts):
            cell = dict(base)
            cell[_DISPLAY] = text
            if alerting or col in (self.COL_DISTRICT, self.COL_WAITING):
                cell[_FONT] = self._bold
            if col not in (self.COL_DISTRICT, self.COL_ALERT):
                cell[_ALIGN] = _CENTER
            cells.append(cell)
        return cells

    def _row_texts(self, r: BoardRow) -> tuple[str, ...]:
        """The district's texts in column order (``_text`` for every field, in one pass)."""
        d = r.district
        texts = [d.name, clock_text(r.waited_s) if r.waited_s is not None else ""]
        for step in _STEP_KEYS:
            n = d.by_step.get(step, 0)
            texts.append(str(n) if n else "")
        pending = sum(c.pending or 0 for c in d.consoles)
        texts += [
            f"{d.consoles_online}/{len(d.consoles)}",
            str(d.consoles_can_sound) if d.consoles else "",
            str(pending) if pending else "",
            str(d.escalations) if d.escalations else "",
            alert_text(d),
        ]
        return tuple(texts)

    @staticmethod
    def _tooltip_key(r: BoardRow) -> tuple[Any, ...]:
        """What the tooltip is made of (the last heartbeat to the minute, as it is shown)."""
        d = r.district
        newest = max((c.last_seen for c in d.consoles), default=None)
        return (d.name, d.code, d.range, d.escalations, d.escalated_cases, d.last_escalation_step,
                d.last_escalation_at, newest.replace(second=0, microsecond=0) if newest else None)

    def _text(self, r: BoardRow, col: int) -> str:
        d = r.district
        if col == self.COL_DISTRICT:
            return d.name
        if col == self.COL_WAITING:
            return clock_text(r.waited_s) if r.waited_s is not None else ""
        if col in self.STEP_COLUMNS:
            n = d.by_step.get(str(self.STEP_COLUMNS[col]), 0)
            return str(n) if n else ""
        if col == self.COL_ONLINE:
            return f"{d.consoles_online}/{len(d.consoles)}"
        if col == self.COL_SOUND:
            return str(d.consoles_can_sound) if d.consoles else ""
        if col == self.COL_OUTBOX:
            pending = sum(c.pending or 0 for c in d.consoles)
            return str(pending) if pending else ""
        if col == self.COL_ESCALATED:
            return str(d.escalations) if d.escalations else ""
        if col == self.COL_ALERT:
            return alert_text(d)
        return ""

    def _tooltip(self, r: BoardRow) -> str:
        d = r.district
        lines = [f"{d.name} ({d.code})" + (f" · {d.range}" if d.range else "")]
        if d.escalations:
            step = d.last_escalation_step or "?"
            at = _local(d.last_escalation_at) if d.last_escalation_at else ""
            lines.append(QCoreApplication.translate("Board", "%1 escalation step(s) on %2 case(s); last: %3 at %4")
                         .replace("%1", str(d.escalations)).replace("%2", str(d.escalated_cases))
                         .replace("%3", step).replace("%4", at))
        if d.consoles:
            newest = max(c.last_seen for c in d.consoles)
            lines.append(QCoreApplication.translate("Board", "Last heartbeat: %1").replace("%1", _local(newest)))
        lines.append(QCoreApplication.translate("Board", "Double-click or Enter: the district's cases and consoles"))
        return "\n".join(lines)


def _runs(cells: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(row, column)s in row order as (row, first column, last column) runs of adjacent cells."""
    runs: list[tuple[int, int, int]] = []
    for row, col in cells:
        if runs and runs[-1][0] == row and runs[-1][2] == col - 1:
            runs[-1] = (row, runs[-1][1], col)
        else:
            runs.append((row, col, col))
    return runs


def alert_text(d: BoardDistrict) -> str:
    """The heartbeat alert in words, with since when (local time); '' without one."""
    if not d.consoles:
        return QCoreApplication.translate("Board", "No console")
    since = _local(d.alert_since) if d.alert_since else ""
    if d.alert_kind == HeartbeatAlert.NO_HEARTBEAT:
        return QCoreApplication.translate("Board", "No heartbeat since %1").replace("%1", since)
    if d.alert_kind == HeartbeatAlert.CANNOT_SOUND:
        return QCoreApplication.translate("Board", "Cannot sound since %1").replace("%1", since)
    return d.alert_kind or ""


__all__ = ["ALERTING", "COLOURS", "BoardModel", "BoardRow", "alert_text", "clock_text"]
