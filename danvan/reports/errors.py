"""Error codes of the reports app (machine-readable; messages are Vietnamese)."""

from enum import StrEnum


class ReportsError(StrEnum):
    INVALID = "reports_invalid"  # a regime, template, indicator or rule refused by clean()
    UNKNOWN_QUERY = "reports_unknown_query"
    MANUAL_WITH_QUERY = "reports_manual_with_query"
    BAD_CUTOFF = "reports_bad_cutoff"
    FOREIGN_INDICATOR = "reports_foreign_indicator"
    SAME_INDICATOR = "reports_same_indicator"
    FOREIGN_SECTION = "reports_foreign_section"
    IN_USE = "reports_in_use"
    BAD_ROWS = "reports_bad_rows"  # a manual table's rows, or rows where none belong
