"""The error codes of supervision: stable for machines, with a Vietnamese message each time."""

from __future__ import annotations

from enum import StrEnum


class SupervisionError(StrEnum):
    EMPTY = "supervision_empty"
    BAD_UNIT = "supervision_bad_unit"
    BAD_DATE = "supervision_bad_date"
    BAD_STATE = "supervision_bad_state"
    BAD_MEMBER = "supervision_bad_member"
    TOO_MANY_REPRESENTATIVES = "supervision_too_many_representatives"
    TOO_MANY_DEPUTIES = "supervision_too_many_deputies"
    TOO_FEW_PARTICIPANTS = "supervision_too_few_participants"
    NO_RULE = "supervision_no_rule"
