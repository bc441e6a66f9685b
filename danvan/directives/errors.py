"""Error codes of the document register (machine-readable; messages are Vietnamese)."""

from enum import StrEnum


class DirectiveError(StrEnum):
    BAD_NUMBER = "directive_bad_number"
    DUPLICATE = "directive_duplicate"
    BAD_DATE = "directive_bad_date"
    EMPTY = "directive_empty"
    TOO_LONG = "directive_too_long"
    BAD_TERM = "directive_bad_term"
    BAD_FILE = "directive_bad_file"
    BAD_LINK = "directive_bad_link"
    DUPLICATE_LINK = "directive_duplicate_link"
