"""Error codes of the news app (machine-readable; messages are Vietnamese)."""

from enum import StrEnum


class NewsError(StrEnum):
    EMPTY = "news_empty"
    TOO_LONG = "news_too_long"
    BAD_UNIT = "news_bad_unit"
    BAD_TARGET = "news_bad_target"
    BAD_STATE = "news_bad_state"
    BAD_DATES = "news_bad_dates"
    BAD_PHOTO = "news_bad_photo"
    NOT_PUBLIC = "news_not_public"
    BAD_MODERATION = "news_bad_moderation"
