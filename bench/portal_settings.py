"""The production settings, unchanged but for the URLconf: the bench's (bench/portal_urls.py),
which adds the bare reference view and the cold-cache door to the site's own URLs.

Used only by bench/portal_load.py (gunicorn runs with bench/ on its PYTHONPATH).
"""

from danvan.settings.production import *  # noqa: F403

ROOT_URLCONF = "portal_urls"
