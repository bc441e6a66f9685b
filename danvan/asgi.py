import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.production")

application = get_asgi_application()

# As in wsgi.py: a production setting left out stops the server here.
from danvan.core.checks import refuse_to_start_if_misconfigured  # noqa: E402

refuse_to_start_if_misconfigured()
