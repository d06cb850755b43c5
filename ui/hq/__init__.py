"""The HQ layout: the board of every district first, the queue and case detail second.

Chosen by the main window when the signed-in user's tier is HQ (``core.events.tier_for_role``);
district consoles keep the queue-and-detail layout.
"""

from ui.hq.layout import HQLayout

__all__ = ["HQLayout"]
