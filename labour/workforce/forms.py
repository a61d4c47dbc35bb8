"""Forms of the roster pages. Each clean() applies the same rules the services apply
(labour.workforce.rules), so that a page shows every wrong item at once; the
services check again."""

from __future__ import annotations

from typing import Any

from django import forms

from labour.attachments.forms import UploadsForm

from .choices import AgreementKind, Gender, RosterStatus, WorkerRole
from .codes import (
    CONTRACT_PERIOD_TYPES,
    CULTURE_LEVELS,
    ID_TYPES,
    MEASURE_UNITS,
    NATIONS,
    POLITICS_TYPES,
    RESIDENT_ID_CARD,
    WORK_TYPES,
    banks,
)
from .rules import check_card, check_contract, check_identity, check_person, check_project_part, check_team

IMAGE_HELP = "支持文件：JPG、PNG"


def _text(placeholder: str = "", **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off", **attrs})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(placeholder: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", placeholder), *choices]


def _add_errors(form: forms.Form, errors: dict[str, str]) -> None:
    for field, message in errors.items():
        target = field if field in form.fields else None
        if target is None or target not in form.errors:
            form.add_error(target, message)


def _ids(form: forms.Form) -> None:
    for name, field in form.fields.items():
        field.widget.attrs.setdefault("id", f"id_{name}")


class IdentityForm(forms.Form):
    """新增人员, first step: who is it? (a person is found by 证件号码)"""

    name = forms.CharField(label="姓名", max_length=50, widget=_text("请输入姓名"))
    id_type = forms.ChoiceField(label="证件类型", initial=RESIDENT_ID_CARD, choices=ID_TYPES.choices())
    id_number = forms.CharField(label="证件号码", max_length=40,
                                widget=_text("请输入证件号码", inputmode="text"))

    def __init__(self, *args: Any, hidden: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hidden:
            for field in self.fields.values():
                field.widget = forms.HiddenInput()
        _ids(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            cleaned, errors = check_identity(data)
            _add_errors(self, errors)
            data.update(cleaned)
        return data


PERSON_FILES = {"photo": "本人照片", "id_card_front": "身份证正面", "id_card_back": "身份证反面"}


class WorkerForm(UploadsForm):
    """新增人员, second step (`with_person`: the person part too, for someone the
    platform does not know yet), or 修改 of a worker (`editing`)."""

    file_help = {"photo": "正面免冠照片，用于全国平台（平台另存一份不超过50KB的JPEG）。" + IMAGE_HELP,
                 "id_card_front": IMAGE_HELP, "id_card_back": IMAGE_HELP}

    # person part
    name = forms.CharField(label="姓名", max_length=50, widget=_text("请输入姓名"))
    gender = forms.ChoiceField(label="性别", choices=_choices("请选择性别", Gender.choices))
    birth_date = forms.DateField(label="出生日期", widget=_date())
    nation = forms.ChoiceField(label="民族", choices=_choices(
        "请选择民族", [(name, f"{name}族") for _code, name in NATIONS.rows()]))
    grant_org = forms.CharField(label="发证机关", max_length=60, widget=_text("如：郑州市公安局中原分局"))
    id_valid_from = forms.DateField(label="证件有效期开始", widget=_date())
    id_valid_until = forms.DateField(label="证件有效期结束", required=False, widget=_date())
    id_long_term = forms.BooleanField(label="长期", required=False)
    address = forms.CharField(label="住址", max_length=200, widget=_text("身份证上的住址"))
    phone = forms.CharField(label="手机号", max_length=20,
                            widget=_text("请输入11位手机号", inputmode="numeric"))
    politics_type = forms.ChoiceField(label="政治面貌",
                                      choices=_choices("请选择政治面貌", POLITICS_TYPES.choices()))
    culture_level = forms.ChoiceField(label="文化程度",
                                      choices=_choices("请选择文化程度", CULTURE_LEVELS.choices()))
    urgent_contact_name = forms.CharField(label="紧急联系人", max_length=50, required=False,
                                          widget=_text("选填"))
    urgent_contact_phone = forms.CharField(label="紧急联系人电话", max_length=20, required=False,
                                           widget=_text("选填", inputmode="numeric"))
    photo = forms.FileField(label="本人照片", required=False)
    id_card_front = forms.FileField(label="身份证正面", required=False)
    id_card_back = forms.FileField(label="身份证反面", required=False)
    # project part
    team = forms.ChoiceField(label="班组")
    work_role = forms.ChoiceField(label="工人类型", initial=WorkerRole.BUILDER, choices=WorkerRole.choices)
    work_type = forms.ChoiceField(label="工种", choices=_choices("请选择工种", WORK_TYPES.choices()))
    is_team_leader = forms.BooleanField(label="是否班组长", required=False)
    safety_training_date = forms.DateField(label="基本安全培训日期", required=False, widget=_date(),
                                           help_text="进场前须完成基本安全培训")
    has_insurance = forms.BooleanField(label="是否购买工伤或意外伤害保险", required=False)

    PERSON_FIELDS = ("name", "gender", "birth_date", "nation", "grant_org", "id_valid_from",
                     "id_valid_until", "id_long_term", "address", "phone", "politics_type",
                     "culture_level", "urgent_contact_name", "urgent_contact_phone")
    PROJECT_FIELDS = ("team", "work_role", "work_type", "is_team_leader", "safety_training_date",
                      "has_insurance")

    def __init__(self, *args: Any, id_type: str, teams: Any, with_person: bool = True,
                 editing: bool = False, **kwargs: Any) -> None:
        self.with_person = with_person
        self.editing = editing
        self.id_type = id_type
        self.file_fields = dict(PERSON_FILES) if with_person else {}
        self.required_files = ("photo",) if with_person and not editing else ()
        super().__init__(*args, **kwargs)
        if not with_person:
            for name in (*self.PERSON_FIELDS, *PERSON_FILES):
                del self.fields[name]
        else:
            if not editing:  # the name was typed in the first step
                del self.fields["name"]
            if id_type == RESIDENT_ID_CARD:  # gender and birth date come from the number
                del self.fields["gender"]
                del self.fields["birth_date"]
            for name in PERSON_FILES:
                self.fields[name].widget.attrs["accept"] = ".jpg,.jpeg,.png"
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ChoiceField)
        team_field.choices = _choices("请选择班组", [(str(t.pk), t.name) for t in teams])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.with_person:
            self.clean_uploads()
            _cleaned, errors = check_person({**data, "id_type": self.id_type}, identity=False)
            _add_errors(self, {k: v for k, v in errors.items() if k in self.fields})
        _cleaned, errors = check_project_part(data)
        _add_errors(self, {k: v for k, v in errors.items() if k in self.fields})
        return data

    def person_data(self) -> dict[str, Any] | None:
        if not self.with_person:
            return None
        return {k: self.cleaned_data.get(k) for k in self.PERSON_FIELDS if k in self.fields}

    def project_part(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in self.PROJECT_FIELDS if k != "team"}

    def person_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PERSON_FIELDS
                if name in self.fields and name not in ("id_valid_until", "id_long_term")]

    def project_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PROJECT_FIELDS]


class TeamForm(forms.Form):
    """班组: name, 班组长 (a worker of the team, when editing), 责任人, dates, 备注."""

    name = forms.CharField(label="班组名称", max_length=100, widget=_text("同一项目内不能重复"))
    leader = forms.ChoiceField(label="班组长", required=False)
    responsible_name = forms.CharField(label="责任人姓名", max_length=50, required=False,
                                       widget=_text("班组所在企业负责人"))
    responsible_phone = forms.CharField(label="责任人电话", max_length=20, required=False,
                                        widget=_text("请输入11位手机号", inputmode="numeric"))
    entry_date = forms.DateField(label="进场日期", required=False, widget=_date())
    exit_date = forms.DateField(label="退场日期", required=False, widget=_date())
    remark = forms.CharField(label="备注", max_length=200, required=False, widget=_text("选填"))

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["leader"]
        else:
            leader_field = self.fields["leader"]
            assert isinstance(leader_field, forms.ChoiceField)
            leader_field.choices = _choices("暂不指定", [
                (str(w.pk), f"{w.person.name}（{w.person.masked_phone}）") for w in members])
        _ids(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _cleaned, errors = check_team(data)
        _add_errors(self, errors)
        return data

    def team_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "leader"}

    def leader_id(self) -> int | None:
        value = self.cleaned_data.get("leader") or ""
        return int(value) if str(value).isdigit() else None


class ContractForm(UploadsForm):
    """劳动合同 / 用工书面协议 (up to 2 files)."""

    file_fields = {"file_1": "合同文件", "file_2": "合同文件（第2份）"}
    required_files = ()

    agreement_kind = forms.ChoiceField(label="协议类型", choices=AgreementKind.choices)
    period_type = forms.ChoiceField(label="期限类型", choices=CONTRACT_PERIOD_TYPES.choices())
    start_date = forms.DateField(label="开始日期", widget=_date())
    end_date = forms.DateField(label="结束日期", widget=_date(),
                               help_text="以完成一定工作为期限的合同也须填写预计结束日期")
    unit = forms.ChoiceField(label="计量单位", required=False,
                             choices=_choices("不按计量单位计价", MEASURE_UNITS.choices()))
    unit_price = forms.DecimalField(label="单价（元）", required=False, max_digits=12, decimal_places=2,
                                    min_value=0, widget=_text("选填", inputmode="decimal", maxlength="14"))
    file_1 = forms.FileField(label="合同文件", required=False)
    file_2 = forms.FileField(label="合同文件（第2份）", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_uploads()
        _cleaned, errors = check_contract(data)
        _add_errors(self, errors)
        return data

    def contract_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.file_fields}


class CardForm(forms.Form):
    """工资卡. The holder is the worker: there is no holder field."""

    bank = forms.ChoiceField(label="开户银行", choices=_choices(
        "请选择开户银行", [(b.name, f"{b.name}（{b.code}）") for b in banks()]))
    branch_name = forms.CharField(label="开户支行名称", max_length=100,
                                  widget=_text("如：中国建设银行郑州中原路支行"))
    link_number = forms.CharField(label="联行号", max_length=20, required=False,
                                  widget=_text("选填，12位", inputmode="numeric"))
    card_number = forms.CharField(label="卡号", max_length=30,
                                  widget=_text("12至19位数字", inputmode="numeric"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _ids(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _cleaned, errors = check_card(data)
        _add_errors(self, errors)
        return data


class EventForm(UploadsForm):
    """进场 or 退场: a date and an optional voucher."""

    file_fields = {"voucher": "凭证"}
    required_files = ()

    date = forms.DateField(label="日期", widget=_date())
    voucher = forms.FileField(label="凭证", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_uploads()
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label="人员名单文件",
                           help_text="请使用下载的模板填写，.xlsx 格式，不超过10 MB、20000行")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            {"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "id": "id_file"})


STATUS_CHOICES = _choices("全部状态", RosterStatus.choices)
