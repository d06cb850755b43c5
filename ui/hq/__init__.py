"""The HQ layout: the board of every district first, the queue and case detail second.

Chosen by the main window when the signed-in user's tier is HQ (``core.events.tier_for_role``);
district consoles keep the queue-and-detail layout, and so do the SP's office and the range DIG
(``TIP_DESK_ROLES``): their replica holds only their tips, so the queue is their tip queue, the
detail pane's tip box their tip desk (officer, actions, outcome), and the Reports view (menu) their
counts. HQ's board and escalation policies are not theirs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from core.events import Tier
from ui.context import ApplicationContext
from ui.hq.layout import HQLayout
from ui.queue_view import QueueView

# Accounts whose console is a tip desk (hq/principals.py ``TIP_ROLES``).
TIP_DESK_ROLES = frozenset({"sp_office", "range_dig"})


def hq_layout(ctx: ApplicationContext, cases: QWidget, queue: QueueView, *, with_sound: bool) -> HQLayout | None:
    """The HQ layout around ``cases`` (the queue and detail) for an HQ account; None for a district's."""
    if ctx.author.tier is not Tier.HQ or ctx.role in TIP_DESK_ROLES:
        return None
    return HQLayout(ctx, cases, queue, with_sound=with_sound)


__all__ = ["TIP_DESK_ROLES", "HQLayout", "hq_layout"]
