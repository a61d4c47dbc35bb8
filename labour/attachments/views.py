from urllib.parse import quote

from django.http import FileResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from labour.core.http import client_ip
from labour.core.roles import to_login

from .services import fetch, thumbnail


@xframe_options_sameorigin
def download(request, attachment_id):
    """Serve a private file to those allowed to see it; 404 for anyone else.
    ?download=1 asks the browser to save it instead of showing it."""
    if not request.user.is_authenticated:
        return to_login(request)
    attachment = fetch(actor=request.user, attachment_id=attachment_id, ip=client_ip(request))
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"file.{(attachment.file.name or '').rsplit('.', 1)[-1]}\"; "
        f"filename*=UTF-8''{quote(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def preview(request, attachment_id):
    """The small JPEG preview of an image attachment (same permission as the file)."""
    if not request.user.is_authenticated:
        return to_login(request)
    attachment = thumbnail(actor=request.user, attachment_id=attachment_id,
                           ip=client_ip(request))
    response = FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
