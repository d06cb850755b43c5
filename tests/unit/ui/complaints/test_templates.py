"""Canned replies filled from the case: Hindi and English, fields the case cannot fill left visible."""

from __future__ import annotations

from ui.complaints.templates import case_values, fill, limit_for, reference, unfilled

HI = "{handle} जी, आपकी शिकायत {district} पुलिस को भेज दी गई है (संदर्भ {reference})।"
EN = "{handle}, your complaint has been forwarded to {district} police (reference {reference})."
CASE = "5f1c2a9e-0b7d-4c1e-9a55-1234567890ab"


def test_fills_every_field_in_hindi_and_english() -> None:
    values = case_values(CASE, "ravi_k", "पटना", "x")
    assert fill(HI, values) == "@ravi_k जी, आपकी शिकायत पटना पुलिस को भेज दी गई है (संदर्भ 5F1C2A9E)।"
    values = case_values(CASE, "ravi_k", "Patna", "x")
    assert fill(EN, values) == "@ravi_k, your complaint has been forwarded to Patna police (reference 5F1C2A9E)."
    assert unfilled(fill(EN, values)) == []


def test_missing_and_unknown_fields_stay_visible_never_blank() -> None:
    values = case_values(CASE, None, None, "facebook")  # no handle, not routed yet
    text = fill(EN + " Call {helpline}.", values)
    assert text.startswith("{handle}, your complaint has been forwarded to {district} police (reference 5F1C2A9E)")
    assert text.endswith("Call {helpline}.")
    assert unfilled(text) == ["handle", "district", "helpline"]
    assert unfilled(fill(HI, values)) == ["handle", "district"]


def test_handles_as_each_platform_writes_them() -> None:
    assert case_values(CASE, "ravi_k", None, "instagram")["handle"] == "@ravi_k"
    assert case_values(CASE, "@ravi_k", None, "x")["handle"] == "@ravi_k"
    assert case_values(CASE, "Ravi Ranjan", None, "facebook")["handle"] == "Ravi Ranjan"
    assert case_values(CASE, "@RaviYT", None, "youtube")["handle"] == "@RaviYT"
    assert reference(CASE) == "5F1C2A9E"


def test_text_that_is_not_a_field_is_kept() -> None:
    assert fill("{} {Handle} { handle } {{handle}}", {"handle": "@a"}) == "{} {Handle} { handle } {@a}"


def test_platform_limits() -> None:
    assert limit_for("x") == 280 and limit_for("instagram") == 2200
    assert limit_for("facebook") == limit_for(None) == 5000
