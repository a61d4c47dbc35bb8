from urllib.parse import quote

from django.http import FileResponse, Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from labour.audit.models import Action
from labour.audit.services import record

from .selectors import get_attachment_for


@xframe_options_sameorigin
def download(request, attachment_id):
    """Serve a private file to those allowed to see it; 404 for anyone else.
    ?download=1 asks the browser to save it instead of showing it."""
    attachment = get_attachment_for(request.user, attachment_id)
    if attachment is None:
        raise Http404
    record(action=Action.FILE_DOWNLOADED, actor=request.user, request=request, obj=attachment,
           name=attachment.original_name)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"file.{attachment.file.name.rsplit('.', 1)[-1]}\"; "
        f"filename*=UTF-8''{quote(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
