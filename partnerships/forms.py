from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm


class SignInForm(GovukForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    password = GovukCharField(
        label="Password",
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user_cache: Any = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        self.user_cache = authenticate(
            self.request, username=cleaned["username"].strip().lower(), password=cleaned["password"]
        )
        if self.user_cache is None:
            raise forms.ValidationError(
                "The email address or password is not right. Check them and try again.", code="invalid_login"
            )
        return cleaned

    def error_list(self) -> list[tuple[str, str]]:
        items = super().error_list()
        # The non-field error belongs to the e-mail box for keyboard and screen-reader users.
        return [(a or "id_username", m) for a, m in items]


class ClosureDayForm(GovukForm):
    date = GovukDateField(label="Date", help_text="For example, 27 12 2026")
    reason = GovukCharField(
        label="Reason", max_length=200, help_text="For example, office closed between Christmas and New Year"
    )


class ReferenceItemForm(GovukForm):
    label = GovukCharField(
        label="New option", max_length=200, help_text="As people will see it in the drop-down list"
    )
