"""The demo documents: recorded once, linked, a second run changes nothing."""

from __future__ import annotations

import pytest

from danvan.directives.demo import seed_documents
from danvan.directives.models import Document, DocumentLink, LinkKind
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(thai_nguyen: Unit) -> None:
    first = seed_documents(thai_nguyen)
    counts = (Document.objects.count(), DocumentLink.objects.count())
    second = seed_documents(thai_nguyen)
    assert (Document.objects.count(), DocumentLink.objects.count()) == counts == (8, 5)
    assert {k: v.pk for k, v in first.items()} == {k: v.pk for k, v in second.items()}
    old = first["60/2013/NĐ-CP"]
    replacing = old.links_in.filter(kind=LinkKind.REPLACES).select_related("source")
    assert [link.source.number for link in replacing] == ["145/2020/NĐ-CP"]
