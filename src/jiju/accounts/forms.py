"""Forms of the account pages: they offer only the roles, regions and zones a manager may grant."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from jiju.accounts.actions import Grant, grantable_roles
from jiju.accounts.models import Profile
from jiju.platform import permissions
from jiju.platform.permissions import restrict_regions
from jiju.registry.models import Region, Zone


class AccountForm(forms.Form):
    """A managed account's name, role and scope; with `creating`, also its username and first password."""

    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，保存时去除空格并转为小写"))
    name = forms.CharField(label=_("姓名或单位"), max_length=150, help_text=_("页头与文件落款显示此名称"))
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    role = forms.ChoiceField(label=_("角色"))
    organisation = forms.CharField(label=_("单位"), max_length=100, required=False)
    department = forms.ChoiceField(label=_("报送部门"), required=False)
    # Django's own message would show the record's id; the offered choices are exactly the manager's scope.
    regions = forms.ModelMultipleChoiceField(
        label=_("管辖区划"),
        queryset=Region.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("所选区划超出您的管辖范围，请从列表中选择")},
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("管辖开发区"),
        queryset=Zone.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("所选开发区超出您的管辖范围，请从列表中选择")},
    )
    password1 = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, manager, creating: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        roles = grantable_roles(manager)
        labels = dict(Profile.ROLES)
        self.fields["role"].choices = [(code, labels[code]) for code in roles]
        self.fields["department"].choices = [("", "—"), *Profile._meta.get_field("department").choices]
        self.fields["zones"].queryset = Zone.objects.visible_to(manager).select_related("region").order_by("code")
        if roles == [permissions.ZONE_OFFICER]:
            for name in ("regions", "department"):  # a city office grants zones only
                del self.fields[name]
        else:
            regions = restrict_regions(Region.objects.filter(level__in=[Region.PROVINCE, Region.CITY]), manager)
            self.fields["regions"].queryset = regions.order_by("code")
        if not creating:
            for name in ("username", "password1", "password2"):
                del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data

    def grant(self) -> Grant:
        data = self.cleaned_data
        return Grant(
            role=data["role"],
            regions=tuple(data.get("regions") or ()),
            zones=tuple(data.get("zones") or ()),
            department=data.get("department") or "",
            organisation=data.get("organisation") or "",
        )
