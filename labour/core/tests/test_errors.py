from django import forms

from labour.core.errors import ServiceError


class _Form(forms.Form):
    a = forms.CharField(required=False)
    b = forms.CharField(required=False)


def test_one_field_keeps_working():
    exc = ServiceError("请填写甲", field="a")
    assert exc.message == "请填写甲" and exc.field == "a" and exc.errors == {"a": "请填写甲"}
    assert ServiceError("不能").errors == {}


def test_each_message_goes_beside_its_field():
    form = _Form({})
    form.is_valid()
    ServiceError("还有2项未填写", errors={"a": "请填写甲", "b": "请填写乙"}).add_to(form)
    assert form.errors == {"a": ["请填写甲"], "b": ["请填写乙"]}
    assert not form.non_field_errors()


def test_without_a_field_of_the_form_the_summary_is_the_forms_own_error():
    form = _Form({})
    form.is_valid()
    ServiceError("系统繁忙", errors={"other": "x"}).add_to(form)
    assert form.non_field_errors() == ["系统繁忙"]
