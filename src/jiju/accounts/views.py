from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiju.accounts import throttle
from jiju.accounts.models import ApiToken


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses a username from an address after too many failed attempts."""

    def clean(self):
        username = self.data.get("username", "")
        address = throttle.client_address(self.request)
        if throttle.is_locked(username, address):
            minutes = settings.LOGIN_FAILURE_WINDOW // 60
            raise forms.ValidationError(f"登录失败次数过多，请{minutes}分钟后再试", code="throttled")
        try:
            data = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return data


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"


@login_required
def account(request):
    return render(
        request,
        "accounts/account.html",
        {
            "profile": getattr(request.user, "profile", None),
            "tokens": request.user.api_tokens.order_by("-created"),
        },
    )


@login_required
@require_POST
def create_token(request):
    token = ApiToken.objects.create(user=request.user, description=request.POST.get("description", "")[:100])
    messages.success(request, f"已生成接口令牌：{token.key}（请妥善保存）")
    return redirect("account")


@login_required
@require_POST
def delete_token(request, pk: int):
    request.user.api_tokens.filter(pk=pk).delete()
    messages.success(request, "已删除接口令牌")
    return redirect("account")
