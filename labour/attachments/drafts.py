import secrets


def draft_key(request):
    """This browser session's key for uploads of forms not yet sent: a refused form
    keeps its accepted uploads, and no other session can use them."""
    key = request.session.get("upload_draft_key")
    if not key:
        key = secrets.token_hex(16)
        request.session["upload_draft_key"] = key
    return key
