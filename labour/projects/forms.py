from django import forms
from django.core.exceptions import ValidationError

from labour.core.validators import validate_credit_code, validate_region_code

from .choices import FIRST_ROLES, ConstructionNature, ParticipantRole, ProjectCategory
from .services import ProjectData, UnitRef, in_jurisdiction


REGION_ERRORS = {
    "format": "所属区域应为6位区域编码",
    "unknown": "所属区域编码不存在，请核对后重新输入",
}


def _text(placeholder, **attrs):
    return forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off", **attrs})


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    """「新建项目」."""

    name = forms.CharField(label="项目名称", max_length=200, widget=_text("请输入项目名称"))
    region_code = forms.CharField(label="所属区域", max_length=6,
                                  widget=_text("请输入6位区域编码", inputmode="numeric"))
    address = forms.CharField(label="项目地址", max_length=300, widget=_text("请输入项目地址"))
    category = forms.ChoiceField(label="项目类别",
                                 choices=[("", "请选择项目类别"), *ProjectCategory.choices])
    nature = forms.ChoiceField(label="建设性质",
                               choices=[("", "请选择建设性质"), *ConstructionNature.choices])
    total_investment = forms.DecimalField(label="总投资（万元）", max_digits=14, decimal_places=2,
                                          min_value=0, widget=_text("万元", inputmode="decimal"))
    floor_area = forms.DecimalField(label="建筑面积（㎡）", max_digits=14, decimal_places=2,
                                    min_value=0, widget=_text("㎡", inputmode="decimal"))
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
                label=f"{unit}名称", max_length=200, widget=_text("请输入完整单位名称"))
            self.fields[f"{role}_code"] = forms.CharField(
                label=f"{label}统一社会信用代码", max_length=30,
                widget=_text("请输入统一社会信用代码/组织机构代码"))
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"id_{name}")

    def clean_region_code(self):
        try:
            code = validate_region_code(self.cleaned_data["region_code"])
        except ValidationError as exc:  # its messages speak of the enterprise's 注册地区
            raise ValidationError(REGION_ERRORS.get(exc.code, exc.messages[0]),
                                  code=exc.code) from None
        if not in_jurisdiction(self.actor, code):
            raise ValidationError("所属区域不在本部门管辖范围内")
        return code

    def clean(self):
        data = super().clean()
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
