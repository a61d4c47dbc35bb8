from datetime import date, datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe

from labour.core.menu import menu_html

register = template.Library()


@register.simple_tag(takes_context=True)
def menu(context: dict[str, Any]) -> SafeString:
    """「功能」 menu of the signed-in user (labour.core.menu.menu_html)."""
    return menu_html(context["menu_entries"])


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], page: int) -> SafeString:
    """「?q=…&page=2」: the current query (search, tab, filters) with another page.
    Every value is percent-encoded, so the string is safe in an attribute."""
    # a list fragment (labour.core.listcache) has the query string but no request
    params = (context["query"] if "query" in context else context["request"].GET).copy()
    params["page"] = page
    return mark_safe(f"?{params.urlencode()}")  # noqa: S308 - urlencode leaves no markup


@register.filter
def shown(bound: BoundField) -> str:
    """A form field's value as a read-only page shows it: a choice by its label
    (「银行保函」, never 「bank_guarantee」), a date as 2026-12-05, an empty one as —."""
    value = bound.value()
    if value in (None, ""):
        return "—"
    choices = getattr(bound.field, "flatchoices", None) or getattr(bound.field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in _flat(choices)}
        return str(labels.get(str(value), value))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value)
                                   else value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat
