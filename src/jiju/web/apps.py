from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site package: registers the checks that keep an unsafe configuration from serving."""

    name = "jiju.web"

    def ready(self) -> None:
        from jiju.web import checks  # noqa: F401  (registers the system checks)
