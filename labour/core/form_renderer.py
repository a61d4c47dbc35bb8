"""The project's form renderer: Django's built-in widget templates written in Python.

Rendering a widget through the template engine costs a template per widget, one more
per <option> and per attribute list (includes): a list page's filter form of five
fields took ~4 ms. FastRenderer produces the same bytes as the templates of
django/forms/templates/django/forms/widgets/ (Django 5.2) directly from the context
the widget built, and leaves everything else (forms, fields, error lists, any other
template) to DjangoTemplates.

What the Python follows, template by template (the tests compare every widget with
the engine's output):

- `{{ x }}` is the engine's render_value_in_context: aware datetimes in local time,
  numbers and dates localised, then conditional_escape;
- `{{ x|stringformat:'s' }}` is "%s" % x, escaped unless x was safe;
- attrs.html: True → ` name`, False → nothing, anything else (None too: `name="None"`)
  → ` name="value"`, in the dict's order;
- `{% if widget.value != None %}` for input's value, `{% if widget.value %}` for the
  textarea's (after a newline), every template's own newlines (an <option> is followed
  by its file's final newline, a radio <input> by a newline before its label), and the
  final strip() of BaseRenderer.render.

The context is trusted only as Django's widgets build it: plain dicts whose values are
not callable (the engine would call them), attrs without an "items" key, option and
subwidget templates that are themselves built-in. Anything else, an unknown template
name, or a widget with its own template_name goes to the template engine.

Overridden templates: with DjangoTemplates the forms engine looks in Django's own
django/forms/templates before the apps' templates, so a project cannot override these
(and the repository has no templates/django/forms/ today). Should a subclass's engine
find them elsewhere, the check on first use (`_builtin_templates_in_use`) turns the
fast path off.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as html_escape
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, strip_spaces_between_tags
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs

WIDGETS = "django/forms/widgets/"


class _Unsupported(Exception):
    """A context the Python does not write exactly as the engine would."""


# what makes the engine's rendering differ from ours, or fail: then the engine renders
_FALLBACK = (_Unsupported, LookupError, TypeError, ValueError, AttributeError)


def _get(mapping: Any, key: str) -> Any:
    """`mapping.key` of the templates: a key of a plain dict, its value not callable."""
    if type(mapping) is not dict:
        raise _Unsupported
    value = mapping[key]
    if callable(value):
        raise _Unsupported
    return value


def _optional(attrs: Any, key: str) -> Any:
    """`widget.attrs.key` inside an {% if %}: a missing key is the engine's ""."""
    if type(attrs) is not dict:
        raise _Unsupported
    value = attrs.get(key, "")
    if callable(value):
        raise _Unsupported
    return value


def _plain(value: Any) -> Any:
    """A loop variable, which the engine would call if it were callable."""
    if callable(value):
        raise _Unsupported
    return value


def _escape(text: str) -> str:
    """django.utils.html.escape of a str (the same html.escape, without its check for
    lazy arguments: a fifth of the time of a select)."""
    return html_escape(text)


def _text(value: Any) -> str:
    """`{{ value }}`: django.template.base.render_value_in_context with autoescape."""
    if type(value) is str:
        return _escape(value)
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _format(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` (an is_safe filter: safe in, safe out)."""
    if type(value) is str:
        return _escape(value)
    if type(value) is int:  # an option's value, often: nothing to escape
        return str(value)
    text = stringformat(value, "s")
    return text if isinstance(value, SafeData) else _escape(text)


def _attrs(attrs: Any) -> str:
    """attrs.html."""
    if type(attrs) is not dict or "items" in attrs:  # the engine would read attrs["items"]
        raise _Unsupported
    if not attrs:
        return ""
    out = []
    for name, value in attrs.items():
        _plain(name)
        _plain(value)
        if value is False:
            continue
        if value is True:
            out.append(f" {_text(name)}")
        else:
            out.append(f' {_text(name)}="{_format(value)}"')
    return "".join(out)


# Each writer returns what the engine's Template.render gives for its template (not
# yet stripped): what an {% include %} of it inserts.

def _input(w: Any) -> str:
    """input.html."""
    value = _get(w, "value")
    html = f'<input type="{_text(_get(w, "type"))}" name="{_text(_get(w, "name"))}"'
    if value != None:  # noqa: E711 - the template's own comparison
        html += f' value="{_format(value)}"'
    return f"{html}{_attrs(_get(w, 'attrs'))}>\n"


def _including_input(w: Any) -> str:
    """text.html, date.html, … : {% include "…/input.html" %} and a newline."""
    return _input(w) + "\n"


def _textarea(w: Any) -> str:
    value = _get(w, "value")
    return (f'<textarea name="{_text(_get(w, "name"))}"{_attrs(_get(w, "attrs"))}>\n'
            f'{_text(value) if value else ""}</textarea>\n')


def _select(w: Any) -> str:
    parts = [f'<select name="{_text(_get(w, "name"))}"{_attrs(_get(w, "attrs"))}>']
    for group_name, group_choices, _index in _get(w, "optgroups"):
        if _plain(group_name):
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append("\n  ")
            parts.append(_include(_get(option, "template_name"), option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _select_option(w: Any) -> str:
    return (f'<option value="{_format(_get(w, "value"))}"{_attrs(_get(w, "attrs"))}>'
            f'{_text(_get(w, "label"))}</option>\n')


def _multiple_input(w: Any) -> str:
    """multiple_input.html: radio.html and checkbox_select.html."""
    attrs = _get(w, "attrs")
    parts = ["<div"]
    if id_ := _optional(attrs, "id"):
        parts.append(f' id="{_text(id_)}"')
    if css := _optional(attrs, "class"):
        parts.append(f' class="{_text(css)}"')
    parts.append(">")
    for group, options, _index in _get(w, "optgroups"):
        if _plain(group):
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append("<div>\n    ")
            parts.append(_include(_get(option, "template_name"), option))
            parts.append("</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _input_option(w: Any) -> str:
    """input_option.html: radio_option.html and checkbox_option.html."""
    wrap = _get(w, "wrap_label")
    html = ""
    if wrap:
        id_ = _optional(_get(w, "attrs"), "id")
        html = f'<label for="{_text(id_)}">' if id_ else "<label>"
    html += _input(w)
    if wrap:
        html += f" {_text(_get(w, 'label'))}</label>"
    return html + "\n"


def _multiwidget(w: Any) -> str:
    """multiwidget.html: {% spaceless %} around each subwidget's own template."""
    inner = "".join(_include(_get(sub, "template_name"), sub) for sub in _get(w, "subwidgets"))
    return strip_spaces_between_tags(inner.strip()) + "\n"


def _clearable_file_input(w: Any) -> str:
    html = ""
    if _get(w, "is_initial"):
        value = _get(w, "value")
        if hasattr(type(value), "__getitem__"):  # the engine would try value["url"] first
            raise _Unsupported
        url = _plain(value.url)
        html = f'{_text(_get(w, "initial_text"))}: <a href="{_text(url)}">{_text(value)}</a>'
        if not _get(w, "required"):
            checkbox_id = _text(_get(w, "checkbox_id"))
            attrs = _get(w, "attrs")
            html += (f'\n<input type="checkbox" name="{_text(_get(w, "checkbox_name"))}"'
                     f' id="{checkbox_id}"{" disabled" if _optional(attrs, "disabled") else ""}'
                     f'{" checked" if _optional(attrs, "checked") else ""}>'
                     f'\n<label for="{checkbox_id}">{_text(_get(w, "clear_checkbox_label"))}</label>')
        html += f"<br>\n{_text(_get(w, 'input_text'))}:"
    return (f'{html}\n<input type="{_text(_get(w, "type"))}" name="{_text(_get(w, "name"))}"'
            f'{_attrs(_get(w, "attrs"))}>\n')


def _then_newline(write: Callable[[Any], str]) -> Callable[[Any], str]:
    """A template that is `{% include "<write's template>" %}` and its final newline."""
    return lambda w: write(w) + "\n"


_WRITERS: dict[str, Callable[[Any], str]] = {
    WIDGETS + "input.html": _input,
    **{WIDGETS + f"{name}.html": _including_input
       for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime",
                    "time", "search", "tel", "color", "file", "checkbox")},
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "multiple_input.html": _multiple_input,
    WIDGETS + "radio.html": _then_newline(_multiple_input),
    WIDGETS + "checkbox_select.html": _then_newline(_multiple_input),
    WIDGETS + "input_option.html": _input_option,
    WIDGETS + "radio_option.html": _then_newline(_input_option),
    WIDGETS + "checkbox_option.html": _then_newline(_input_option),
    WIDGETS + "multiwidget.html": _multiwidget,
    **{WIDGETS + f"{name}.html": _then_newline(_multiwidget)
       for name in ("multiple_hidden", "splitdatetime", "splithiddendatetime", "select_date")},
    WIDGETS + "clearable_file_input.html": _clearable_file_input,
}
# every template the writers stand for, attrs.html (included by most) too
BUILTIN = frozenset([*_WRITERS, WIDGETS + "attrs.html"])


def _include(template_name: Any, widget: Any) -> str:
    """{% include template_name with widget=widget %} of a built-in template."""
    if type(template_name) is not str:
        raise _Unsupported
    try:
        write = _WRITERS[template_name]
    except KeyError:
        raise _Unsupported from None
    return write(widget)


class FastRenderer(DjangoTemplates):
    """DjangoTemplates, with Django's own widget templates written in Python."""

    def render(self, template_name: str, context: dict[str, Any],
               request: HttpRequest | None = None) -> str:
        write = _WRITERS.get(template_name) if type(template_name) is str else None
        if write is not None and type(context) is dict and self._builtin_templates_in_use:
            try:
                return write(_get(context, "widget")).strip()  # as BaseRenderer.render strips
            except _FALLBACK:
                pass
        return super().render(template_name, context, request=request)

    @cached_property
    def _builtin_templates_in_use(self) -> bool:
        """Whether this renderer's engine finds every template written here in Django."""
        root = Path(django.forms.__file__).parent / "templates"
        for name in BUILTIN:
            try:
                origin = self.get_template(name).origin.name
            except TemplateDoesNotExist:
                return False
            if Path(origin) != root / name:
                return False
        return True
