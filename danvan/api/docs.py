"""The interactive docs page (Swagger UI) under our Content-Security-Policy.

Ninja ships Swagger UI's files (static/ninja/) and an init script, so nothing comes
from a CDN. Its template passes the settings in a ``<script type="application/json">``
block; ours passes them as the escaped text of a hidden element instead, so the page
holds no inline ``<script>`` at all, and ninja's own swagger-ui-init.js (which reads
the element's text) works unchanged.
"""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class CspSwagger(Swagger):
    template = "api/swagger.html"


docs = CspSwagger(
    settings={
        # Tokens typed into "Authorize" stay in the page only, never in localStorage.
        "persistAuthorization": False,
        "displayRequestDuration": True,
    }
)
