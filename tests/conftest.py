"""Root test configuration: the environment every test shares.

Fixtures that start real parts live in tests/fixtures/ (one module per part) and are registered
here: PostgreSQL (postgres.py), PulseAudio null sink (pulse.py), local SQLCipher stores (store.py),
HQ on uvicorn over loopback (hq.py), the TCP fault proxy (faultproxy.py).
"""

from __future__ import annotations

import os

# Qt must never need a display in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

pytest_plugins = [
    "tests.fixtures.keyring",
]
