"""Error codes of the cases app (machine-readable; messages are Vietnamese)."""

from enum import StrEnum


class CaseError(StrEnum):
    BAD_KIND = "case_bad_kind"
    BAD_CHANNEL = "case_bad_channel"
    BAD_TRANSITION = "case_bad_transition"
    STALE = "case_stale"
    NO_FIRST_COMPLAINT = "case_no_first_complaint"
    BAD_PREVIOUS = "case_bad_previous"
    NO_DECISION = "case_no_decision"
    BAD_DECISION = "case_bad_decision"
    BAD_TRANSFER = "case_bad_transfer"
    NO_REASON = "case_no_reason"
    BAD_FILE = "case_bad_file"
    BAD_DATE = "case_bad_date"
    EMPTY = "case_empty"
    BAD_ASSIGNEE = "case_bad_assignee"
    NO_IDENTITY = "case_no_identity"
    BAD_SESSION = "reception_bad_session"
    BAD_SCHEDULE = "reception_bad_schedule"
    BAD_DIALOGUE = "dialogue_bad"
    BAD_PHOTO = "case_bad_photo"
    BAD_PLACE = "case_bad_place"
    NOT_ANSWERED = "case_not_answered"
    BAD_VERDICT = "case_bad_verdict"
