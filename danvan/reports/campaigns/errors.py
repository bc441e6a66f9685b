"""The error codes of report campaigns: stable for machines, a Vietnamese message each time."""

from __future__ import annotations

from enum import StrEnum


class CampaignError(StrEnum):
    BAD_TEMPLATE = "campaign_bad_template"
    BAD_YEAR = "campaign_bad_year"
    BAD_UNITS = "campaign_bad_units"
    DUPLICATE = "campaign_duplicate"
    EMPTY = "campaign_empty"
    CLOSED = "campaign_closed"
    BAD_STATE = "campaign_report_bad_state"
    BAD_VALUE = "campaign_bad_value"
    NO_REASON = "campaign_no_reason"
    MISSING_VALUE = "campaign_missing_value"
    RULE_BROKEN = "campaign_rule_broken"
    BAD_NUMBER = "campaign_bad_number"
