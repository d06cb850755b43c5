"""Action forms: declared specs (``specs``) and the one form widget that renders them (``form``)."""

from ui.forms.form import ActionForm
from ui.forms.specs import FieldSpec, FormSpec, specs_for

__all__ = ["ActionForm", "FieldSpec", "FormSpec", "specs_for"]
