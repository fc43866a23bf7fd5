from __future__ import annotations

import secrets

from django.conf import settings
from django.middleware.locale import LocaleMiddleware


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user picked another language with the switcher.

    Officials' machines often run English browsers; the page language should
    not follow the browser's Accept-Language, only the user's own choice (cookie).
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY with a fresh nonce per response.

    Scripts run only from our own static files or from inline blocks that carry the
    request's nonce (`<script nonce="{{ request.csp_nonce }}">`), so injected markup
    cannot run script even where an escape was missed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace("{nonce}", request.csp_nonce)
        return response
