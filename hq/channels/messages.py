"""The notice's text, in Hindi and English together (a duty officer's phone may show either).

It names the case by a short reference, the district and how long the case has waited: never the
person's name or phone numbers, which must not travel by SMS, a voice call or e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from hq.escalation.policy import Trigger

CASE_REF_CHARS = 8


@dataclass(frozen=True)
class Notice:
    case_id: str
    district_name: str
    minutes: int
    trigger: Trigger
    step: int

    @property
    def case_ref(self) -> str:
        return self.case_id[:CASE_REF_CHARS].upper()

    def english(self) -> str:
        if self.trigger is Trigger.DISPATCH_OVERDUE:
            return (
                f"Rakshak ALERT: suicide-risk case {self.case_ref} in {self.district_name} was acknowledged "
                f"{self.minutes} min ago but no team has been dispatched. Act now (escalation step {self.step})."
            )
        return (
            f"Rakshak ALERT: suicide-risk case {self.case_ref} in {self.district_name} has not been "
            f"acknowledged for {self.minutes} min. Open the Rakshak console now (escalation step {self.step})."
        )

    def hindi(self) -> str:
        if self.trigger is Trigger.DISPATCH_OVERDUE:
            return (
                f"रक्षक चेतावनी: {self.district_name} का आत्महत्या-जोखिम केस {self.case_ref} {self.minutes} मिनट "
                f"पहले स्वीकार हुआ, पर अभी तक कोई टीम नहीं भेजी गई। तुरंत कार्रवाई करें (एस्केलेशन चरण {self.step})।"
            )
        return (
            f"रक्षक चेतावनी: {self.district_name} के आत्महत्या-जोखिम केस {self.case_ref} को {self.minutes} मिनट "
            f"से किसी ने स्वीकार नहीं किया। तुरंत रक्षक कंसोल खोलें (एस्केलेशन चरण {self.step})।"
        )

    def text(self) -> str:
        return f"{self.hindi()}\n{self.english()}"

    def subject(self) -> str:
        return f"रक्षक / Rakshak: {self.case_ref} {self.district_name} — {self.minutes} min"


__all__ = ["Notice"]
