"""A GOV.UK file-upload field that applies the upload rules when the form is validated."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from documents import sniff
from documents.services import UploadRefused, read_upload


class CheckedFileField(forms.FileField):
    """A file field whose ``clean`` checks size and type by content (``documents.services``)."""

    def __init__(self, *args: Any, allowed: tuple[str, ...] = sniff.ANY, **kwargs: Any) -> None:
        self.allowed = allowed
        super().__init__(*args, **kwargs)
        accept = ",".join("." + sniff.BY_KEY[k].extension for k in allowed)
        self.widget.attrs.setdefault("accept", accept)
        self.widget.attrs.setdefault("class", "govuk-file-upload")

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            try:
                read_upload(value, allowed=self.allowed)
            except UploadRefused as exc:
                raise forms.ValidationError(str(exc), code="upload_refused") from exc
            value.seek(0)
        return value
