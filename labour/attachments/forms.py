from django import forms
from django.core.exceptions import ValidationError

from .models import Attachment
from .services import store_upload
from .validation import ACCEPTED_HELP


class UploadsForm(forms.Form):
    """A form with document uploads. Every accepted upload is stored at once (as a
    draft of this browser session), so a form refused for any reason keeps it: the
    page shows it as 已上传 and sends its id back in a hidden `<field>_kept` input.

    Subclasses set `file_fields` ({field: label}) and `file_help` ({field: text})."""

    file_fields: dict = {}
    file_help: dict = {}

    def __init__(self, *args, draft_key, allowed_ids=(), kept=None, ip=None, **kwargs):
        """`kept`: {field: attachment_id} accepted earlier (hidden inputs or the
        previous application); `allowed_ids`: attachments this applicant may reuse."""
        super().__init__(*args, **kwargs)
        self.draft_key = draft_key
        self.allowed_ids = {str(a) for a in allowed_ids}
        self.ip = ip
        self.attachments = {}
        kept = dict(kept or {})
        if self.is_bound:
            for field in self.file_fields:
                value = self.data.get(f"{field}_kept")
                if value:
                    kept[field] = value
        for field in self.file_fields:
            attachment = self._allowed_attachment(kept.get(field))
            if attachment is not None:
                self.attachments[field] = attachment
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"id_{name}")
        for field in self.file_fields:
            self.fields[field].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf"
            self.fields[field].help_text = self.file_help.get(field, ACCEPTED_HELP)

    def _allowed_attachment(self, pk):
        if not pk:
            return None
        try:
            attachment = Attachment.objects.filter(pk=pk).first()
        except ValidationError:
            return None
        if attachment is None:
            return None
        if str(attachment.pk) in self.allowed_ids or (
                self.draft_key and attachment.draft_key == self.draft_key):
            return attachment
        return None

    def clean_uploads(self):
        """Store each new upload that passes; every document is required."""
        for field, label in self.file_fields.items():
            uploaded = self.files.get(field)
            if uploaded:
                try:
                    self.attachments[field] = store_upload(
                        uploaded=uploaded, kind=field, draft_key=self.draft_key, ip=self.ip)
                except ValidationError as exc:
                    self.add_error(field, exc)
                    continue
            if field not in self.attachments and field not in self.errors:
                self.add_error(field, f"请上传{label}")

    def bound_file_fields(self):
        """(bound field, kept attachment or None) for the template."""
        return [(self[f], self.attachments.get(f)) for f in self.file_fields]
