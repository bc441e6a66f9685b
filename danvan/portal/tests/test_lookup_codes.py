"""Lookup codes: 12 characters from a 31-letter alphabet, never shared by two cases."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction

from danvan.cases import services
from danvan.cases.models import Case, Channel

CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def test_the_alphabet_has_31_unambiguous_characters() -> None:
    alphabet = services._CODE_ALPHABET
    assert len(set(alphabet)) == len(alphabet) == 31
    assert not set("01ILO") & set(alphabet)
    assert services._CODE_LENGTH == 12


def test_codes_have_the_shape_and_normalize_from_what_people_type() -> None:
    codes = {services.new_lookup_code() for _ in range(2000)}
    assert len(codes) == 2000  # 31^12 ≈ 7.9 × 10^17: a collision here means a broken generator
    for code in codes:
        assert CODE.match(code), code
    code = next(iter(codes))
    assert services.normalize_lookup_code(code.lower().replace("-", " ")) == code
    assert services.normalize_lookup_code(f"  {code.replace('-', '')}\n") == code


@pytest.mark.django_db
def test_two_cases_never_share_a_code(receive: Callable[..., Case]) -> None:
    cases = [receive(actor=None, channel=Channel.PORTAL) for _ in range(20)]
    codes = [c.lookup_code for c in cases]
    assert len(set(codes)) == len(codes)
    assert all(CODE.match(c) for c in codes)
    # And the database refuses a duplicate, whatever the generator does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=cases[1].pk).update(lookup_code=cases[0].lookup_code)
