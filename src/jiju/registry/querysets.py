"""Moved to jiju.platform.permissions; kept while the apps' imports move over."""

from jiju.platform.permissions import *  # noqa: F403
from jiju.platform.permissions import RestrictedQuerySet, Scope, restrict_regions  # noqa: F401
