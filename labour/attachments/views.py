from urllib.parse import quote

from django.http import FileResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from labour.core.http import client_ip
from labour.core.roles import to_login

from .services import fetch, thumbnail

# A private file is a document of its own, never a page of the site: under `sandbox`
# it has an opaque origin and runs no script (an SVG or HTML smuggled past the checks;
# Firefox's PDF viewer turns off a PDF's JavaScript), loads nothing but images of the
# site, and only the site's own pages may frame it (the PDF preview of a review page).
# It replaces the site's policy (labour.core.middleware). Not `<iframe sandbox>`:
# Chromium then refuses to show a PDF at all; with the header its viewer still shows
# it (in its own extension process). A PDF with JavaScript or an OpenAction is refused
# at upload (validation.py) besides.
FILE_POLICY = ("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
               "frame-ancestors 'self'")


def _private(response: FileResponse) -> FileResponse:
    response["Content-Security-Policy"] = FILE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


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
    return _private(response)


def preview(request, attachment_id):
    """The small JPEG preview of an image attachment (same permission as the file)."""
    if not request.user.is_authenticated:
        return to_login(request)
    attachment = thumbnail(actor=request.user, attachment_id=attachment_id,
                           ip=client_ip(request))
    response = FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return _private(response)
