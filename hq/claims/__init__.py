"""Misinformation claims and the suspicious-accounts register at HQ (docs/CLAIMS.md).

``suggest_claims`` and ``flag_on_arrival`` are what the complaint and claim intake call.
"""

from hq.claims.accounts import flag_on_arrival
from hq.claims.service import suggest_claims

__all__ = ["flag_on_arrival", "suggest_claims"]
