"""The mailbox strip above the HQ board: each mailbox's health, red when its server has not answered
for ``STALE_S`` or its last error is newer than its last good fetch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync.wire import Board, BoardMailbox
from tests.unit.ui.hq.boards import up_board
from ui.hq.mailboxes import RED, STALE_S, MailboxStrip, Trouble, mailbox_trouble

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def _box(contact_s: float | None, fetch_s: float | None, error_s: float | None = None) -> BoardMailbox:
    def ago(s: float | None) -> datetime | None:
        return None if s is None else NOW - timedelta(seconds=s)

    failing = error_s is not None and (fetch_s is None or error_s < fetch_s)
    return BoardMailbox("alerts@upsmc.example", ago(contact_s), ago(fetch_s), "boom" if error_s else None,
                        ago(error_s), failing)


def test_trouble_rule() -> None:
    assert mailbox_trouble(_box(10, 10), NOW) is Trouble.NONE
    assert mailbox_trouble(_box(None, None), NOW) is Trouble.NEVER
    assert mailbox_trouble(_box(STALE_S + 1, STALE_S + 1), NOW) is Trouble.STALE
    assert mailbox_trouble(_box(STALE_S - 1, STALE_S - 1), NOW) is Trouble.NONE
    assert mailbox_trouble(_box(5, 600, error_s=5), NOW) is Trouble.FAILING  # error after the last good fetch
    assert mailbox_trouble(_box(5, 5, error_s=600), NOW) is Trouble.NONE  # an old error, a good fetch since
    assert mailbox_trouble(_box(5, None, error_s=5), NOW) is Trouble.FAILING  # never a good fetch


def _board(*boxes: BoardMailbox) -> Board:
    base = up_board(n=3, consoles=3, now=NOW)
    return Board(base.as_of, base.presence_timeout_s, None, base.ranges, 0, base.districts, boxes)


def test_the_strip_shows_each_mailbox_red_when_in_trouble(qtbot) -> None:
    strip = MailboxStrip()
    qtbot.addWidget(strip)
    assert strip.isHidden()  # nothing until the first board
    good = _box(8, 8)
    bad = BoardMailbox("meta@upsmc.example", NOW - timedelta(seconds=30), NOW - timedelta(minutes=20),
                       "IMAP: connection reset\nsecond line", NOW - timedelta(seconds=30), True)
    strip.set_board(_board(good, bad))
    assert not strip.isHidden()
    assert [label.styleSheet() == RED for label in strip.labels] == [False, True]
    assert strip.troubles == {"alerts@upsmc.example": Trouble.NONE, "meta@upsmc.example": Trouble.FAILING}
    assert "alerts@upsmc.example" in strip.labels[0].text() and "error" not in strip.labels[0].text()
    assert "IMAP: connection reset" in strip.labels[1].text() and "second line" not in strip.labels[1].text()
    assert strip.labels[1].toolTip().endswith("second line")  # the whole error on hover
    assert strip.minimumSizeHint().width() < 400  # a long error never widens the window

    strip.set_board(_board(_box(STALE_S + 60, STALE_S + 60)))  # the next board replaces the labels
    assert len(strip.labels) == 1 and strip.labels[0].styleSheet() == RED
    assert f"no answer for over {STALE_S // 60} min" in strip.labels[0].text()

    strip.set_board(_board())
    assert len(strip.labels) == 1 and "No mailbox" in strip.labels[0].text() and strip.labels[0].styleSheet() != RED
