"""A secret from the OS keyring, for HQ's settings (gateway, mailbox, tip line, connectors).

An HQ server often has no usable keyring (no D-Bus session, no Secret Service): reading one must then
mean "not configured there" (the environment is the other source), never a crash at start-up. Any
error of the keyring backend, which may be a D-Bus error and not a ``KeyringError``, is logged once
per name and read as absent.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
_warned: set[tuple[str, str]] = set()


def keyring_secret(service: str, name: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(service, name) or None
    except Exception as exc:  # any backend failure: the secret is not available from the keyring
        if (service, name) not in _warned:
            _warned.add((service, name))
            log.warning("the OS keyring cannot be read for %s/%s (%s): using the environment only",
                        service, name, type(exc).__name__)
        return None


__all__ = ["keyring_secret"]
