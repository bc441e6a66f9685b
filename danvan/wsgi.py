import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: a production setting left out (danvan/core/checks.py)
# stops the server here, saying what to set, instead of a fallback that starts.
from danvan.core.checks import refuse_to_start_if_misconfigured  # noqa: E402

refuse_to_start_if_misconfigured()
