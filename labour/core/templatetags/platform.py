from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], page: int) -> SafeString:
    """「?q=…&page=2」: the current query (search, tab, filters) with another page.
    Every value is percent-encoded, so the string is safe in an attribute."""
    params = context["request"].GET.copy()
    params["page"] = page
    return mark_safe(f"?{params.urlencode()}")  # noqa: S308 - urlencode leaves no markup
