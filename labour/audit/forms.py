from django import forms

from .models import Action


class LogFilterForm(forms.Form):
    """「操作日志」 filters."""

    object_ref = forms.CharField(label="对象编号", max_length=64, required=False,
                                 widget=forms.TextInput(attrs={"placeholder": "对象编号"}))
    actor = forms.CharField(label="操作人账号", max_length=150, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "登录名称"}))
    action = forms.ChoiceField(label="操作", required=False,
                               choices=[("", "全部操作"), *Action.choices])
    since = forms.DateField(label="开始日期", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label="结束日期", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "结束日期不能早于开始日期")
        return data
