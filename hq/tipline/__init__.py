"""The anonymous WhatsApp tip line at HQ (docs/TIPLINE.md).

- ``settings``: the tip line's settings and secrets (environment or keyring; never a plaintext fallback)
- ``identity``: the sealed sender, the pseudonym police see, receipt codes, retention
- ``cloud``: the WhatsApp Cloud API (send, media) as HQ calls it
- ``media``: download with limits, type sniffed from the bytes, sealed original, cleaned police copy
- ``bot``: the conversation state machine (pure: no SQL, no HTTP)
- ``relay``: the worker that runs the bot on the inbox, files tips as cases, sends replies, relays
  officers' questions
- ``webhook``: the HTTP routes (Meta's webhook, officers' questions, police media copies)

No Qt here. Nothing in this package writes a tipster's number to a log, an event, an audit row or
any table in clear.
"""
