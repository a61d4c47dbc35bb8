from functools import wraps

from django.http import Http404


def kind_required(*kinds):
    """The view exists only for these kinds of account: everyone else gets 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or user.kind not in kinds:
                raise Http404
            if user.kind in ("enterprise", "project") and not user.enterprise_id:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
