"""Error codes of the disclosure app (machine-readable; messages are Vietnamese)."""

from enum import StrEnum


class DisclosureError(StrEnum):
    BAD_DATE = "disclosure_bad_date"
    BAD_KIND = "disclosure_bad_kind"
    BAD_UNIT = "disclosure_bad_unit"
    BAD_CHANNEL = "disclosure_bad_channel"
    BAD_FILE = "disclosure_bad_file"
    EMPTY = "disclosure_empty"
