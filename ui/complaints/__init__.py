"""The console's complaints (docs/COMPLAINTS.md, "At the console"): the queue with live countdowns
(``ComplaintQueueView``, a tab of the HQ layout), the complaint's pane with the reply composer and
canned bilingual replies, and the canned replies' editor for supervisors.

Rows are read from the replica and replies sent to HQ through ``ui.operations.complaints``; no
widget here touches the store or the network.
"""

from ui.complaints.view import ComplaintQueueView

__all__ = ["ComplaintQueueView"]
