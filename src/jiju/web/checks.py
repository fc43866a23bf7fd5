"""System checks that stop `jiju runserver`, `jiju check` and the WSGI application from serving unsafely."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _


@register()
def secret_key_check(app_configs=None, **kwargs) -> list[Error]:
    """Outside DEBUG, a known or missing secret key would let anyone forge sessions and password-reset links."""
    if settings.DEBUG or (settings.SECRET_KEY and not settings.SECRET_KEY.startswith("django-insecure-")):
        return []
    return [
        Error(
            _("未设置密钥：正式运行前请设置环境变量 JIJU_SECRET_KEY（50 位以上的随机字符串）或写入密钥文件 %(path)s。")
            % {"path": settings.SECRET_KEY_FILE},
            hint=_(
                "生成密钥：python3 -c 'import secrets; print(secrets.token_urlsafe(50))'。本机试用请运行 make demo。"
            ),
            id="jiju.E001",
        )
    ]


def refuse_unsafe_configuration() -> None:
    """For servers that run no system checks (gunicorn, uwsgi): stop with the check's message, not a traceback."""
    if errors := secret_key_check():
        raise SystemExit("\n".join(f"{e.msg}\n{e.hint}" for e in errors))
