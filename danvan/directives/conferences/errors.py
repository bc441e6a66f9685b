"""The error codes of conferences: stable for machines, with a Vietnamese message each time."""

from __future__ import annotations

from enum import StrEnum


class ConferenceError(StrEnum):
    EMPTY = "conference_empty"
    TOO_LONG = "conference_too_long"
    BAD_KIND = "conference_bad_kind"
    BAD_DATE = "conference_bad_date"
    BAD_PERIOD = "conference_bad_period"
    BAD_OFFICIAL = "conference_bad_official"
    DUPLICATE = "conference_duplicate"
    NOT_ONLINE = "conference_not_online"
    BAD_POINT = "conference_bad_point"
    BAD_COUNT = "conference_bad_count"
    BAD_UNIT = "conference_bad_unit"
    BAD_NUMBER = "conference_bad_number"
    BAD_SIGNING = "conference_bad_signing"
    NO_CONCLUSION = "conference_no_conclusion"
