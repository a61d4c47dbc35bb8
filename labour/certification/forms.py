from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from labour.attachments.forms import UploadsForm
from labour.core.validators import (
    region_from_credit_code,
    validate_credit_code,
    validate_phone,
    validate_region_code,
)
from labour.enterprises.choices import ENTERPRISE_DOCUMENTS, UnitType
from labour.enterprises.rules import check_certificate_dates, check_registered_on
from labour.enterprises.selectors import find_by_name_and_code

from .choices import PROJECT_ACCOUNT_ATTACHMENT_FIELDS
from .selectors import open_projects


def _text(placeholder, **kwargs):
    attrs = {"placeholder": placeholder, "autocomplete": "off"}
    attrs.update(kwargs.pop("attrs", {}))
    return forms.TextInput(attrs=attrs)


def _date():
    return forms.DateInput(attrs={"type": "date", "placeholder": "请选择日期"}, format="%Y-%m-%d")


class CertificationForm(UploadsForm):
    """What both certification forms ask of the account administrator (seed 2.3–2.5):
    name, mobile phone (proven by the SMS code) and the documents. Anyone may send
    it: its uploads are stored only once the phone and the code's format pass."""

    gate_fields: tuple[str, ...] = ("admin_phone", "code")

    admin_name = forms.CharField(label="账号管理员姓名", max_length=50, widget=_text("请输入姓名"))
    admin_phone = forms.CharField(label="账号管理员手机号", max_length=20,
                                  widget=_text("请输入手机号",
                                               attrs={"inputmode": "numeric", "maxlength": 11}))
    code = forms.CharField(label="验证码", max_length=6,
                           widget=_text("请输入验证码",
                                        attrs={"inputmode": "numeric", "maxlength": 6}))

    def clean_admin_phone(self):
        return validate_phone(self.cleaned_data["admin_phone"])

    def clean_admin_name(self):
        return self.cleaned_data["admin_name"].strip()

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError("请输入6位数字验证码")
        return code


class EnterpriseApplicationForm(CertificationForm):
    """企业账号认证. Labels are the seed's, verbatim."""

    name = forms.CharField(label="单位名称", max_length=200,
                           widget=_text("请输入完整单位名称"))
    unit_type = forms.ChoiceField(label="单位类型",
                                  choices=[("", "请选择单位类型"), *UnitType.choices])
    credit_code = forms.CharField(label="统一社会信用代码/组织机构代码", max_length=30,
                                  widget=_text("请输入统一社会信用代码/组织机构代码"))
    certificate = forms.FileField(label="证书上传", required=False)
    certificate_valid_until = forms.DateField(label="证书有效截止日期", required=False,
                                              widget=_date())
    long_term = forms.BooleanField(label="长期", required=False)
    registered_on = forms.DateField(label="注册日期", widget=_date())
    region_code = forms.CharField(label="注册地区编码", max_length=6, required=False,
                                  widget=_text("请输入注册地区编码",
                                               attrs={"inputmode": "numeric", "maxlength": 6}))
    authorisation_letter = forms.FileField(label="账号管理员授权书", required=False)
    id_card_front = forms.FileField(label="身份证正面", required=False)
    id_card_back = forms.FileField(label="身份证反面", required=False)

    file_fields = ENTERPRISE_DOCUMENTS
    gate_fields = ("admin_phone", "code", "credit_code")
    file_help = {
        "certificate": "营业执照/统一社会信用代码证书/事业单位法人证书/社会团体法人登记证书，"
                       "上传任意一种即可。",
        "authorisation_letter": "下载模板，填写并加盖单位公章后上传。",
        "id_card_front": "请上传清晰无遮挡横屏拍摄的身份证照片。",
        "id_card_back": "请上传清晰无遮挡横屏拍摄的身份证照片。",
    }

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data["credit_code"])

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_registered_on(self):
        return check_registered_on(self.cleaned_data["registered_on"], today=timezone.localdate())

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.clean_uploads()
        # 证书有效截止日期, or 长期
        if "certificate_valid_until" not in self.errors:
            try:
                data["certificate_valid_until"] = check_certificate_dates(
                    valid_until=data.get("certificate_valid_until"),
                    long_term=bool(data.get("long_term")),
                    registered_on=data.get("registered_on"), today=timezone.localdate())
            except ValidationError as exc:
                self.add_error("certificate_valid_until", exc)
        # 注册地区编码: filled from the USCC when left empty
        region = (data.get("region_code") or "").strip()
        if not region and data.get("credit_code"):
            region = region_from_credit_code(data["credit_code"])
        if "region_code" not in self.errors:
            if not region:
                self.add_error("region_code", "请输入注册地区编码")
            else:
                try:
                    data["region_code"] = validate_region_code(region)
                except ValidationError as exc:
                    self.add_error("region_code", exc)
        return data



class ProgressQueryForm(forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码/组织机构代码", max_length=30,
                                  widget=_text("请输入统一社会信用代码/组织机构代码"))
    admin_phone = forms.CharField(label="账号管理员手机号", max_length=20,
                                  widget=_text("请输入手机号", attrs={"inputmode": "numeric"}))
    code = forms.CharField(label="验证码", max_length=6,
                           widget=_text("请输入验证码", attrs={"inputmode": "numeric"}))

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data["credit_code"])

    def clean_admin_phone(self):
        return validate_phone(self.cleaned_data["admin_phone"])


UNIT_NOT_FOUND = "未找到该单位：请输入已完成企业账号认证的单位的完整名称及其统一社会信用代码"


class ProjectAccountApplicationForm(CertificationForm):
    """项目账号认证 (seed 二 2.3). Labels are the seed's, verbatim."""

    unit = forms.CharField(label="单位名称", max_length=200, widget=_text("请输入单位名称"))
    unit_code = forms.CharField(label="统一社会信用代码", max_length=30,
                                widget=_text("请输入统一社会信用代码/组织机构代码"))
    project = forms.ChoiceField(label="项目名称", choices=[("", "请选择项目")])
    authorisation_letter = forms.FileField(label="账号管理员授权书", required=False)
    id_card_front = forms.FileField(label="身份证正面", required=False)
    id_card_back = forms.FileField(label="身份证反面", required=False)

    file_fields = PROJECT_ACCOUNT_ATTACHMENT_FIELDS
    gate_fields = ("admin_phone", "code", "unit", "unit_code")
    file_help = {
        "authorisation_letter": "下载《账号管理员授权书》模板，并加盖项目公章。",
        "id_card_front": "请上传清晰无遮挡横屏拍摄的身份证照片。",
        "id_card_back": "请上传清晰无遮挡横屏拍摄的身份证照片。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        self.enterprise = find_by_name_and_code(source.get("unit") or "",
                                                source.get("unit_code") or "")
        self.open_projects = open_projects(self.enterprise) if self.enterprise else []
        project_field = self.fields["project"]
        assert isinstance(project_field, forms.ChoiceField)
        project_field.choices = [("", "请选择项目")] + [
            (project.code, project.name) for project, reason in self.open_projects if not reason]
        self.blocked = [(project, reason) for project, reason in self.open_projects if reason]

    def clean_unit(self):
        if self.enterprise is None:
            raise ValidationError(UNIT_NOT_FOUND)
        return self.enterprise

    def clean_unit_code(self):
        return validate_credit_code(self.cleaned_data["unit_code"])

    def clean_project(self):
        code = self.cleaned_data["project"]
        for project, reason in self.open_projects:
            if project.code == code:
                if reason:
                    raise ValidationError(reason)
                return project
        raise ValidationError("请选择项目")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.clean_uploads()
        return data


class PhoneProgressForm(forms.Form):
    """查询认证进度 of project accounts: the administrator's phone and its SMS code."""

    admin_phone = forms.CharField(label="账号管理员手机号", max_length=20,
                                  widget=_text("请输入手机号", attrs={"inputmode": "numeric"}))
    code = forms.CharField(label="验证码", max_length=6,
                           widget=_text("请输入验证码", attrs={"inputmode": "numeric"}))

    def clean_admin_phone(self):
        return validate_phone(self.cleaned_data["admin_phone"])
