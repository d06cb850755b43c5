"""The HQ layout: the board of every district first, the queue and case detail second.

Chosen by the main window when the signed-in user's tier is HQ (``core.events.tier_for_role``);
district consoles keep the queue-and-detail layout.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from core.events import Tier
from ui.context import ApplicationContext
from ui.hq.layout import HQLayout
from ui.queue_view import QueueView


def hq_layout(ctx: ApplicationContext, cases: QWidget, queue: QueueView, *, with_sound: bool) -> HQLayout | None:
    """The HQ layout around ``cases`` (the queue and detail) for an HQ account; None for a district's."""
    if ctx.author.tier is not Tier.HQ:
        return None
    return HQLayout(ctx, cases, queue, with_sound=with_sound)


__all__ = ["HQLayout", "hq_layout"]
