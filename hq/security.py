"""Passwords, access tokens, refresh tokens and integration keys.

- Passwords: argon2id at the cost of the ``password_hash_profile`` setting (``core.settings``; the
  default is argon2-cffi's own, RFC 9106's low-memory profile), read when the first password is hashed
  or checked. The test suite sets the cheapest profile: a full-cost hash takes a tenth to half a second
  on a 2-core machine, and the suite signs in hundreds of times. Unknown usernames still cost one hash,
  so response time does not tell an attacker which usernames exist.
- Access token: a JWT (HS256) valid ``ACCESS_TTL_S``, bound to user and device. The signing secret lives
  in the database (``meta.jwt_secret``) so every worker and host shares it.
- Refresh token: 256 random bits, stored only as a SHA-256 hash, bound to one device, rotated on every
  use. Reusing a rotated token after ``REFRESH_REUSE_GRACE_S`` revokes the whole token family (a copy
  was stolen); within the grace period (a reply lost on a bad link) the client just gets a new pair.
- Integration keys: 256 random bits shown once, stored as SHA-256, scope "intake" only.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from core.settings import HQ_BY_NAME, HQSettings

ACCESS_TTL_S = 15 * 60
# Control rooms may be offline for days; a refresh token must outlive a long outage.
REFRESH_TTL_S = 30 * 24 * 3600
REFRESH_REUSE_GRACE_S = 60
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW_MIN = 15
JWT_ALGORITHM = "HS256"
API_KEY_PREFIX = "rkk_"

PASSWORD_HASH_PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST")


def password_hasher(profile: str) -> PasswordHasher:
    """The hasher for an argon2-cffi profile name; an unknown name gets the declared default."""
    if profile not in PASSWORD_HASH_PROFILES:
        profile = str(HQ_BY_NAME["password_hash_profile"].default)
    return PasswordHasher.from_parameters(getattr(profiles, profile))


@functools.cache
def _hasher() -> PasswordHasher:
    return password_hasher(HQSettings().password_hash_profile)


@functools.cache
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-work check: an unknown user (``password_hash`` None) still costs one verification."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    device_id: str
    expires_at: int


class TokenError(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def make_access_token(secret: str, user_id: str, device_id: str, ttl_s: int = ACCESS_TTL_S) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {"sub": user_id, "dev": device_id, "iat": now, "exp": now + ttl_s, "typ": "access"}
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM)


def read_access_token(secret: str, token: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token, secret, algorithms=[JWT_ALGORITHM], options={"require": ["sub", "dev", "exp", "typ"]}
        )
    except jwt.ExpiredSignatureError:
        raise TokenError("token_expired", "the access token has expired; refresh it") from None
    except jwt.PyJWTError:
        raise TokenError("unauthenticated", "the access token is not valid") from None
    if (
        claims.get("typ") != "access"
        or not isinstance(claims.get("sub"), str)
        or not isinstance(claims.get("dev"), str)
    ):
        raise TokenError("unauthenticated", "the access token is not valid")
    return AccessClaims(user_id=claims["sub"], device_id=claims["dev"], expires_at=int(claims["exp"]))
