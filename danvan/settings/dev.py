"""Embedded/development mode: SQLite, filesystem broker, console e-mail."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
