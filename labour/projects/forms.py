from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from labour.attachments.forms import UploadsForm
from labour.core.regions import district_choices, districts_under
from labour.core.validators import (
    optional_phone,
    validate_account_number,
    validate_credit_code,
    validate_region_code,
)

from .choices import (
    FIRST_ROLES,
    ConstructionNature,
    GuaranteeForm,
    InfoStatus,
    ParticipantRole,
    ProjectCategory,
)
from .information import REQUIRED_LABELS as SUBMIT_REQUIRED
from .information import optional_pay_day
from .permissions import can_create_project_in
from .services import ProjectData, UnitRef

REGION_ERRORS = {
    "format": "所属区域应为6位区域编码",
    "unknown": "所属区域编码不存在，请核对后重新输入",
}


def _text(placeholder, **attrs):
    return forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off", **attrs})


def _lookup(code_field_id):
    """A unit's name field that offers certified enterprises as you type and fills the
    credit code field `code_field_id` with the one chosen."""
    return {"data-enterprise-lookup": code_field_id, "data-lookup-url": reverse_lazy("enterprises:lookup")}


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    """「新建项目」."""

    name = forms.CharField(label="项目名称", max_length=200, widget=_text("请输入项目名称"))
    region_code = forms.CharField(label="所属区域", max_length=6,
                                  widget=_text("选择区县或输入6位区域编码", inputmode="numeric",
                                               list="district-list"),
                                  help_text="可从列表中按名称选择本部门管辖的区县，也可直接输入6位区域编码")
    address = forms.CharField(label="项目地址", max_length=300, widget=_text("请输入项目地址"))
    category = forms.ChoiceField(label="项目类别",
                                 choices=[("", "请选择项目类别"), *ProjectCategory.choices])
    nature = forms.ChoiceField(label="建设性质",
                               choices=[("", "请选择建设性质"), *ConstructionNature.choices])
    total_investment = forms.DecimalField(label="总投资（万元）", max_digits=14, decimal_places=2,
                                          min_value=0,
                                          widget=_text("万元", inputmode="decimal", maxlength=15))
    floor_area = forms.DecimalField(label="建筑面积（㎡）", max_digits=14, decimal_places=2,
                                    min_value=0, widget=_text("㎡", inputmode="decimal", maxlength=15))
    planned_start = forms.DateField(label="计划开工日期", widget=_date())
    planned_end = forms.DateField(label="计划竣工日期", widget=_date())
    permit_no = forms.CharField(label="施工许可证号", max_length=60, required=False,
                                widget=_text("选填"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        for role in FIRST_ROLES:
            label = ParticipantRole(role).label
            unit = label if label.endswith("单位") else f"{label}单位"  # not 「建设单位单位名称」
            self.fields[f"{role}_name"] = forms.CharField(
                label=f"{unit}名称", max_length=200,
                widget=_text("输入名称或信用代码查找已认证单位", **_lookup(f"id_{role}_code")))
            self.fields[f"{role}_code"] = forms.CharField(
                label=f"{label}统一社会信用代码", max_length=30,
                widget=_text("请输入统一社会信用代码/组织机构代码"))
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"id_{name}")

    def districts(self):
        """(code, name) of the authority's districts, for the 所属区域 list."""
        return districts_under(self.actor.region_code) if self.actor.region_code else ()

    def clean_region_code(self):
        try:
            code = validate_region_code(self.cleaned_data["region_code"])
        except ValidationError as exc:  # its messages speak of the enterprise's 注册地区
            raise ValidationError(REGION_ERRORS.get(exc.code or "", exc.messages[0]),
                                  code=exc.code) from None
        if not can_create_project_in(self.actor, code):
            raise ValidationError("所属区域不在本部门管辖范围内")
        return code

    def clean(self):
        super().clean()
        data = self.cleaned_data
        for role in FIRST_ROLES:
            field = f"{role}_code"
            if data.get(field):
                try:
                    data[field] = validate_credit_code(data[field])
                except ValidationError as exc:
                    self.add_error(field, exc)
            if data.get(f"{role}_name"):
                data[f"{role}_name"] = " ".join(data[f"{role}_name"].split())
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "计划竣工日期不能早于计划开工日期")
        return data

    def project_data(self):
        d = self.cleaned_data
        return ProjectData(**{k: d[k] for k in ProjectData.__dataclass_fields__})

    def first_participants(self):
        d = self.cleaned_data
        return {role: UnitRef(unit_name=d[f"{role}_name"], credit_code=d[f"{role}_code"])
                for role in FIRST_ROLES}

    def project_fields(self):
        return [self[name] for name in ProjectData.__dataclass_fields__]

    def participant_rows(self):
        return [(ParticipantRole(role).label, self[f"{role}_name"], self[f"{role}_code"])
                for role in FIRST_ROLES]


class ProjectInformationForm(UploadsForm):
    """项目信息完善 (seed 二). Every item may stay empty in a saved draft; the
    告示牌 photo is kept when the form is refused."""

    file_fields = {"notice_board_photo": "维权信息告示牌"}
    file_help = {"notice_board_photo": "施工现场维权信息告示牌照片。"}
    required_files = ()

    manager_name = forms.CharField(label="项目经理姓名", max_length=50, required=False,
                                   widget=_text("请输入姓名"))
    manager_phone = forms.CharField(label="项目经理手机号", max_length=20, required=False,
                                    widget=_text("请输入手机号", inputmode="numeric"))
    labour_manager_name = forms.CharField(label="劳资专管员姓名", max_length=50, required=False,
                                          widget=_text("请输入姓名"))
    labour_manager_phone = forms.CharField(label="劳资专管员手机号", max_length=20,
                                           required=False,
                                           widget=_text("请输入手机号", inputmode="numeric"))
    contract_amount = forms.DecimalField(label="合同金额（万元）", max_digits=14, decimal_places=2,
                                         min_value=0, required=False,
                                         widget=_text("万元", inputmode="decimal", maxlength=15))
    actual_start = forms.DateField(label="实际开工日期", required=False, widget=_date())
    wage_bank = forms.CharField(label="开户银行", max_length=100, required=False,
                                widget=_text("工资专用账户开户银行"))
    wage_account_no = forms.CharField(label="账号", max_length=40, required=False,
                                      widget=_text("工资专用账户账号", inputmode="numeric"))
    wage_account_name = forms.CharField(label="户名", max_length=200, required=False,
                                        widget=_text("工资专用账户户名"))
    guarantee_amount = forms.DecimalField(label="工资保证金金额（万元）", max_digits=14,
                                          decimal_places=2, min_value=0, required=False,
                                          widget=_text("万元", inputmode="decimal", maxlength=15))
    guarantee_form = forms.ChoiceField(label="缴纳形式", required=False,
                                       choices=[("", "请选择缴纳形式"), *GuaranteeForm.choices])
    guarantee_date = forms.DateField(label="缴纳日期", required=False, widget=_date())
    pay_day = forms.CharField(label="约定发薪日", max_length=2, required=False,
                              help_text="次月几日发放上月工资（1至28日，遇节假日提前）；不填则按本市默认日期。",
                              widget=_text("如 15", inputmode="numeric"))
    notice_board_photo = forms.FileField(label="维权信息告示牌", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SUBMIT_REQUIRED:  # marked ◆ on the page: needed for 「提交审核」
            self.fields[name].submit_required = True  # type: ignore[attr-defined]

    def clean_manager_phone(self):
        return optional_phone(self.cleaned_data["manager_phone"])

    def clean_labour_manager_phone(self):
        return optional_phone(self.cleaned_data["labour_manager_phone"])

    def clean_pay_day(self):
        return optional_pay_day(self.cleaned_data["pay_day"])

    def clean_wage_account_no(self):
        return validate_account_number(self.cleaned_data["wage_account_no"])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.clean_uploads()
        return data

    def information(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in self.file_fields}


class ParticipantForm(forms.Form):
    """A 专业承包 or 劳务分包 unit, added by the general contractor."""

    role = forms.ChoiceField(label="参建类型", choices=[
        (ParticipantRole.SPECIALTY_CONTRACTOR, ParticipantRole.SPECIALTY_CONTRACTOR.label),
        (ParticipantRole.LABOUR_SUBCONTRACTOR, ParticipantRole.LABOUR_SUBCONTRACTOR.label)])
    unit_name = forms.CharField(label="单位名称", max_length=200,
                                widget=_text("输入名称或信用代码查找已认证单位",
                                             **_lookup("id_participant-credit_code")))
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30,
                                  widget=_text("请输入统一社会信用代码/组织机构代码"))
    subcontract_content = forms.CharField(label="分包内容", max_length=200, required=False,
                                          widget=_text("如：钢筋工程、主体结构劳务"))

    def __init__(self, *args, **kwargs):
        kwargs["prefix"] = "participant"
        super().__init__(*args, **kwargs)

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data["credit_code"])

    def clean_unit_name(self):
        return " ".join(self.cleaned_data["unit_name"].split())


class ProjectFilterForm(forms.Form):
    """「项目管理」 filters: search, information status, district of the jurisdiction."""

    q = forms.CharField(label="搜索", max_length=100, required=False,
                            widget=_text("项目名称、编号、参建单位名称或信用代码"))
    status = forms.ChoiceField(label="项目信息状态", required=False,
                               choices=[("", "全部状态"), *InfoStatus.choices])
    district = forms.ChoiceField(label="区县", required=False)

    def __init__(self, data, *, user):
        super().__init__(data or None)
        district = self.fields["district"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = district_choices(getattr(user, "region_code", ""))

    @property
    def values(self):
        data = {}
        if self.is_bound:
            self.is_valid()  # computes cleaned_data of the valid fields
            data = self.cleaned_data
        return {"query": (data.get("q") or "").strip(), "status": data.get("status") or "",
                "district": data.get("district") or ""}
