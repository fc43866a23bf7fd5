"""The site's own views: static files when the application serves them itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import views as staticfiles_views
from django.http import Http404, HttpRequest, HttpResponse


def static_file(request: HttpRequest, path: str) -> HttpResponse:
    """Static files for the demo and small installs (JIJU_SERVE_STATIC=1). Served through the URL
    resolver, a path that climbs out of the static folders is a 400, not runserver's handler's 500."""
    if not settings.SERVE_STATIC:
        raise Http404
    return staticfiles_views.serve(request, path, insecure=True)
