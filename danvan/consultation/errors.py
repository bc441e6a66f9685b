"""Error codes of the consultation app (machine-readable; messages are Vietnamese)."""

from enum import StrEnum


class ConsultationError(StrEnum):
    EMPTY = "consultation_empty"
    BAD_UNIT = "consultation_bad_unit"
    BAD_SUBJECT = "consultation_bad_subject"
    BAD_FILE = "consultation_bad_file"
    BAD_PERIOD = "consultation_bad_period"
    BAD_STATE = "consultation_bad_state"
    NOT_OPEN = "consultation_not_open"
    BAD_MODERATION = "consultation_bad_moderation"
    BAD_GROUP = "consultation_bad_group"
    UNANSWERED = "consultation_unanswered"
    PENDING = "consultation_pending"
