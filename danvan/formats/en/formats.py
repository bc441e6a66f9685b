"""The English interface writes dates and numbers the Vietnamese way too: the records
are Vietnamese legal dates, and 07/12/2026 must mean 7 December on every screen."""

from danvan.formats.vi.formats import *  # noqa: F403
