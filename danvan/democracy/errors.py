"""Error codes of the democracy app (messages are Vietnamese)."""

from enum import StrEnum


class DemocracyError(StrEnum):
    BAD_UNIT = "democracy_bad_unit"
    NO_HOUSEHOLDS = "democracy_no_households"
    BAD_DATE = "democracy_bad_date"
    EMPTY = "democracy_empty"
    BAD_TALLY = "democracy_bad_tally"
    BAD_METHOD = "democracy_bad_method"
    CLOSED = "democracy_vote_closed"
    BAD_CODE = "democracy_bad_code"
    USED_CODE = "democracy_used_code"
    ALREADY_VOTED = "democracy_already_voted"
    NOT_CLOSED = "democracy_not_closed"
