from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest

from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm, no_nul
from partnerships.throttle import address_locked_for_source


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
        if address_locked_for_source(self.request, cleaned["username"].strip().lower()):
            # Too many failures for this address from everywhere today: only places it has signed in
            # from before may try (partnerships/throttle.py). The view shows the lockout page.
            raise forms.ValidationError("Sign-in is locked.", code="address_locked")
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


class SecondFactorCodeForm(GovukForm):
    """The code at sign-in: 6 digits from the authenticator app, or a 10-character recovery code."""

    code = GovukCharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app, or a recovery code",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["max_length"] = (
            "Enter the 6-digit code from your authenticator app, or a recovery code"
        )


class EnrolCodeForm(GovukForm):
    code = GovukCharField(
        label="Code from your app",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows for this service",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "The code must be 6 digits",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["max_length"] = "The code must be 6 digits"

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code must be 6 digits")
        return code


def _govuk_password_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        # One clear message for NUL, not Django's "Null characters are not allowed." as well.
        field.validators = [
            v for v in field.validators if type(v).__name__ != "ProhibitNullCharactersValidator"
        ]
        field.validators.append(no_nul)
        field.widget.attrs.pop("autofocus", None)


class AccountPasswordChangeForm(PasswordChangeForm):
    """Django's form (the current password first) with GOV.UK wording."""

    error_list = GovukForm.error_list

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Enter it again.",
            "password_mismatch": "The two new passwords are not the same",
        }
        _govuk_password_messages(self)


if TYPE_CHECKING:  # django-stubs makes the form generic; at run time it is not subscriptable
    _SetPasswordFormBase = SetPasswordForm[Any]
else:
    _SetPasswordFormBase = SetPasswordForm


class AccountSetPasswordForm(_SetPasswordFormBase):
    error_list = GovukForm.error_list

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two new passwords are not the same",
        }
        _govuk_password_messages(self)


class AccountPasswordResetForm(PasswordResetForm):
    error_list = GovukForm.error_list

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "Email address"
        field.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
                "max_length": "Email address must be 254 characters or fewer",
            }
        )
        _govuk_password_messages(self)
