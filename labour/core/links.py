"""`url_for(name, *args)`: `reverse(name, args=args)` without matching the pattern's
converters on every call — what a list page does once per row.

For a URL name whose arguments are all `str` or `path` converters, the URL is
reversed once with placeholder arguments and afterwards filled in: an argument made
of letters, digits, `-` and `_` (every code and number of the platform) is valid
for those converters and needs no quoting. Anything else — other converters, other
characters, a name that does not reverse — goes through Django's `reverse()`.
labour/core/tests/test_quick_builtins.py compares it with `reverse()` over every
URL pattern of the platform."""

from __future__ import annotations

import re
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

PLAIN_ARG = re.compile(r"[A-Za-z0-9_-]+")
PLACEHOLDER = "QuickUrlArgument{}Placeholder"
# (urlconf, script prefix, name, number of arguments) → the URL's pieces between
# its arguments, or None when that name needs Django's reverse()
_SHAPES: dict[tuple[Any, str, str, int], tuple[str, ...] | None] = {}


def _shape(name: str, count: int) -> tuple[str, ...] | None:
    key = (get_urlconf(), get_script_prefix(), name, count)
    try:
        return _SHAPES[key]
    except KeyError:
        pass
    shape: tuple[str, ...] | None = None
    placeholders = [PLACEHOLDER.format(i) for i in range(count)]
    try:
        url = reverse(name, args=placeholders)
    except NoReverseMatch:
        url = ""
    # every placeholder once, in order, and nothing the converter changed
    pieces = re.split("|".join(placeholders), url) if placeholders and url else [url]
    if url and len(pieces) == count + 1 and all(p in url for p in placeholders):
        shape = tuple(pieces)
    elif url and not count:
        shape = (url,)
    _SHAPES[key] = shape
    return shape


def url_for(name: str, *args: Any) -> str:
    """`reverse(name, args=args)`, without matching converters again when it need not."""
    values = [str(a) for a in args]
    if all(PLAIN_ARG.fullmatch(v) for v in values):
        shape = _shape(name, len(values))
        if shape is not None:
            parts = [shape[0]]
            for value, piece in zip(values, shape[1:], strict=True):
                parts += (value, piece)
            return "".join(parts)
    return reverse(name, args=values)
