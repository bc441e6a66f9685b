"""Fixtures of the portal's news tests: the news app's (writers, editors, media folder)."""

from danvan.news.tests.conftest import _media_root, editor  # noqa: F401 — fixtures
