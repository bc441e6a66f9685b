"""The portal's fixtures (officers, receive, a clean rate-limit cache, Open311 over HTTP)."""

from danvan.portal.tests.conftest import (  # noqa: F401
    _fresh_rate_limits,
    handler,
    leader,
    officer,
    open311_root,
    receive,
)
