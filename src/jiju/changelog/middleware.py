from __future__ import annotations

from jiju.changelog.context import API, WEB, changes_by


class ChangeContextMiddleware:
    """Attribute changes made while serving a page to its user (API auth refines it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = API if request.path.startswith("/api/") else WEB
        with changes_by(getattr(request, "user", None), source):
            return self.get_response(request)
