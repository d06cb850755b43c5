"""Meta's e-mail alerts taken from the monitoring centre's mailbox over IMAP (docs/HQ.md, "Mailbox intake").

- ``hq.mailbox.settings``: the mailbox settings, declared once, read from the environment (the
  password from the environment or the OS keyring);
- ``hq.mailbox.parse``: a mail (bytes) to an intake body, or ``Unparsable``;
- ``hq.mailbox.take``: a mail to a case and the record of the mail, in one transaction;
- ``hq.mailbox.health``: each mailbox's last contact, last good fetch and last error;
- ``hq.mailbox.client``: the IMAP side (one run over the box, IDLE or a short poll between runs)
  and ``MailboxWorker``, the background thread ``python -m hq serve`` starts.

No Qt; no HTTP (``hq/api.py`` serves the health).
"""
