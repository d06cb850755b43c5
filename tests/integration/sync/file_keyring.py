"""A keyring backend in one JSON file, shared by a test and the client subprocesses it starts.

Test-only (plaintext): subprocesses cannot see the in-memory keyring of tests/fixtures/keyring.py.
Select it in a child with ``PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring`` and
``RAKSHAK_TEST_KEYRING=<file>``; writes are atomic (a SIGKILLed child never leaves half a file).
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend

ENV = "RAKSHAK_TEST_KEYRING"


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        if ENV not in os.environ:
            raise RuntimeError(f"{ENV} is not set")  # not viable: never chosen by keyring's detection
        return 0.1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = Path(path or os.environ.get(ENV, "/nonexistent/rakshak-test-keyring.json"))

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text()))
        except FileNotFoundError:
            return {}

    def _update(self, key: str, value: str | None) -> None:
        lock = self.path.with_suffix(".lock")
        with open(lock, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            data = self._load()
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._update(f"{service}\x00{username}", password)

    def delete_password(self, service: str, username: str) -> None:
        self._update(f"{service}\x00{username}", None)
