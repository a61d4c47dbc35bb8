from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .models import Attachment
from .selectors import kept_upload
from .services import keep_draft
from .validation import Checked, upload_help, validate_upload

if TYPE_CHECKING:
    from labour.core.visibility import Actor

NOT_KEPT = "所选文件尚未保存：请先改正其他项目，再重新选择此文件"


class UploadsForm(forms.Form):
    """A form with document uploads, and the one place that keeps them.

    Validation only checks each new upload's content (nothing is written). Then
    `check_and_keep()` stores the accepted uploads as drafts of this browser
    session — but only once the form's `gate_fields` are valid (for a form anyone
    may send: the cheap checks of who is applying — code format, credit code,
    phone) and within the sender's hourly budget.
    A form then refused by its service (a wrong SMS code, say) keeps them: the page
    shows them as 已上传 and sends their ids back in hidden `<field>_kept` inputs.

    Subclasses set `file_fields` ({field: the document's name, as in 「请上传…」}),
    `file_help` ({field: text}; the types and size limit are added after it),
    `required_files` (default: every file field) and `gate_fields`."""

    file_fields: dict[str, str] = {}
    file_help: dict[str, str] = {}
    required_files: tuple[str, ...] | None = None
    gate_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, draft_key: str, allowed_ids: Any = (),
                 kept: dict[str, str] | None = None, ip: str | None = None,
                 **kwargs: Any) -> None:
        """`kept`: {field: attachment_id} accepted earlier (hidden inputs or the
        previous application); `allowed_ids`: attachments this applicant may reuse."""
        super().__init__(*args, **kwargs)
        self.draft_key = draft_key
        self.allowed_ids = {str(a) for a in allowed_ids}
        self.ip = ip
        self.attachments: dict[str, Attachment] = {}
        self.accepted: dict[str, Checked] = {}
        self.not_kept: set[str] = set()
        kept = dict(kept or {})
        if self.is_bound:
            for field in self.file_fields:
                value = self.data.get(f"{field}_kept")
                if value:
                    kept[field] = value
        for field in self.file_fields:
            attachment = kept_upload(kept.get(field), draft_key=self.draft_key,
                                     allowed_ids=self.allowed_ids)
            if attachment is not None:
                self.attachments[field] = attachment
        for name, form_field in self.fields.items():
            form_field.widget.attrs.setdefault("id", f"id_{name}")
        for name in self.file_fields:
            attrs = self.fields[name].widget.attrs
            attrs["accept"] = ".jpg,.jpeg,.png,.pdf"
            # app.js refuses a file over the limit at once, beside the field
            attrs["data-max-bytes"] = str(settings.UPLOAD_MAX_BYTES)
            self.fields[name].help_text = "".join(
                part for part in (self.file_help.get(name, ""), upload_help()) if part)

    def _required_files(self) -> tuple[str, ...]:
        return tuple(self.file_fields) if self.required_files is None else self.required_files

    def clean_uploads(self) -> None:
        """Check each new upload's content (stored later, by check_and_keep)."""
        for field, label in self.file_fields.items():
            uploaded = self.files.get(field)
            if uploaded:
                try:
                    self.accepted[field] = validate_upload(uploaded)
                except ValidationError as exc:
                    self.add_error(field, exc)
                    continue
            if (field in self._required_files() and field not in self.attachments
                    and field not in self.accepted and field not in self.errors):
                self.add_error(field, f"请上传{label}")

    def gate_open(self) -> bool:
        return not any(name in self.errors for name in self.gate_fields)

    def check_and_keep(self, *, actor: Actor) -> bool:
        """Validate; store the accepted uploads once the other fields pass. True when
        the whole form is valid and its documents are stored."""
        valid = self.is_valid()
        if not self.accepted:
            return valid
        if not self.gate_open():
            self.not_kept = set(self.accepted)
            return False
        for field, checked in self.accepted.items():
            try:
                self.attachments[field] = keep_draft(
                    actor=actor, checked=checked, kind=field, draft_key=self.draft_key,
                    ip=self.ip)
            except ValidationError as exc:
                self.add_error(field, exc)
                valid = False
        self.accepted = {}
        return valid and not self.errors

    def bound_file_fields(self) -> list[tuple[forms.BoundField, Attachment | None, bool, bool]]:
        """(bound field, kept attachment or None, chosen but not kept, required) for
        attachments/file_field.html."""
        required = self._required_files()
        return [(self[f], self.attachments.get(f), f in self.not_kept, f in required)
                for f in self.file_fields]
