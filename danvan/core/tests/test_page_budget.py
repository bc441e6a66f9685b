"""Every province page stays under its HTML budget on the demo province (issue 10: "at
most about 100 KB of HTML … for any province page").

Bytes are deterministic, so a test may hold the bound; times are not, and are printed
by bench/province_pages.py instead. The demo (seed_demo: Thái Nguyên's 92 communes, a
year of records, the movement's history) is the medium data set: before the pages were
bounded, the disclosure compliance page was 512 KB and the board 122 KB on it.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.core.page_budget import PAGE_BUDGET_BYTES, PageType, province_pages
from danvan.units.demo import PROVINCE_CODE
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def test_every_province_page_stays_under_its_budget() -> None:
    call_command("seed_demo", force=True, verbosity=0)
    province = Unit.objects.get(code=PROVINCE_CODE)
    client = Client()
    login_verified(client, User.objects.get(username="tinh.quantri"))
    pages = province_pages(province)
    # The other views of the bounded pages: every unit, the list of findings, page 2.
    pages += [
        PageType("board.all", pages_url(pages, "democracy.board") + "&problems=0"),
        PageType("board.page2", pages_url(pages, "democracy.board") + "&page=2"),
        PageType("compliance.all", pages_url(pages, "disclosure.compliance") + "&problems=0"),
        PageType(
            "compliance.findings", pages_url(pages, "disclosure.compliance") + "&view=findings"
        ),
        PageType("movement.stats.page2", pages_url(pages, "movement.stats") + "&units_page=2"),
    ]
    assert {"democracy.vote", "democracy.matter", "conferences.detail"} <= {p.name for p in pages}
    sizes = {}
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page
        sizes[page.name] = len(response.content)
    over = {name: size for name, size in sizes.items() if size > PAGE_BUDGET_BYTES}
    assert over == {}, f"pages over {PAGE_BUDGET_BYTES} bytes: {over}"


def pages_url(pages: list[PageType], name: str) -> str:
    return next(p.url for p in pages if p.name == name)
