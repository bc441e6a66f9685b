"""Error codes of the units app, each with its Vietnamese message."""

from enum import StrEnum

from danvan.core.errors import DomainError


class UnitError(StrEnum):
    DUPLICATE_CODE = "unit_duplicate_code"
    BAD_CODE = "unit_bad_code"
    UNKNOWN_UNIT = "unit_unknown"
    BAD_PARENT_KIND = "unit_bad_parent_kind"
    CYCLE = "unit_cycle"
    HISTORICAL_PARENT = "unit_historical_parent"
    HOUSEHOLDS_NOT_VILLAGE = "unit_households_not_village"
    BAD_DATES = "unit_bad_dates"
    SUCCESSION_SHAPE = "succession_shape"
    SUCCESSION_KIND_MISMATCH = "succession_kind_mismatch"
    SUCCESSION_INTO_DESCENDANT = "succession_into_descendant"
    SUCCESSION_BEFORE_EXISTENCE = "succession_before_existence"
    SUCCESSION_AFTER_END = "succession_after_end"
    SUCCESSION_NO_RESOLUTION = "succession_no_resolution"
    CORRECTION_NOT_ENDED = "succession_correction_not_ended"
    CORRECTION_NO_REASON = "succession_correction_no_reason"
    STEERING_NOT_LEVEL = "steering_not_level"
    STEERING_DUPLICATE = "steering_duplicate"
    OFFICIAL_OUT_OF_SCOPE = "official_out_of_scope"


def unit_error(code: UnitError, message: str, *, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)
