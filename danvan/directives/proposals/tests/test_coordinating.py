"""Collective coordinating units ("phối hợp với UBND các xã", "… với các xã, phường") are
recognised as collectives and stand for the subtree's communes (or their organisation)."""

from __future__ import annotations

import datetime as dt

from danvan.directives.proposals.evaluation import load_resolver
from danvan.directives.proposals.extract import propose


def test_coordinating_collectives_expand_to_the_communes() -> None:
    resolver = load_resolver()
    communes = [r for r in resolver.rows if r.kind == "commune" and r.parent_id == resolver.root_id]
    text = (
        "Giao Sở Nội vụ chủ trì, phối hợp với UBND các xã tổ chức đối thoại, báo cáo kết quả"
        " trước ngày 30/6/2027.\n"
        "Giao Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì, phối hợp với các xã, phường rà soát"
        " các mô hình, báo cáo kết quả trước ngày 31/7/2027."
    )
    committees, places = propose(text, today=dt.date(2027, 1, 15), resolver=resolver)
    (ref,) = committees.coordinating
    units = ref.units(resolver)
    assert len(units) == len(communes) > 1
    assert {resolver.commune_of(u.id) for u in units} == {c.id for c in communes}
    assert all(u.id not in {c.id for c in communes} for u in units)  # their committees
    (ref,) = places.coordinating
    assert [u.id for u in ref.units(resolver)] == [c.id for c in communes]
