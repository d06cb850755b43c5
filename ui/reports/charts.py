"""The Reports view's charts, painted with QPainter: alerts and lives saved per week or month (grouped
bars), and the spread of each step's time (p50-p90 box, whisker to p99, target mark, log scale).

Why QPainter and not a chart library: QtCharts is deprecated since Qt 6.10; QtGraphs' 2D graphs are
QML-only in Qt 6.11, which would bring QtQuick and a QML engine into a widgets client (and its bundle)
for two charts; pyqtgraph is a further dependency for the same. Painting ourselves costs ~200 lines,
draws its labels with the application font (so Hindi falls back to the bundled Noto Sans Devanagari
like every widget), and the same ``paint_*`` functions draw the charts into the PDF export
(QPdfWriter is a paint device), so the screen and the paper show one drawing.

The chart data are plain values (built on the GUI thread, labels already translated); the paint
functions may run on any thread that owns the paint device (the PDF export paints on a worker).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

ALERTS_COLOUR = QColor("#5b7fa6")
SAVED_COLOUR = QColor("#2e8b57")
BOX_COLOUR = QColor("#e3a33b")
TARGET_COLOUR = QColor("#c0392b")
AXIS_COLOUR = QColor("#555555")


@dataclass(frozen=True)
class BarSeries:
    name: str
    values: tuple[int, ...]
    colour: str


@dataclass(frozen=True)
class BarChartData:
    title: str
    labels: tuple[str, ...]  # one per week or month
    series: tuple[BarSeries, ...]
    empty_text: str = ""


@dataclass(frozen=True)
class SpreadRow:
    label: str
    p50: float | None  # minutes
    p90: float | None
    p99: float | None
    target: float | None


@dataclass(frozen=True)
class SpreadChartData:
    title: str
    rows: tuple[SpreadRow, ...]
    axis_label: str  # "minutes (log scale)"
    legend: tuple[str, str, str]  # "p50", "p50–p90 / whisker to p99", "target"
    empty_text: str = ""


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return float(step * exp)
    return float(10 * exp)


def _title(painter: QPainter, rect: QRectF, title: str) -> QRectF:
    fm = QFontMetricsF(painter.font())
    font = painter.font()
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(
        QRectF(rect.left(), rect.top(), rect.width(), fm.height() * 1.4),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        title,
    )
    font.setBold(False)
    painter.setFont(font)
    return rect.adjusted(0, fm.height() * 1.6, 0, 0)


def _legend(painter: QPainter, rect: QRectF, items: list[tuple[str, QColor]]) -> QRectF:
    fm = QFontMetricsF(painter.font())
    x = rect.left()
    box = fm.height() * 0.7
    for text, colour in items:
        painter.fillRect(QRectF(x, rect.top() + (fm.height() - box) / 2, box, box), colour)
        x += box + 4
        painter.setPen(AXIS_COLOUR)
        painter.drawText(QPointF(x, rect.top() + fm.ascent()), text)
        x += fm.horizontalAdvance(text) + 16
    return rect.adjusted(0, fm.height() * 1.4, 0, 0)


def paint_bars(painter: QPainter, rect: QRectF, data: BarChartData) -> None:
    """Grouped bars: one group per label, one bar per series, a value axis from 0."""
    painter.save()
    area = _title(painter, rect, data.title)
    fm = QFontMetricsF(painter.font())
    if not data.labels:
        painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), data.empty_text)
        painter.restore()
        return
    area = _legend(painter, area, [(s.name, QColor(s.colour)) for s in data.series])
    top = _nice_max(max((v for s in data.series for v in s.values), default=0))
    axis_w = fm.horizontalAdvance(f"{int(top):,}") + 8
    plot = QRectF(
        area.left() + axis_w, area.top() + fm.height() / 2, area.width() - axis_w, area.height() - fm.height() * 2.2
    )
    painter.setPen(QPen(AXIS_COLOUR, 0))
    for i in range(5):  # grid and value labels
        y = plot.bottom() - plot.height() * i / 4
        painter.setPen(QPen(QColor("#dddddd"), 0))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(AXIS_COLOUR)
        text = f"{int(top * i / 4):,}"
        painter.drawText(QPointF(plot.left() - fm.horizontalAdvance(text) - 4, y + fm.ascent() / 2.5), text)
    group_w = plot.width() / len(data.labels)
    bar_w = group_w * 0.8 / max(1, len(data.series))
    every = max(1, math.ceil(len(data.labels) * (fm.horizontalAdvance("Mmm 00") + 6) / max(1.0, plot.width())))
    for gi, label in enumerate(data.labels):
        x0 = plot.left() + gi * group_w + group_w * 0.1
        for si, series in enumerate(data.series):
            value = series.values[gi] if gi < len(series.values) else 0
            h = plot.height() * value / top
            painter.fillRect(QRectF(x0 + si * bar_w, plot.bottom() - h, bar_w * 0.92, h), QColor(series.colour))
        if gi % every == 0:
            painter.setPen(AXIS_COLOUR)
            painter.drawText(
                QRectF(plot.left() + gi * group_w - group_w, plot.bottom() + 2, group_w * 3, fm.height() * 1.2),
                int(Qt.AlignmentFlag.AlignHCenter),
                label,
            )
    painter.setPen(QPen(AXIS_COLOUR, 0))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.restore()


def paint_spread(painter: QPainter, rect: QRectF, data: SpreadChartData) -> None:
    """One row per step: box from p50 to p90, whisker to p99, a tick at p50, the target as a red mark;
    minutes on a log scale (steps run from seconds to hours)."""
    painter.save()
    area = _title(painter, rect, data.title)
    fm = QFontMetricsF(painter.font())
    values = [v for r in data.rows for v in (r.p50, r.p90, r.p99, r.target) if v is not None and v > 0]
    if not values:
        painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), data.empty_text)
        painter.restore()
        return
    area = _legend(
        painter, area, [(data.legend[0], AXIS_COLOUR), (data.legend[1], BOX_COLOUR), (data.legend[2], TARGET_COLOUR)]
    )
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    if hi <= lo:
        hi = lo * 10
    label_w = max(fm.horizontalAdvance(r.label) for r in data.rows) + 10
    plot = QRectF(area.left() + label_w, area.top(), area.width() - label_w - 10, area.height() - fm.height() * 2.6)
    row_h = plot.height() / len(data.rows)

    def x_of(v: float) -> float:
        v = max(v, lo)
        return plot.left() + plot.width() * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    decade = lo
    while decade <= hi * 1.001:  # decade grid with labels
        x = x_of(decade)
        painter.setPen(QPen(QColor("#dddddd"), 0))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(AXIS_COLOUR)
        text = f"{decade:g}"
        painter.drawText(QPointF(x - fm.horizontalAdvance(text) / 2, plot.bottom() + fm.ascent() + 2), text)
        decade *= 10
    painter.drawText(
        QRectF(plot.left(), plot.bottom() + fm.height() * 1.2, plot.width(), fm.height() * 1.3),
        int(Qt.AlignmentFlag.AlignHCenter),
        data.axis_label,
    )
    for i, row in enumerate(data.rows):
        cy = plot.top() + row_h * (i + 0.5)
        painter.setPen(AXIS_COLOUR)
        painter.drawText(
            QRectF(area.left(), cy - row_h / 2, label_w - 8, row_h),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            row.label,
        )
        box_h = min(row_h * 0.5, fm.height() * 1.2)
        if row.p99 is not None and row.p90 is not None:
            painter.setPen(QPen(AXIS_COLOUR, 1.2))
            painter.drawLine(QPointF(x_of(row.p90), cy), QPointF(x_of(row.p99), cy))
            painter.drawLine(QPointF(x_of(row.p99), cy - box_h / 3), QPointF(x_of(row.p99), cy + box_h / 3))
        if row.p50 is not None and row.p90 is not None:
            painter.fillRect(
                QRectF(x_of(row.p50), cy - box_h / 2, max(2.0, x_of(row.p90) - x_of(row.p50)), box_h), BOX_COLOUR
            )
        if row.p50 is not None:
            painter.setPen(QPen(AXIS_COLOUR, 2.5))
            painter.drawLine(QPointF(x_of(row.p50), cy - box_h / 2), QPointF(x_of(row.p50), cy + box_h / 2))
        if row.target is not None and row.target > 0:
            painter.setPen(QPen(TARGET_COLOUR, 2))
            x = x_of(row.target)
            painter.drawLine(QPointF(x, cy - row_h * 0.4), QPointF(x, cy + row_h * 0.4))
    painter.restore()


class ChartView(QWidget):
    """A widget that paints one chart's data (``BarChartData`` or ``SpreadChartData``)."""

    def __init__(self, data: BarChartData | SpreadChartData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(data.title)

    @property
    def data(self) -> BarChartData | SpreadChartData:
        return self._data

    def set_data(self, data: BarChartData | SpreadChartData) -> None:
        self._data = data
        self.setAccessibleName(data.title)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 160)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        painter.setPen(self.palette().text().color())
        paint_chart(painter, QRectF(self.rect()).adjusted(8, 6, -8, -6), self._data)
        painter.end()


def paint_chart(painter: QPainter, rect: QRectF, data: object) -> None:
    if isinstance(data, BarChartData):
        paint_bars(painter, rect, data)
    elif isinstance(data, SpreadChartData):
        paint_spread(painter, rect, data)


__all__ = ["BarChartData", "BarSeries", "ChartView", "SpreadChartData", "SpreadRow", "paint_chart"]
