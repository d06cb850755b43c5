"""The anonymous WhatsApp tip line at HQ (docs/TIPLINE.md).

- ``settings``: the tip line's settings and secrets (environment or keyring; never a plaintext fallback)
- ``identity``: the sealed sender, the pseudonym police see, receipt codes, retention
- ``cloud``: the WhatsApp Cloud API (send, media) as HQ calls it
- ``media``: download with limits, type sniffed from the bytes, sealed original, cleaned police copy
- ``bot``: the conversation state machine (pure: no SQL, no HTTP)
- ``relay``: the worker that runs the bot on the inbox and files tips as cases (through ``hq.intake``)
- ``replies``: the replies' outbox and their sending (text in the 24-hour window, a template outside)
- ``routing``: the district a tip's place names (names and aliases), or none for triage
- ``officers``: an officer's question to the tipster, the police copy of a tip's media (no HTTP)
- ``webhook``: the HTTP routes (Meta's webhook, officers' questions, police media copies)

No Qt here. Nothing in this package writes a tipster's number to a log, an event, an audit row or
any table in clear.
"""
