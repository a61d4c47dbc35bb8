"""The quick `{% url %}`, `|date` (labour.core.templatetags.quick) and `url_for`
(labour.core.links) give exactly what Django's own give."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Engine, engines
from django.template.defaultfilters import date as django_date
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver
from django.utils import timezone

from labour.core import links
from labour.core.links import url_for
from labour.core.templatetags.quick import date as quick_date

SAMPLES = {"str": ["QYB202611290001", "XM900001", "a-b_c", "91410100MA12345678",
                   "含中文", "a b", "x%y", "a?b", "<b>"],
           "path": ["a", "a/b", "x%2Fy"], "int": [0, 7, "12", 123456]}


def _patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def _argument_sets(pattern):
    converters = list(getattr(pattern, "converters", {}).values())
    kinds = [type(c).__name__.replace("Converter", "").lower() for c in converters]
    if not kinds:
        return [[]]
    width = max(len(SAMPLES.get(k, ["x"])) for k in kinds)
    return [[SAMPLES.get(k, ["x", "1"])[i % len(SAMPLES.get(k, ["x", "1"]))] for k in kinds]
            for i in range(width)]


def test_url_for_is_reverse_for_every_url_of_the_platform():
    checked = 0
    for name, pattern in _patterns():
        for args in _argument_sets(pattern):
            try:
                expected = reverse(name, args=args)
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    url_for(name, *args)
                continue
            assert url_for(name, *args) == expected, (name, args)
            assert url_for(name, *args) == expected, (name, args)  # from its stored shape
            checked += 1
    assert checked > 100


def test_url_for_fills_in_only_plain_arguments():
    """A code goes in as it is; anything else is left to reverse(), which quotes it."""
    assert url_for("certification:review_detail", "QYB1") == "/certification/review/QYB1/"
    assert url_for("certification:review_detail", "a b") == reverse(
        "certification:review_detail", args=["a b"]) == "/certification/review/a%20b/"
    assert url_for("certification:review_detail", "a.b") == reverse(
        "certification:review_detail", args=["a.b"])
    with pytest.raises(NoReverseMatch):
        url_for("certification:review_detail", "../x")


def test_url_for_follows_the_script_prefix():
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/city/")
        assert url_for("certification:review_detail", "QYB1") == \
            "/city/certification/review/QYB1/"
        assert url_for("help") == reverse("help")
    finally:
        set_script_prefix("/")
    assert url_for("certification:review_detail", "QYB1") == "/certification/review/QYB1/"


def test_a_wrong_name_or_argument_count_is_djangos_error():
    with pytest.raises(NoReverseMatch):
        url_for("certification:no_such_page")
    with pytest.raises(NoReverseMatch):
        url_for("certification:review_detail")
    with pytest.raises(NoReverseMatch):
        url_for("certification:review_detail", "a", "b")
    assert links._SHAPES  # shapes are kept


@pytest.mark.parametrize("source", [
    "{% url 'certification:review_detail' code %}",
    "{% url 'certification:review_detail' code as link %}[{{ link }}]",
    "{% url 'certification:review_detail' number=code %}",
    "{% url 'certification:no_such_page' code as link %}[{{ link }}]",
    "{% url name code %}",
    "{% url 'help' %}",
])
@pytest.mark.parametrize("code", ["QYB1", "a b", "<x>&", 7])
def test_the_url_tag_renders_as_djangos(source, code, rf):
    context = {"code": code, "name": "certification:review_detail"}
    request = rf.get("/")
    quick = engines["django"].from_string(source)
    plain = Engine(app_dirs=True).from_string(source)  # Django's builtins only
    try:
        expected = plain.render(Context(context))
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            quick.render(context, request)
        return
    assert quick.render(context, request) == expected


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
VALUES = [dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, 23, 59, 1),
          dt.datetime(999, 3, 9, 0, 0, 0), dt.date(2026, 7, 8), dt.date(5, 1, 1), dt.time(9, 5),
          "2026-01-01", "", None, 20260101]
FORMATS = ["Y-m-d H:i", "Y-m-d", "Y-m", "Y年n月j日", "y/m/d G:i:s", "H:i", "d.m.Y", "N j, Y",
           "DATE_FORMAT", "SHORT_DATE_FORMAT", r"\Y Y", "Y-m-d A", "jS F", "", None]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_date_filter_gives_djangos_output(fmt):
    for value in VALUES:
        try:
            expected = django_date(value, fmt)
        except Exception as exc:  # noqa: BLE001 - the same error is expected
            with pytest.raises(type(exc)):
                quick_date(value, fmt)
            continue
        assert quick_date(value, fmt) == expected, (value, fmt)


@pytest.mark.parametrize("source", ['{{ when|date:"Y-m-d H:i" }}', '{{ when|date:"Y-m-d" }}',
                                    '{{ when|date }}', '{{ when|date:"D Y" }}'])
def test_in_a_template_the_time_is_shown_in_the_citys_zone(source, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    when = dt.datetime(2026, 11, 29, 17, 30, tzinfo=dt.UTC)  # 01:30 next day in Zhengzhou
    quick = engines["django"].from_string(source)
    plain = Engine(app_dirs=True).from_string(source)
    with timezone.override(SHANGHAI):
        rendered = quick.render({"when": when})
        assert rendered == plain.render(Context({"when": when}))
    if "Y-m-d" in source:
        assert rendered.startswith("2026-11-30")
