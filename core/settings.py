"""Every setting, declared once with its type, default and description (as qutebrowser's configdata).

Settings are not secrets (those live in the OS keyring) and not case data (that lives in the
encrypted store). The console's are kept as JSON in ``<data dir>/settings.json`` and read only through
``Settings``, by its typed properties (``settings.http_timeout_s``); ``DEFAULTS`` holds the declared
defaults for code that has no settings file at hand. Unknown keys in the file are kept but ignored; a
value of the wrong type falls back to the default with a warning, so a hand-edited file can never stop
a control room from starting.

HQ's few tunables are declared the same way (``HQ_DECLARED``) and read from the service process's
environment when used, never at import (``HQSettings``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
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
    env: str | None = None  # an HQ setting: the environment variable it is read from


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
    Setting("board_unack_alert_min", int, 5,
            "HQ board: minutes a case may wait for its district's acknowledgement before the district "
            "turns red and the board chimes."),
    Setting("board_refresh_s", int, 5, "HQ board: seconds between fetches of the board from HQ."),
    Setting("disk_free_warn_mb", int, 500,
            "Free space (MB) in the data folder below which the status bar warns that the disk is filling."),
    Setting("update_check", bool, False,
            "Whether the console may look for a newer release. Off by default; the client has no update "
            "check yet, and an IT cell's machine policy (POLICY_FILE, or the Windows installer's "
            "UpdateCheck registry value) forces it off whatever this says."),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in DECLARED}

HQ_DECLARED: tuple[Setting, ...] = (
    Setting(
        "safety_requery_s",
        float,
        5.0,
        "Longest a waiting pull sleeps before querying again although no change was announced (in case "
        "a notification was lost while HQ's listener reconnected). Tests set it far above the long-poll "
        "wait to prove that wake-ups come from notifications.",
        env="RAKSHAK_HQ_SAFETY_REQUERY_S",
    ),
    Setting(
        "password_hash_profile",
        str,
        "RFC_9106_LOW_MEMORY",
        "argon2id cost of new password hashes, an argon2-cffi profile: RFC_9106_LOW_MEMORY (3 passes over "
        "64 MiB, 4 lanes: argon2-cffi's default) or RFC_9106_HIGH_MEMORY (1 pass over 2 GiB). CHEAPEST "
        "is for the test suite only: it protects no password. An unknown name uses the default. A hash "
        "is always verified with the cost it was made with.",
        env="RAKSHAK_HQ_PASSWORD_HASH_PROFILE",
    ),
)
HQ_BY_NAME: dict[str, Setting] = {s.name: s for s in HQ_DECLARED}


def _typed(setting: Setting, value: Any) -> Any:
    """``value`` as the setting's type, or its default (with a warning) if it is not one."""
    if setting.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, setting.type) or isinstance(value, bool) != (setting.type is bool):
        log.warning("setting %s=%r is not a %s; using %r", setting.name, value, setting.type.__name__, setting.default)
        return setting.default
    return value


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
        """The value of a declared setting by name (the typed properties below are the usual way)."""
        setting = BY_NAME[name]
        return _typed(setting, self._values.get(name, setting.default))

    # -- typed access, one property per declared setting --------------------------------------------

    @property
    def hq_url(self) -> str:
        return str(self.get("hq_url"))

    @property
    def ca_bundle(self) -> str:
        return str(self.get("ca_bundle"))

    @property
    def language(self) -> str:
        return str(self.get("language"))

    @property
    def idle_lock_min(self) -> int:
        return int(self.get("idle_lock_min"))

    @property
    def dispatch_overdue_min(self) -> int:
        return int(self.get("dispatch_overdue_min"))

    @property
    def audio_check_interval_h(self) -> int:
        return int(self.get("audio_check_interval_h"))

    @property
    def long_poll_wait_s(self) -> int:
        return int(self.get("long_poll_wait_s"))

    @property
    def http_timeout_s(self) -> float:
        return float(self.get("http_timeout_s"))

    @property
    def retry_cap_s(self) -> float:
        return float(self.get("retry_cap_s"))

    @property
    def heartbeat_interval_s(self) -> int:
        return int(self.get("heartbeat_interval_s"))

    @property
    def alarm_max_volume(self) -> float:
        return float(self.get("alarm_max_volume"))

    @property
    def alarm_ramp_s(self) -> int:
        return int(self.get("alarm_ramp_s"))

    @property
    def disk_free_warn_mb(self) -> int:
        return int(self.get("disk_free_warn_mb"))

    @property
    def board_unack_alert_min(self) -> int:
        return int(self.get("board_unack_alert_min"))

    @property
    def board_refresh_s(self) -> int:
        return int(self.get("board_refresh_s"))

    @property
    def update_check(self) -> bool:
        """True only if this console's setting allows it and the machine's policy does not forbid it."""
        return bool(self.get("update_check")) and machine_allows_update_check()

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


# Machine-wide policy an IT cell sets at install time, above every user's settings.json: on Linux a JSON
# object in this file (the console .deb reads no other); on Windows the DWORD value UpdateCheck under
# HKLM\SOFTWARE\Rakshak, which the installer writes (0 with /NOUPDATECHECK).
POLICY_FILE = Path("/etc/rakshak/policy.json")
POLICY_REGISTRY_KEY = r"SOFTWARE\Rakshak"


def machine_allows_update_check(policy_file: Path | None = None) -> bool:
    """False when the machine policy turns update checks off; True when it says nothing or allows them."""
    if sys.platform == "win32" and policy_file is None:
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, POLICY_REGISTRY_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, "UpdateCheck")
        except OSError:
            return True
        return bool(value)
    path = POLICY_FILE if policy_file is None else policy_file
    try:
        policy = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True
    except (OSError, ValueError) as exc:
        log.warning("cannot read machine policy %s (%s): update checks stay off", path, exc)
        return False
    return not (isinstance(policy, dict) and policy.get("update_check") is False)


# The declared defaults, for code that is handed no settings (a library default, a test's client).
DEFAULTS = Settings()


class HQSettings:
    """Typed access to ``HQ_DECLARED``, read from an environment (the process's unless given).

    Read when a value is used, never at import: a value set in the environment before the service's
    workers start is the one they use. A value that is not of the setting's type falls back to the
    default with a warning.
    """

    def __init__(self, environ: Mapping[str, str] | None = None):
        self._environ = os.environ if environ is None else environ

    def get(self, name: str) -> Any:
        setting = HQ_BY_NAME[name]
        raw = self._environ.get(setting.env) if setting.env else None
        if raw is None:
            return setting.default
        value: Any = raw
        if setting.type in (int, float):
            try:
                value = setting.type(raw)
            except ValueError:
                pass
        return _typed(setting, value)

    @property
    def safety_requery_s(self) -> float:
        return float(self.get("safety_requery_s"))

    @property
    def password_hash_profile(self) -> str:
        return str(self.get("password_hash_profile"))
