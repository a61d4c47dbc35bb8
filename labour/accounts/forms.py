from django import forms

from labour.core.validators import validate_phone


def _input(placeholder, kind="text", **attrs):
    widget = forms.PasswordInput if kind == "password" else forms.TextInput
    return widget(attrs={"placeholder": placeholder, **attrs})


class LoginForm(forms.Form):
    username = forms.CharField(label="账号", max_length=150,
                               widget=_input("请输入账号", autocomplete="username"))
    password = forms.CharField(label="密码", max_length=128, strip=False,
                               widget=_input("请输入密码", "password",
                                             autocomplete="current-password"))


class ChangePasswordForm(forms.Form):
    """seed 2.7 「修改密码」."""

    old_password = forms.CharField(label="旧密码", strip=False,
                                   widget=_input("账号认证通过的短信随机密码", "password",
                                                 autocomplete="current-password"))
    new_password = forms.CharField(label="新密码", strip=False,
                                   widget=_input("新密码", "password",
                                                 autocomplete="new-password"))
    confirm_password = forms.CharField(label="确认新密码", strip=False,
                                       widget=_input("请确认新密码", "password",
                                                     autocomplete="new-password"))

    def cleaned_data_for_service(self):
        data = self.cleaned_data
        return {"old_password": data["old_password"], "new_password": data["new_password"],
                "confirm": data["confirm_password"]}


class ForgotPasswordForm(forms.Form):
    username = forms.CharField(label="账号", max_length=150,
                               widget=_input("请输入账号（企业账号为统一社会信用代码）"))
    admin_phone = forms.CharField(label="账号管理员手机号", max_length=20,
                                  widget=_input("请输入手机号", inputmode="numeric"))
    code = forms.CharField(label="验证码", max_length=6,
                           widget=_input("请输入验证码", inputmode="numeric"))
    new_password = forms.CharField(label="新密码", strip=False,
                                   widget=_input("新密码", "password", autocomplete="new-password"))
    confirm_password = forms.CharField(label="确认新密码", strip=False,
                                       widget=_input("请确认新密码", "password",
                                                     autocomplete="new-password"))

    def clean_admin_phone(self):
        return validate_phone(self.cleaned_data["admin_phone"])
