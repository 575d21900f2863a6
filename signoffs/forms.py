"""Forms of the sign-off pages, with GOV.UK wording (partnerships.govuk_forms)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from partnerships.govuk_forms import GovukCharField, GovukForm
from signoffs.models import Decision
from signoffs.services import COMMENT_MAX_LENGTH

CODE_RE = re.compile(r"^\d{6}$")


class ConditionalCommentField(GovukCharField):
    """Required only when disagreeing (checked in SignForm.clean). Marked required so the label
    does not say "(optional)" to someone who disagrees; the form sets no HTML required attribute."""

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            return
        super().validate(value)


class SignForm(GovukForm):
    """Agree or disagree (with a comment, required when disagreeing) for one partner agency."""

    use_required_attribute = False

    agency = forms.TypedChoiceField(
        label="Which partner are you signing for?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the partner you are signing for",
            "invalid_choice": "Select one of the partners listed",
        },
    )
    decision = forms.ChoiceField(
        label="Do you agree with this version?",
        choices=[
            (Decision.AGREE, "Yes, I agree"),
            (Decision.DISAGREE, "No, I disagree"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you agree or disagree",
            "invalid_choice": "Select whether you agree or disagree",
        },
    )
    comment = ConditionalCommentField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Optional if you agree. If you disagree, say why and what would need to change.",
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = agencies
        if len(agencies) == 1:
            field.widget = forms.HiddenInput()
            field.initial = agencies[0][0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == Decision.DISAGREE and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "Enter a comment saying why you disagree")
        return cleaned


class RoleSignForm(SignForm):
    """Agree or disagree for a co-signing role (the Independent Scrutineer): no agency to choose."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("agencies", None)
        super().__init__(*args, agencies=[], **kwargs)
        del self.fields["agency"]


class PasswordConfirmForm(GovukForm):
    password = GovukCharField(
        label="Password",
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "Enter your password"},
    )


class CodeField(GovukCharField):
    """Six digits from an authenticator app; spaces and hyphens people type are ignored."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Code from your authenticator app")
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("help_text", "The 6-digit code shown in the app, for example 123456")
        kwargs.setdefault(
            "error_messages", {"required": "Enter the 6-digit code from your authenticator app"}
        )
        super().__init__(**kwargs)
        self.error_messages["max_length"] = "Enter the 6-digit code from your authenticator app"

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        digits = re.sub(r"[\s-]", "", str(text))
        if not CODE_RE.match(digits):
            raise forms.ValidationError("The code must be 6 digits, like 123456", code="format")
        return digits


class CodeConfirmForm(GovukForm):
    code = CodeField()
