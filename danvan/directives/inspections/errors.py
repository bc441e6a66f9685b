"""The error codes of inspections: stable for machines, with a Vietnamese message each time."""

from __future__ import annotations

from enum import StrEnum


class InspectionError(StrEnum):
    EMPTY = "inspection_empty"
    BAD_YEAR = "inspection_bad_year"
    BAD_KIND = "inspection_bad_kind"
    BAD_DATE = "inspection_bad_date"
    BAD_NUMBER = "inspection_bad_number"
    BAD_UNIT = "inspection_bad_unit"
    BAD_MEMBER = "inspection_bad_member"
    BAD_STATE = "inspection_bad_state"
    BAD_FILE = "inspection_bad_file"
    BAD_TASK = "inspection_bad_task"
    BAD_TARGET = "inspection_bad_target"
