"""Every setting, declared once with its type, default and description (as qutebrowser's configdata).

Settings are not secrets (those live in the OS keyring) and not case data (that lives in the
encrypted store). They are kept as JSON in ``<data dir>/settings.json`` and read only through
``Settings``. Unknown keys in the file are kept but ignored; a value of the wrong type falls back to
the default with a warning, so a hand-edited file can never stop a control room from starting.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str


DECLARED: tuple[Setting, ...] = (
    Setting("hq_url", str, "", "Address of the HQ service, e.g. https://hq.example:8443. Plain http only to loopback."),
    Setting("ca_bundle", str, "", "Optional path to a CA bundle that HQ's certificate must chain to (pinning)."),
    Setting("language", str, "en", "User interface language: 'en' or 'hi'."),
    Setting("idle_lock_min", int, 15, "Minutes without input before the console locks and hides personal data."),
    Setting("dispatch_overdue_min", int, 10, "Minutes after acknowledgement without dispatch before re-alarming."),
    Setting("audio_check_interval_h", int, 3, "Hours between automatic checks that the alarm can sound."),
    Setting("long_poll_wait_s", int, 25, "How long HQ may hold a pull request open when nothing is new."),
    Setting("http_timeout_s", float, 10.0, "Connect/read timeout for HQ requests (long polls add their wait)."),
    Setting("retry_cap_s", float, 5.0, "Longest wait between retries to HQ (low: notice a returning link fast)."),
    Setting("heartbeat_interval_s", int, 60, "Seconds between presence heartbeats to HQ."),
    Setting("alarm_max_volume", float, 1.0, "Volume (0-1) the alarm rises to."),
    Setting("alarm_ramp_s", int, 20, "Seconds for the alarm to rise from a third of full volume to full volume."),
    Setting("disk_free_warn_mb", int, 500,
            "Free space (MB) in the data folder below which the status bar warns that the disk is filling."),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in DECLARED}


class Settings:
    """Typed access to declared settings. Not thread-safe for writes: the GUI thread owns writes."""

    FILE_NAME = "settings.json"

    def __init__(self, values: Mapping[str, Any] | None = None, path: Path | None = None):
        self._path = path
        self._values: dict[str, Any] = dict(values or {})

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        path = data_dir / cls.FILE_NAME
        values: dict[str, Any] = {}
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    values = loaded
                else:
                    log.warning("%s is not a JSON object; using defaults", path)
            except (OSError, ValueError) as exc:
                log.warning("cannot read %s (%s); using defaults", path, exc)
        return cls(values, path)

    def get(self, name: str) -> Any:
        setting = BY_NAME[name]
        value = self._values.get(name, setting.default)
        if setting.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, setting.type) or isinstance(value, bool) != (setting.type is bool):
            log.warning("setting %s=%r is not a %s; using %r", name, value, setting.type.__name__, setting.default)
            return setting.default
        return value

    def set(self, name: str, value: Any) -> None:
        setting = BY_NAME[name]
        if setting.type is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, setting.type):
            raise TypeError(f"setting {name} must be {setting.type.__name__}")
        self._values[name] = value

    def save(self) -> None:
        """Write atomically: a crash mid-save leaves the old file, never a truncated one."""
        if self._path is None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self._values, fh, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._path)
