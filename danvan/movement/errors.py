from enum import StrEnum


class MovementError(StrEnum):
    BAD_TRANSITION = "movement_bad_transition"
    NOT_ALLOWED = "movement_transition_not_allowed"
    DECISION_REQUIRED = "movement_decision_required"
    BAD_DECISION_NUMBER = "movement_bad_decision_number"
    REASON_REQUIRED = "movement_reason_required"
    BAD_YEAR = "movement_bad_year"
    BAD_UNIT = "movement_bad_unit"
    BAD_FILE = "movement_bad_file"
    REPLICATION_SELF = "movement_replication_self"
    REPLICATION_SAME_UNIT = "movement_replication_same_unit"
    NOT_EDITABLE = "movement_not_editable"
    BAD_VALUE = "movement_bad_value"
