"""labour.core.form_renderer.FastRenderer writes Django's widget templates in Python:
byte for byte what DjangoTemplates renders, for every built-in widget over values,
attributes and choices that need escaping, localising or leaving out, and for every
field of the project's forms; and it does so without asking its template engine
(which it still uses for anything else)."""

import datetime as dt
import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import django.forms
import pytest
from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.forms import widgets
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.http import QueryDict
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates as DjangoBackend
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

import labour
from labour.core.form_renderer import BUILTIN, FastRenderer


class Watched(FastRenderer):
    """A FastRenderer noting each template it asks its engine for (after the one look
    at where the built-in templates are)."""

    def __init__(self):
        super().__init__()
        self.asked = []
        assert self._builtin_templates_in_use
        self.asked = []

    def get_template(self, template_name):
        self.asked.append(template_name)
        return super().get_template(template_name)


DJANGO = DjangoTemplates()
FAST = Watched()

UTC = dt.UTC
TRICKY = 'a <b> & "c" \'d\''


def _differences(widget, cases, name="f"):
    """The (case, Django's HTML, ours) that differ, and the cases the engine wrote."""
    wrong, engine = [], []
    for value, attrs in cases:
        expected = widget.render(name, value, attrs, renderer=DJANGO)
        FAST.asked = []
        got = widget.render(name, value, attrs, renderer=FAST)
        if got != expected:
            wrong.append(((value, attrs), expected, got))
        if FAST.asked:
            engine.append(((value, attrs), FAST.asked))
    return wrong, engine


def assert_same(widget, cases, name="f"):
    wrong, engine = _differences(widget, cases, name)
    assert not wrong, f"{len(wrong)} of {len(cases)} differ, first: {wrong[0]}"
    assert not engine, f"the engine wrote {engine[0]}"


def cross(values, attrs):
    return [(v, a) for v in values for a in attrs]


VALUES = [None, "", "plain", TRICKY, "  spaced  \n", mark_safe("<b>safe</b> &amp;"),
          gettext_lazy("Clear"), 0, 42, -7, Decimal("1234.50"), 1.5, True, False,
          dt.date(2026, 11, 30), dt.datetime(2026, 11, 30, 8, 5, tzinfo=UTC), dt.time(8, 5),
          ["a", "b"], ("x", 1)]
ATTRS = [
    None,
    {},
    {"id": "id_f", "required": True},
    {"required": False, "disabled": True, "placeholder": TRICKY},
    # False left out, True bare, None written as the template writes it ("None"), order kept
    {"x": False, "y": None, "z": True, "data-zero": 0, "data-one": 1, "data-b": "b", "data-a": "a"},
    {"data-safe": mark_safe("&amp;<i>"), "data-lazy": gettext_lazy("Clear"),
     "data-date": dt.date(2026, 1, 2), "data-tuple": (1, 2), "data-list": [1, "<"],
     "title": "tab\there\nnewline", "data-decimal": Decimal("0.10"), "data-float": 2.5},
    {"aria-describedby": "id_f_helptext id_f_error", "aria-invalid": "true", "id": "id_f",
     "class": "a b", "autocomplete": "off", "inputmode": "numeric", "maxlength": "15"},
    {"type": "number", "checked": True, "value": "attr value"},
]
WIDGET_ATTRS = [None, {"class": "w", "data-b": "2", "data-a": "1", "required": True}]

class MultipleFiles(forms.FileInput):
    allow_multiple_selected = True


INPUTS = {
    "input": lambda attrs: widgets.Input(attrs={"type": "range", **(attrs or {})}),
    "text": forms.TextInput,
    "number": forms.NumberInput,
    "email": forms.EmailInput,
    "url": forms.URLInput,
    "password": forms.PasswordInput,
    "password shown": lambda attrs: forms.PasswordInput(attrs, render_value=True),
    "hidden": forms.HiddenInput,
    "date": forms.DateInput,
    "date formatted": lambda attrs: forms.DateInput(attrs, format="%Y-%m-%d"),
    "datetime": forms.DateTimeInput,
    "time": forms.TimeInput,
    "search": forms.SearchInput,
    "tel": forms.TelInput,
    "color": forms.ColorInput,
    "file": forms.FileInput,
    "file multiple": lambda attrs: MultipleFiles(attrs),
    "checkbox": forms.CheckboxInput,
    "checkbox own test": lambda attrs: forms.CheckboxInput(attrs, check_test=lambda v: v == "plain"),
    "textarea": forms.Textarea,
    "textarea rows": lambda attrs: forms.Textarea({"rows": 3, **(attrs or {})}),
}


@pytest.mark.parametrize("kind", INPUTS)
@pytest.mark.parametrize("widget_attrs", WIDGET_ATTRS, ids=["plain", "with attrs"])
def test_inputs_and_textarea(kind, widget_attrs):
    widget = INPUTS[kind](widget_attrs)
    assert_same(widget, cross(VALUES, ATTRS))


CHOICES = {
    "flat": [("", "---------"), (1, "一"), ("2", TRICKY), ("x y", "x"), ("<", "<")],
    "groups": [("", "全部"), ("组 <1>", [(1, "a"), (2, "b")]),
               ("G2", [("x", "X"), ("y", mark_safe("<i>y</i>"))]), (3, "c")],
    "empty": [],
    "localised labels": [(1, 1000), (2, 2.5), (Decimal("3.10"), Decimal("1234.10")),
                         (4, dt.date(2026, 11, 30)), (5, dt.datetime(2026, 11, 30, 1, 2, tzinfo=UTC))],
    "odd values": [(None, "none"), (0, "zero"), (False, "false"), (True, "true"), (1.5, "1.5")],
    "lazy": [("a", gettext_lazy("Clear")), ("b", gettext_lazy("Currently")),
             (gettext_lazy("Change"), "c")],
    "falsy group names": [("", [(1, "a")]), (0, [(2, "b")]), ("G", [])],
    "districts": [("", "全部区县"), ("410102", "中原区"), ("410103", "二七区"), ("410104", "管城回族区")],
}
CHOICE_VALUES = [None, "", 1, "1", 2, "2", "x", "y", 0, True, "nope", "410103", [1, "2"],
                 ["x", 3, "nope"], [], ["", "410102"], ("1",)]
CHOICE_ATTRS = [None, {"id": "id_f", "class": "c", "required": True},
                {"disabled": True, "data-x": '<">', "multiple": False},
                {"id": "id_f", "aria-describedby": "id_f_error", "aria-invalid": "true"},
                {"class": ""}]
CHOICE_WIDGETS = {
    "select": forms.Select,
    "select multiple": forms.SelectMultiple,
    "radio": forms.RadioSelect,
    "checkboxes": forms.CheckboxSelectMultiple,
}


@pytest.mark.parametrize("kind", CHOICE_WIDGETS)
@pytest.mark.parametrize("choices", CHOICES)
def test_choice_widgets(kind, choices):
    for widget_attrs in WIDGET_ATTRS:
        widget = CHOICE_WIDGETS[kind](widget_attrs, choices=CHOICES[choices])
        assert_same(widget, cross(CHOICE_VALUES, CHOICE_ATTRS))


def test_null_boolean_select():
    assert_same(forms.NullBooleanSelect(), cross([None, True, False, "true", "2", "x"], CHOICE_ATTRS))


def test_a_select_of_choices_given_by_a_callable_and_a_model_choice_field(authority):
    from labour.accounts.models import User

    widget = forms.Select(choices=lambda: [("", "---"), ("a", "A")])
    assert_same(widget, cross(["", "a"], CHOICE_ATTRS))
    field = forms.ModelChoiceField(queryset=User.objects.all(), empty_label="<无>")
    assert_same(field.widget, cross([None, authority.pk, str(authority.pk)], CHOICE_ATTRS))
    many = forms.ModelMultipleChoiceField(queryset=User.objects.all())
    assert_same(many.widget, cross([None, [authority.pk]], CHOICE_ATTRS))


class Pair(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__({"": forms.TextInput, "kind": forms.Select(choices=CHOICES["groups"])}, attrs)

    def decompress(self, value):
        return value.split("|") if value else [None, None]


MULTI = {
    "split datetime": forms.SplitDateTimeWidget,
    "split hidden datetime": forms.SplitHiddenDateTimeWidget,
    "select date": lambda attrs: forms.SelectDateWidget(attrs, years=[2025, 2026]),
    "select date labels": lambda attrs: forms.SelectDateWidget(
        attrs, years=[2026], empty_label=("年", "月", "<日>")),
    "multiple hidden": forms.MultipleHiddenInput,
    "own multiwidget": Pair,
}
WHEN = dt.datetime(2026, 11, 30, 8, 5, tzinfo=UTC)
SPLIT = [None, "", WHEN, [dt.date(2026, 1, 2), dt.time(3, 4)], ["a", TRICKY], ["only"]]
DATES = [None, "", "2026-11-30", "2026-13-45", dt.date(2026, 2, 3), WHEN]
MULTI_VALUES = {
    "split datetime": SPLIT, "split hidden datetime": SPLIT,
    "select date": DATES, "select date labels": DATES,
    "multiple hidden": [None, [], ["a", TRICKY], [1, ""]],
    "own multiwidget": [None, "", "x|2", f"{TRICKY}|G2", ["only"], ["a", "x", "extra"]],
}
MULTI_ATTRS = [None, {"id": "id_f", "class": "c"}, {"required": True, "disabled": True, "type": "date"}]


@pytest.mark.parametrize("kind", MULTI)
def test_multiwidgets(kind):
    for widget_attrs in WIDGET_ATTRS:
        assert_same(MULTI[kind](widget_attrs), cross(MULTI_VALUES[kind], MULTI_ATTRS))


class Stored:
    """A file already saved: what ClearableFileInput shows as 「当前」."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


@pytest.mark.parametrize("required", [False, True])
@pytest.mark.parametrize("checked", [False, True])
def test_clearable_file_input(required, checked):
    widget = forms.ClearableFileInput({"accept": ".pdf"})
    widget.is_required, widget.checked = required, checked
    values = [None, "", Stored("合同 <1>.pdf", '/media/a b&c".pdf'), Stored("x.pdf", "")]
    attrs = [None, {"id": "id_f", "disabled": True}, {"required": True, "data-max-bytes": "1048576"}]
    assert_same(widget, cross(values, attrs))


def test_a_change_of_one_space_or_of_the_order_is_a_difference():
    """What the tests above compare is the bytes: these would all be told apart."""
    widget = forms.Select(choices=CHOICES["flat"])
    django_html = widget.render("f", "1", {"id": "id_f", "required": True}, renderer=DJANGO)
    for changed in (django_html.replace("\n\n", "\n"), django_html.replace('" required', '"  required'),
                    django_html.replace('name="f" id="id_f" required', 'name="f" required id="id_f"')):
        assert changed != django_html
    fast_html = widget.render("f", "1", {"id": "id_f", "required": True}, renderer=FAST)
    assert fast_html == django_html and "\n  <option value=\"1\" selected>一</option>\n\n" in fast_html


# every form of the project, unbound and bound

SKIPPED = (".tests", ".browser_tests", ".migrations", "labour.conftest")


def project_forms():
    for module in pkgutil.walk_packages(labour.__path__, "labour."):
        if not any(part in module.name for part in SKIPPED):
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("labour.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _teams():
    return [SimpleNamespace(pk=1, name="一班"), SimpleNamespace(pk=2, name="二<班>")]


def _members():
    person = SimpleNamespace(name="张<三>", masked_phone="139****0000")
    return [SimpleNamespace(pk=7, person=person)]


# the keyword arguments a form needs (several: each is rendered), by qualified name
NEEDS = {
    "labour.reviews.queue.QueueForm": lambda user: [
        {"user": user, "search_label": "项目名称或编号"}, {"user": user}],
    "labour.projects.forms.ProjectFilterForm": lambda user: [{"user": user}],
    "labour.projects.forms.ProjectForm": lambda user: [{"actor": user}],
    "labour.arrears.forms.WarningFilterForm": lambda user: [{"user": user}],
    "labour.payroll.forms.NewSheetForm": lambda user: [{"teams": [(1, "一班"), (2, "二<班>")]}],
    "labour.payroll.forms.AddLineForm": lambda user: [{"workers": [(1, "张三"), (2, "李<四>")]}],
    "labour.workforce.forms.WorkerForm": lambda user: [
        {"id_type": "01", "teams": _teams()}, {"id_type": "02", "teams": _teams(), "editing": True},
        {"id_type": "01", "teams": _teams(), "with_person": False}],
    "labour.workforce.forms.TeamForm": lambda user: [{}, {"members": _members()}],
    "labour.workforce.forms.IdentityForm": lambda user: [{}, {"hidden": True}],
    "labour.reviews.views.ReturnForm": lambda user: [{"kind": "certification"}, {"kind": "nothing to pick"}],
}


def _variants(form_class, user):
    from labour.attachments.forms import UploadsForm

    name = f"{form_class.__module__}.{form_class.__qualname__}"
    variants = NEEDS[name](user) if name in NEEDS else [{}]
    if issubclass(form_class, UploadsForm):
        variants = [{"draft_key": "renderer-test", **kwargs} for kwargs in variants]
    return variants


def _data(form, wrong=False):
    """Data for every field of `form`: valid-looking, or wrong throughout."""
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.FileField):
            continue
        if wrong:
            data.setlist(key, [TRICKY, "<x>"] if isinstance(field, forms.MultipleChoiceField) else [TRICKY])
        elif isinstance(field, forms.MultipleChoiceField):
            data.setlist(key, [str(v) for v, _ in list(field.choices)[:2]])
        elif isinstance(field, forms.ChoiceField):
            values = [v for v, label in field.choices if not isinstance(label, (list, tuple))]
            data[key] = str(values[-1]) if values else ""
        elif isinstance(field, forms.BooleanField):
            data[key] = "on"
        elif isinstance(field, forms.DateField):
            data[key] = "2026-11-30"
        elif isinstance(field, (forms.DecimalField, forms.IntegerField)):
            data[key] = "12.50" if isinstance(field, forms.DecimalField) else "12"
        else:
            data[key] = "郑州 <a> & \"b\""
    return data


def _rendered(form_class, data, kwargs, renderer):
    form = form_class(data, **kwargs)
    form.renderer = renderer
    return [(name, str(form[name])) for name in form.fields]


def test_the_project_has_forms_to_compare():
    names = {f"{c.__module__}.{c.__qualname__}" for c in project_forms()}
    assert {"labour.reviews.queue.QueueForm", "labour.projects.forms.ProjectFilterForm",
            "labour.projects.forms.ProjectForm", "labour.arrears.forms.WarningFilterForm"} <= names
    assert set(NEEDS) <= names, "NEEDS names a form that is gone"


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", project_forms(), ids=lambda c: c.__qualname__)
def test_every_field_of_the_project_s_forms(form_class, authority):
    for kwargs in _variants(form_class, authority):
        try:
            unbound = form_class(None, **kwargs)
        except TypeError as exc:
            pytest.fail(f"{form_class.__qualname__}: add the keyword arguments it needs to NEEDS ({exc})")
        for data in (None, _data(unbound), _data(unbound, wrong=True)):
            expected = _rendered(form_class, data, kwargs, DJANGO)
            FAST.asked = []
            assert _rendered(form_class, data, kwargs, FAST) == expected
            assert not set(FAST.asked) & BUILTIN, f"the engine wrote {FAST.asked}"


def test_the_project_renders_forms_with_it():
    assert settings.FORM_RENDERER == "labour.core.form_renderer.FastRenderer"
    assert isinstance(get_default_renderer(), FastRenderer)


# what goes to the engine

def test_another_template_goes_to_the_engine():
    with pytest.raises(TemplateDoesNotExist):
        FAST.render("labour/no_such_widget.html", {"widget": {}})

    class Small(forms.Form):
        name = forms.CharField(label="名称", help_text="<帮助>")
        kind = forms.ChoiceField(label="类型", choices=CHOICES["groups"])

    for data in (None, {"name": "", "kind": "nope"}):
        FAST.asked = []
        html = Small(data, renderer=FAST).as_div()
        assert html == Small(data, renderer=DJANGO).as_div()
        assert "django/forms/div.html" in FAST.asked  # the form's own template: the engine's
        assert not set(FAST.asked) & BUILTIN  # its widgets: ours


def test_a_widget_with_its_own_template_goes_to_the_engine():
    widget = AdminURLFieldWidget()  # admin/widgets/url.html, which includes input.html
    for value in (None, "https://example.com/a?b=1&c=<2>"):
        FAST.asked = []
        html = widget.render("site", value, {"id": "id_site"}, renderer=FAST)
        assert html == widget.render("site", value, {"id": "id_site"}, renderer=DJANGO)
        assert FAST.asked == ["admin/widgets/url.html"]

    class OwnOption(forms.Select):
        option_template_name = "admin/widgets/url.html"  # any template not written here

    wrong, engine = _differences(OwnOption(choices=[("a", "A")]), [("a", None)])
    assert not wrong and engine and engine[0][1] == ["django/forms/widgets/select.html"]


def test_a_context_the_python_does_not_write_goes_to_the_engine():
    """Values the engine would call, an attrs key hiding attrs.items: rendered by the engine,
    so still the same."""
    for attrs in ({"data-called": lambda: "called <once>"}, {"items": [("a", "b")], "class": "c"}):
        wrong, engine = _differences(forms.TextInput(), [("v", attrs)])
        assert not wrong and engine
    called = forms.TextInput().render("f", "", {"data-called": lambda: "called <once>"}, renderer=FAST)
    assert called == '<input type="text" name="f" data-called="called &lt;once&gt;">'
    assert forms.TextInput().render("f", "", {"items": [("a", "b")], "class": "c"},
                                    renderer=FAST) == '<input type="text" name="f" a="b">'
    context = forms.TextInput().get_context("f", "v", None)
    context["widget"]["label"] = "unused"
    context["widget"].pop("type")  # a context of another kind: the engine writes type=""
    FAST.asked = []
    assert FAST.render("django/forms/widgets/text.html", context) == DJANGO.render(
        "django/forms/widgets/text.html", context) == '<input type="" name="f" value="v">'
    assert FAST.asked == ["django/forms/widgets/text.html"]


def test_templates_found_elsewhere_turn_the_python_off(tmp_path):
    """Should this renderer's engine find its own copy of a built-in template (say, an
    engine that looked in the project before Django), the Python stands aside."""
    own = tmp_path / "django" / "forms" / "widgets"
    own.mkdir(parents=True)
    (own / "input.html").write_text('<input class="own" name="{{ widget.name }}">')

    class ProjectFirst(FastRenderer):
        @cached_property
        def engine(self):
            return DjangoBackend({"APP_DIRS": True, "NAME": "project-first", "OPTIONS": {},
                                  "DIRS": [tmp_path, Path(django.forms.__file__).parent / "templates"]})

    assert FastRenderer()._builtin_templates_in_use
    renderer = ProjectFirst()
    assert not renderer._builtin_templates_in_use
    assert forms.TextInput().render("f", "v", renderer=renderer) == '<input class="own" name="f">'
