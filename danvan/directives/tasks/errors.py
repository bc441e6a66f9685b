"""The error codes of tasks: stable for machines, with a Vietnamese message each time."""

from __future__ import annotations

from enum import StrEnum


class TaskError(StrEnum):
    EMPTY = "task_empty"
    BAD_DATE = "task_bad_date"
    BAD_DUE = "task_bad_due"
    BAD_UNIT = "task_bad_unit"
    BAD_STATE = "task_bad_state"
    BAD_PERCENT = "task_bad_percent"
    BAD_FILE = "task_bad_file"
    BAD_NUMBER = "task_bad_number"
    NO_DELIVERABLE = "task_no_deliverable"
    BAD_SOURCE = "task_bad_source"
    OPEN_SUBTASKS = "task_open_subtasks"
