"""The suspicious-accounts Register view (``RegisterView``); opened by ``ui.claims.open_register``."""

from ui.accounts.view import RegisterView

__all__ = ["RegisterView"]
