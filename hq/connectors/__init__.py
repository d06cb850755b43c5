"""Social-media connectors: Meta Graph webhooks (Facebook Page, Instagram), X API v2 mentions and
direct messages (polled), YouTube Data API comment threads (polled with quota accounting), and the
publication of replies through each. Items go to ``hq.complaints.take``; docs/COMPLAINTS.md."""
