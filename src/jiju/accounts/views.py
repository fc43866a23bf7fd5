"""Login, one's own account and the account administration (账号管理). Thin: changes go through actions."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiju.accounts import actions, throttle
from jiju.accounts.forms import AccountForm
from jiju.accounts.models import Profile, normalise_username
from jiju.changelog.history import history_rows
from jiju.platform import files
from jiju.platform.actions import NotInScope
from jiju.platform.listing import listing
from jiju.platform.permissions import ACCOUNTS, Scope
from jiju.platform.tables import Col


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses a username from an address after too many failed attempts; usernames are normalised."""

    def clean_username(self) -> str:
        return normalise_username(self.cleaned_data.get("username", ""))

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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own form (old password, validators), saved through the action so the change is logged."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        actions.do_change_password(self.request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, "密码已修改")
        return redirect(self.success_url)


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
    token = actions.do_create_token(request.user, request.POST.get("description", ""))
    messages.success(request, f"已生成接口令牌：{token.key}（只显示这一次，请立即妥善保存）")
    return redirect("account")


@login_required
@require_POST
def delete_token(request, pk: int):
    try:
        actions.do_delete_token(request.user, pk)
    except NotInScope:
        raise Http404("接口令牌不存在") from None
    messages.success(request, "已删除接口令牌")
    return redirect("account")


def _scope_text(profile: Profile) -> str:
    return "、".join([r.name for r in profile.regions.all()] + [z.name for z in profile.zones.all()])


def _local(value) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


# The account list's columns, shared by the page and its exports; `sort` names what each orders by.
COLUMNS = [
    Col("username", "用户名", lambda p: p.user.username),
    Col("name", "姓名或单位", lambda p: p.user.first_name),
    Col("role", "角色", lambda p: p.get_role_display()),
    Col("scope", "管辖范围", _scope_text),
    Col("department", "报送部门", lambda p: p.get_department_display()),
    Col("active", "状态", lambda p: "启用" if p.user.is_active else "停用"),
    Col("last_login", "最近登录", lambda p: _local(p.user.last_login)),
    Col("joined", "创建时间", lambda p: _local(p.user.date_joined)),
]
SORTS = {
    "username": "user__username",
    "name": "user__first_name",
    "role": "role",
    "department": "department",
    "active": "user__is_active",
    "last_login": "user__last_login",
    "joined": "user__date_joined",
}


def _require_manager(request) -> None:
    if not Scope.of(request.user).allows(ACCOUNTS, Profile):
        raise PermissionDenied("您的角色无权管理账号")


def _managed(request, pk: int) -> Profile:
    _require_manager(request)
    try:
        return actions.managed_account(request.user, pk)
    except NotInScope:
        raise Http404("账号不存在或不在您的管辖范围内") from None


@login_required
def users(request):
    _require_manager(request)
    accounts = (
        Profile.objects.visible_to(request.user)
        .select_related("user")
        .prefetch_related("regions", "zones")
        .order_by("user__username")
    )
    text = (request.GET.get("q") or "").strip()
    if text:
        accounts = accounts.filter(Q(user__username__icontains=text) | Q(user__first_name__icontains=text))
    # Never-used accounts last either way, on PostgreSQL (NULLs first when descending) as on SQLite.
    accounts_listing = listing(request, accounts, COLUMNS, SORTS, default="username")
    export_format = request.GET.get("format")
    if export_format in ("xlsx", "csv"):
        filename = f"账号-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{export_format}"
        return files.export(COLUMNS, accounts_listing.items, "账号", filename)
    page = accounts_listing.page
    return render(
        request,
        "accounts/users.html",
        {
            "columns": COLUMNS,
            "listing": accounts_listing,
            "rows": [(p, [c.show(p) for c in COLUMNS]) for p in page.object_list],
            "page": page,
            "query": accounts_listing.query,
            "params": request.GET,
        },
    )


def _save(form: AccountForm, action, *args) -> object | None:
    """Run an action with the form's data; its validation errors go back onto the form."""
    try:
        return action(*args)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    return None


@login_required
def user_create(request):
    _require_manager(request)
    form = AccountForm(request.POST or None, manager=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = _save(
            form,
            actions.do_create_account,
            request.user,
            data["username"],
            data["name"],
            data["password1"],
            form.grant(),
            data["email"],
        )
        if user is not None:
            messages.success(request, f"已新增账号“{user.username}”")
            return redirect("user_edit", user.pk)
    return render(request, "registry/form.html", {"kind": {"label": "账号"}, "form": form, "creating": True})


@login_required
def user_edit(request, pk: int):
    profile = _managed(request, pk)
    user = profile.user
    initial = {
        "name": user.first_name,
        "email": user.email,
        "role": profile.role,
        "organisation": profile.organisation,
        "department": profile.department,
        "regions": list(profile.regions.all()),
        "zones": list(profile.zones.all()),
    }
    form = AccountForm(request.POST or None, manager=request.user, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(form, actions.do_update_account, request.user, user, data["name"], form.grant(), data["email"]):
            messages.success(request, f"已保存账号“{user.username}”")
            return redirect("user_edit", user.pk)
    history = sorted(history_rows(user) + history_rows(profile), key=lambda row: row[0].time, reverse=True)
    return render(request, "accounts/user_edit.html", {"form": form, "account": user, "history": history})


@login_required
@require_POST
def user_active(request, pk: int):
    profile = _managed(request, pk)
    active = request.POST.get("active") == "1"
    actions.do_set_active(request.user, profile.user, active)
    messages.success(request, f"已{'启用' if active else '停用'}账号“{profile.user.username}”")
    return redirect("user_edit", pk)


@login_required
def user_password(request, pk: int):
    profile = _managed(request, pk)
    form = SetPasswordForm(profile.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_reset_password(request.user, profile.user, form.cleaned_data["new_password1"])
        messages.success(request, f"已重置账号“{profile.user.username}”的密码，请将新密码告知本人")
        return redirect(reverse("user_edit", args=[pk]))
    return render(
        request, "registry/form.html", {"kind": {"label": "账号密码"}, "form": form, "object": profile.user.username}
    )
