"""What every page owes its users, checked over every template and form: one date
format, a maxlength on every text field (and a Chinese message past it), each upload's
types and size limit beside it, each status as a badge, tables in their scroll box,
error texts that name the field once."""

import importlib
import pkgutil
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template

import labour
from labour.attachments.forms import UploadsForm

ROOT = Path(labour.__file__).resolve().parent
TEMPLATES = sorted(p for p in ROOT.glob("*/templates/**/*.html"))


def _template_texts():
    return [(p.relative_to(ROOT), p.read_text(encoding="utf-8")) for p in TEMPLATES]


def _form_classes():
    for module in pkgutil.walk_packages(labour.__path__, "labour."):
        if any(part in module.name for part in (".tests", "browser_tests", "migrations")):
            continue
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted({c for c in subclasses(forms.BaseForm) if c.__module__.startswith("labour.")
                   and ".tests." not in c.__module__},
                  key=lambda c: c.__qualname__)


# ------------------------------------------------------------------ dates

def test_a_bare_date_and_datetime_show_the_platform_format(settings):
    shanghai = ZoneInfo("Asia/Shanghai")
    text = Template("{{ d }}|{{ dt }}|{{ d|date }}|{{ dt|date:'DATETIME_FORMAT' }}").render(
        Context({"d": date(2026, 12, 5), "dt": datetime(2026, 12, 5, 14, 30, tzinfo=shanghai)}))
    assert text == "2026-12-05|2026-12-05 14:30|2026-12-05|2026-12-05 14:30"


def test_templates_write_dates_one_way():
    for path, text in _template_texts():
        for fmt in re.findall(r'\|date:"([^"]*)"', text):
            assert fmt in ("Y-m-d", "Y-m-d H:i", "Y-m"), (path, fmt)  # Y-m: a month


# ------------------------------------------------------------------ no silent truncation

def test_every_text_field_of_every_form_has_a_maxlength():
    missing = []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            widget = field.widget
            if isinstance(widget, forms.PasswordInput | forms.DateInput | forms.HiddenInput):
                continue  # passwords are never cut: their rule is checked and said
            if isinstance(widget, forms.TextInput | forms.Textarea):
                if not (getattr(field, "max_length", None) or widget.attrs.get("maxlength")):
                    missing.append(f"{cls.__qualname__}.{name}")
    assert not missing, missing


def test_every_text_input_written_in_a_template_has_a_maxlength():
    for path, text in _template_texts():
        for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", text):
            if re.search(r'type="(hidden|checkbox|radio|file|submit)"', tag):
                continue
            if "readonly" in tag:
                continue
            assert "maxlength" in tag, (path, tag)


def test_past_the_limit_the_server_says_so_in_chinese():
    from labour.projects.forms import ParticipantForm

    form = ParticipantForm({"participant-role": "labour_subcontractor",
                            "participant-unit_name": "长" * 201,
                            "participant-credit_code": "x"})
    assert not form.is_valid()
    assert "不超过 200 字符" in form.errors["unit_name"][0]
    assert 'maxlength="200"' in str(form["unit_name"])


def test_app_js_tells_the_limit_beside_the_field():
    js = (ROOT / "core" / "static" / "core" / "app.js").read_text(encoding="utf-8")
    assert '"最多可输入" + max + "个字"' in js


# ------------------------------------------------------------------ uploads

def test_every_upload_states_its_types_and_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    uploads = [c for c in _form_classes() if issubclass(c, UploadsForm) and c.file_fields]
    assert uploads
    for cls in uploads:
        form = cls(draft_key="k")
        for name in cls.file_fields:
            assert form.fields[name].help_text.endswith(
                "支持文件：JPG、PNG、PDF，单个文件不超过5 MB"), (cls, name)
            assert form[name].field.widget.attrs["data-max-bytes"] == str(5 * 1024 * 1024)


@pytest.mark.django_db
def test_the_application_form_shows_the_limit_beside_each_upload(client):
    page = client.get("/certification/enterprise/").content.decode()
    assert page.count("支持文件：JPG、PNG、PDF，单个文件不超过10 MB") == 4


def test_upload_messages_name_the_document_once():
    for cls in _form_classes():
        if issubclass(cls, UploadsForm):
            for name, noun in cls.file_fields.items():
                assert not noun.endswith("上传"), (cls, name, noun)  # not 「请上传证书上传」


# ------------------------------------------------------------------ tables and badges

def test_every_list_table_scrolls_in_its_box():
    for path, text in _template_texts():
        for match in re.finditer(r'<table class="list"', text):
            before = text[:match.start()].rstrip()
            assert before.endswith('<div class="table-wrap">'), path


def test_every_status_is_shown_as_a_badge():
    for path, text in _template_texts():
        for match in re.finditer(r"\{\{ *([\w.]+)\.get_(\w*status)_display *\}\}", text):
            opening = text[:match.start()].rsplit("<", 1)[1]
            assert opening.startswith("span class=\"status status-"), (path, match.group(0))


def test_every_status_value_has_a_badge_style():
    from django.apps import apps

    css = (ROOT / "core" / "static" / "core" / "app.css").read_text(encoding="utf-8")
    for model in apps.get_models():
        if not model.__module__.startswith("labour."):
            continue
        for field in model._meta.fields:
            if field.name.endswith("status") and field.choices:
                for value, _label in field.choices:
                    assert f".status-{value}" in css, (model.__name__, field.name, value)


def test_the_one_pager_keeps_search_and_filters_and_encodes_them(rf):
    """Every list page includes core/pager.html: 下一页 keeps what the user searched and
    filtered (here a Chinese term and a status), replaces only the page, and escapes
    whatever was typed."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/workforce/", {"q": "张\"><b>", "status": "on_site", "page": "2"})
    page = Paginator(range(50), 20).get_page(2)
    html = render_to_string("core/pager.html", {"page": page}, request=request)
    assert "第 2 / 3 页，共 50 条" in html
    assert 'href="?q=%E5%BC%A0%22%3E%3Cb%3E&status=on_site&page=3"' in html
    assert "<b>" not in html
