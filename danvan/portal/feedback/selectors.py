"""What the feedback pages read besides a case's progress: the cases this device sent,
and a photo the public may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from danvan.cases import selectors as case_selectors
from danvan.cases.models import Case, CaseDocument, CitizenVerdict


@dataclass(frozen=True)
class DeviceCase:
    """One case sent from this device: the code (only ever posted back) and the case."""

    code: str
    case: Case


def device_cases(codes: Sequence[str]) -> list[DeviceCase]:
    """The cases the device's codes name (following transfers), in the codes' order.

    At most device.MAX_CODES codes, so a bounded number of small queries.
    """
    found = []
    for code in codes:
        case = case_selectors.case_by_lookup_code(code)
        if case is not None:
            found.append(DeviceCase(code=code, case=case))
    return found


def verdict_of(case: Case) -> CitizenVerdict | None:
    return case_selectors.verdict_of(case)


def public_photo(pk: int) -> CaseDocument | None:
    return case_selectors.public_photo(pk)


def lookup_code_of(pk: int) -> str | None:
    """The own code of the case *pk* (its progress reads the same from it, transfers
    included): for a verdict form, which names its case by a signed id."""
    return Case.objects.filter(pk=pk).values_list("lookup_code", flat=True).first()
