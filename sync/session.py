"""A logged-in device: tokens in the OS keyring, access token refreshed when it expires.

Tokens live in the OS keyring (service ``rakshak``, one entry per HQ and device), never in a file. The
refresh token rotates on every use, so the new pair is written to the keyring as soon as HQ returns
it, before it is used. Only the refresh itself is serialised: concurrent callers that hit an expired
token wait for one refresh instead of each spending the (single-use) refresh token.

When HQ refuses the refresh (revoked, expired, account locked), the stored tokens are deleted and
every authenticated call raises ``LoginRequired`` until ``login`` succeeds again. Nothing else is
touched: the outbox keeps its pending events and they go out after the next login.

Thread-safe. ``call`` may block on the network for one refresh; never call it on the GUI thread.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import keyring
import keyring.errors

from core.errors import KeyringUnavailable
from core.settings import DEFAULTS
from sync.client import HQClient, check_url
from sync.errors import HQRefused, LoginRequired, Unauthenticated
from sync.wire import Tokens, UserInfo, parse_user

log = logging.getLogger(__name__)

KEYRING_SERVICE = "rakshak"
# Refresh this long before HQ's stated expiry, so a request is not sent with a token about to lapse.
EXPIRY_MARGIN_S = 30.0

T = TypeVar("T")


def keyring_username(hq_url: str, device_id: str) -> str:
    return f"session:{device_id}@{check_url(hq_url)}"


class Session:
    def __init__(
        self, hq_url: str, device_id: str, *, ca_bundle: str | None = None, timeout_s: float = DEFAULTS.http_timeout_s
    ):
        self.hq_url = check_url(hq_url)
        self.device_id = device_id
        self.client = HQClient(self.hq_url, ca_bundle=ca_bundle, timeout_s=timeout_s)
        self._lock = threading.Lock()
        self._access: str | None = None
        self._access_expires_wall: float = 0.0
        self._refresh_token: str | None = None
        self._user: UserInfo | None = None
        self._generation = 0
        # Why HQ last refused the login in use (expired, revoked, account disabled), until the next login:
        # whichever caller met the refusal, every later one is told the same (not "not logged in").
        self._refused: str | None = None
        self._listeners: list[Callable[[UserInfo], None]] = []

    # -- lifecycle --------------------------------------------------------------------------------

    @classmethod
    def restore(
        cls, hq_url: str, device_id: str, *, ca_bundle: str | None = None, timeout_s: float = DEFAULTS.http_timeout_s
    ) -> Session:
        """The session saved in the keyring by an earlier ``login`` (after a restart).

        Raises ``LoginRequired`` if nothing usable is stored, ``KeyringUnavailable`` if there is no keyring.
        """
        session = cls(hq_url, device_id, ca_bundle=ca_bundle, timeout_s=timeout_s)
        try:
            raw = keyring.get_password(KEYRING_SERVICE, keyring_username(hq_url, device_id))
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(f"cannot read the login from the OS keyring: {exc}") from exc
        if not raw:
            raise LoginRequired("no saved login for this workstation; log in")
        try:
            saved = json.loads(raw)
            session._refresh_token = str(saved["refresh_token"])
            session._access = saved.get("access_token")
            session._access_expires_wall = float(saved.get("access_expires_at") or 0.0)
            session._user = parse_user(saved["user"])
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("saved login is unreadable (%s); a new login is needed", exc)
            raise LoginRequired("the saved login is unreadable; log in") from None
        return session

    def login(self, hq_url: str, username: str, password: str, device_id: str, device_name: str) -> UserInfo:
        """Log in at HQ, store the tokens in the keyring and wake whoever waits for a login.

        Raises HQRefused (wrong password 401/403, locked 423), HQUnreachable, ProtocolError, KeyringUnavailable.
        """
        if check_url(hq_url) != self.hq_url or device_id != self.device_id:
            raise ValueError("this session belongs to another HQ or device; make a new Session")
        try:
            tokens = self.client.login(username, password, device_id, device_name)
        except Unauthenticated as exc:  # wrong password is a refusal, not an expired session
            raise HQRefused(exc.status, exc.code, exc.detail) from None
        with self._lock:
            self._adopt(tokens)
            user = tokens.user
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(user)
            except Exception:
                log.exception("login listener failed")
        return user

    def logout(self) -> None:
        """Forget the tokens here and in the keyring (HQ lets them expire)."""
        with self._lock:
            self._forget()

    def close(self) -> None:
        self.client.close()

    def on_login(self, listener: Callable[[UserInfo], None]) -> None:
        """Call ``listener(user)`` after every successful ``login`` (on the thread that logged in)."""
        with self._lock:
            self._listeners.append(listener)

    @property
    def logged_in(self) -> bool:
        return self._refresh_token is not None

    @property
    def refused(self) -> str | None:
        """Why HQ refused the login this session last held, until the next login (None: it did not)."""
        return self._refused

    @property
    def user(self) -> UserInfo | None:
        return self._user

    # -- authenticated calls ----------------------------------------------------------------------

    def call(self, fn: Callable[[str], T]) -> T:
        """Run ``fn(access_token)``; refresh once on an expired token and run it again.

        Raises LoginRequired when there is no login or HQ refuses the refresh; HQUnreachable and
        ProtocolError from ``fn`` or from the refresh pass through (the tokens are kept then).
        """
        token, generation = self._current_token()
        try:
            return fn(token)
        except Unauthenticated:
            token, _ = self._refresh(stale_generation=generation)
        try:
            return fn(token)
        except Unauthenticated as exc:
            with self._lock:
                self._forget()
                self._refused = f"HQ does not accept this login: {exc.detail}"
            raise LoginRequired(self._refused) from None

    def _current_token(self) -> tuple[str, int]:
        with self._lock:
            if self._refresh_token is None:
                raise LoginRequired(self._refused or "not logged in")
            if self._access and time.time() < self._access_expires_wall - EXPIRY_MARGIN_S:
                return self._access, self._generation
            generation = self._generation
        return self._refresh(stale_generation=generation)

    def _refresh(self, *, stale_generation: int) -> tuple[str, int]:
        with self._lock:
            if self._generation != stale_generation and self._access:
                return self._access, self._generation  # another thread refreshed meanwhile
            if self._refresh_token is None:
                raise LoginRequired(self._refused or "not logged in")
            try:
                tokens = self.client.refresh(self._refresh_token, self.device_id)
            except HQRefused as exc:  # 401/403/423...: this login is over; a person must log in again
                self._forget()
                self._refused = f"the login has expired or was revoked: {exc.detail}"
                raise LoginRequired(self._refused) from None
            self._adopt(tokens)
            assert self._access is not None
            return self._access, self._generation

    # -- state (call with the lock held) ----------------------------------------------------------

    def _adopt(self, tokens: Tokens) -> None:
        expires_at = time.time() + tokens.expires_in
        record: dict[str, Any] = {
            "refresh_token": tokens.refresh_token,
            "access_token": tokens.access_token,
            "access_expires_at": expires_at,
            "user": tokens.user.to_json(),
        }
        try:
            keyring.set_password(KEYRING_SERVICE, keyring_username(self.hq_url, self.device_id), json.dumps(record))
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(
                f"cannot store the login in the OS keyring ({exc}); install and unlock a Secret Service "
                "such as gnome-keyring"
            ) from exc
        self._access = tokens.access_token
        self._access_expires_wall = expires_at
        self._refresh_token = tokens.refresh_token
        self._refused = None
        self._user = tokens.user
        self._generation += 1

    def _forget(self) -> None:
        self._access = None
        self._refresh_token = None
        self._generation += 1
        try:
            keyring.delete_password(KEYRING_SERVICE, keyring_username(self.hq_url, self.device_id))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            log.warning("cannot delete the saved login from the keyring: %s", exc)
