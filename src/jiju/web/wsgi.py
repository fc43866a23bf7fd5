import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiju.web.settings")
application = get_wsgi_application()

from jiju.web.checks import refuse_unsafe_configuration  # noqa: E402  (needs the settings loaded above)

refuse_unsafe_configuration()
