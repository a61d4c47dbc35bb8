"""Faster versions of two built-ins every list page calls once per row, loaded as
template builtins (settings.TEMPLATES "builtins") so that they replace Django's
`{% url %}` and `|date` in every template without a `{% load %}`.

They give exactly Django's output (labour/core/tests/test_quick_builtins.py compares
them with Django's own over every URL pattern and many formats); only the cost
differs. On a list page of 20 rows, Django's `reverse()` and `dateformat` took more
time than the rest of the rows together (issue 10 §5):

- `{% url name arg … %}` goes through `labour.core.links.url_for`, which reverses
  a URL name once and then fills in its arguments.
- `|date:"Y-m-d H:i"`: a format made only of the numeric specifiers d j m n Y y H
  G i s and punctuation is the same in every language; it is turned once into a
  list of fields and filled in. Any other format goes to Django's filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import template
from django.template import defaultfilters, defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from labour.core.links import url_for

register = template.Library()

# ------------------------------------------------------------------ {% url %}

class QuickURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        if self.kwargs or _current_app(context):
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        try:
            url = url_for(view_name, *args)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


def _current_app(context: template.Context) -> str | None:
    request = getattr(context, "request", None)
    if request is None:
        return None
    return getattr(request, "current_app", None)


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> QuickURLNode:
    node = defaulttags.url(parser, token)
    return QuickURLNode(node.view_name, node.args, node.kwargs, node.asvar)


# ------------------------------------------------------------------ |date

_NUMERIC: dict[str, Callable[[Any], str]] = {
    "d": lambda v: f"{v.day:02d}", "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}", "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}", "y": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: f"{v.hour:02d}", "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}", "s": lambda v: f"{v.second:02d}",
}
_TIME_SPECIFIERS = set("HGis")
# format → (fields, uses time specifiers), or None: Django's filter formats it
_FORMATS: dict[str, tuple[tuple[Callable[[Any], str] | str, ...], bool] | None] = {}


def _compile(fmt: str) -> tuple[tuple[Callable[[Any], str] | str, ...], bool] | None:
    if fmt in _FORMATS:
        return _FORMATS[fmt]
    fields: list[Callable[[Any], str] | str] = []
    compiled: tuple[tuple[Callable[[Any], str] | str, ...], bool] | None
    if any(c.isalpha() and c not in _NUMERIC or c == "\\" for c in fmt):
        compiled = None  # a name of a month or a day, a setting's name, an escape
    else:
        fields = [_NUMERIC.get(c, c) for c in fmt]
        compiled = (tuple(fields), any(c in _TIME_SPECIFIERS for c in fmt))
    if len(_FORMATS) < 256:
        _FORMATS[fmt] = compiled
    return compiled


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's `|date`, quicker for a numeric format."""
    if arg and isinstance(value, dt.date):
        compiled = _compile(arg)
        if compiled is not None:
            fields, uses_time = compiled
            if isinstance(value, dt.datetime) or not uses_time:
                return "".join(f if isinstance(f, str) else f(value) for f in fields)
    return defaultfilters.date(value, arg)
