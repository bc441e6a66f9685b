"""Screens officers have (issue 10): in a real browser, every page type of every app, for a
commune officer, a province leader and the system administrator, at 1024×768, 1366×768
and 360×740: no page scrolls sideways, the top bar stays on one line from 1024 px, and a
phone still shows the cases list's status and deadline.

One browser, one context per person; each page is loaded once and measured at the three
sizes by resizing the viewport (the layout is recomputed, the page is not fetched again).
The pages are every entry of the person's own menus plus the detail, form, statistics and
portal pages of the demo data, so a new menu entry is checked without touching this file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from danvan.cases.models import Case, Dialogue, ReceptionSession
from danvan.consultation.models import Consultation
from danvan.democracy.models import Matter, Vote
from danvan.disclosure.models import Disclosure
from danvan.movement.models import Entry
from danvan.supervision.models import Board, Plan
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit

from .conftest import SCREENSHOTS
from .test_movement_flow import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDE = ((1024, 768), (1366, 768))
PHONE = (360, 740)
# One line of the top bar: Bootstrap's navbar is 56 px with one row of links; a second
# row makes it ~100 px.
NAVBAR_MAX = 64
PROVINCE = "19"

# Tables that scroll inside their own box (.table-responsive) hide columns off screen as
# surely as a page that scrolls: only wide matrices
# (table.dv-matrix, e.g. the compliance board) may do it.
MEASURE = """() => {
  const nav = document.querySelector('nav.navbar');
  const boxes = [...document.querySelectorAll('.table-responsive')]
    .filter(box => !box.querySelector('table.dv-matrix') && box.scrollWidth > box.clientWidth + 1)
    .map(box => (box.querySelector('table') || box).id || box.className);
  return {
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    nav: nav ? Math.round(nav.getBoundingClientRect().height) : 0,
    boxes: boxes,
  };
}"""


def _in(unit: Unit, model: Any, prefix: str = "unit__") -> Any:
    return model.objects.filter(**{f"{prefix}path__startswith": unit.path}).order_by("pk").first()


def detail_pages(commune: Unit) -> list[str]:
    """One page of each kind of record, all in *commune* so every person here sees them."""
    case = _in(commune, Case)
    session = _in(commune, ReceptionSession)
    dialogue = _in(commune, Dialogue)
    matter = _in(commune, Matter)
    vote = _in(commune, Vote, "matter__unit__")
    disclosure = _in(commune, Disclosure)
    consultation = _in(commune, Consultation)
    board = _in(commune, Board)
    plan = _in(commune, Plan, "board__unit__")
    entry = _in(commune, Entry)
    found = {
        "case": case,
        "session": session,
        "dialogue": dialogue,
        "matter": matter,
        "vote": vote,
        "disclosure": disclosure,
        "consultation": consultation,
        "board": board,
        "plan": plan,
        "entry": entry,
    }
    missing = [name for name, row in found.items() if row is None]
    assert not missing, f"the demo data has no {missing} in {commune}"
    return [
        commune.get_absolute_url(),
        case.get_absolute_url(),
        reverse("reception:session", args=[session.pk]),
        reverse("dialogues:detail", args=[dialogue.public_id]),
        matter.get_absolute_url(),
        vote.get_absolute_url(),
        disclosure.get_absolute_url(),
        reverse("consultation:detail", args=[consultation.public_id]),
        reverse("supervision:board_detail", args=[board.public_id]),
        reverse("supervision:plan_detail", args=[plan.public_id]),
        entry.get_absolute_url(),
        # Statistics and boards with their filters as a leader uses them.
        f"{reverse('cases:stats')}?unit={commune.code}",
        f"{reverse('movement:stats')}?unit={commune.code}",
        f"{reverse('democracy:board')}?unit={commune.code}",
        f"{reverse('disclosure:compliance')}?unit={commune.code}",
    ]


def form_pages(commune: Unit) -> list[str]:
    """The forms of the people who record things (not the read-only leader)."""
    unit = f"?unit={commune.code}"
    entry = _in(commune, Entry)
    return [
        reverse("cases:receive"),
        reverse("reception:schedule_create") + unit,
        reverse("reception:session_create") + unit,
        reverse("dialogues:create") + unit,
        reverse("disclosure:create") + unit,
        reverse("consultation:create") + unit,
        reverse("democracy:matter_create") + unit,
        reverse("supervision:board_create") + unit,
        reverse("supervision:conference_create") + unit,
        reverse("movement:create"),
        reverse("movement:edit", args=[entry.public_id]),
        reverse("units:official_create", args=[commune.code]),
        reverse("units:create_child", args=[commune.code]),
        reverse("accounts:password_change"),
        reverse("accounts:tokens"),
    ]


def portal_pages(commune: Unit) -> list[str]:
    pages = [
        reverse("portal:home"),
        reverse("portal:submit"),
        reverse("portal:lookup"),
        reverse("portal:schedules"),
        reverse("portal:dialogues"),
        reverse("portal:votes"),
        reverse("portal:disclosures"),
        reverse("portal:consultations"),
    ]
    consultation = _in(commune, Consultation)
    pages.append(reverse("portal:consultation", args=[consultation.public_id]))
    return pages


def unit_lists(code: str) -> list[str]:
    """The lists about one unit, for a national user who names the province."""
    names = (
        "cases:list",
        "cases:overdue",
        "reception:index",
        "reception:sessions",
        "dialogues:list",
        "dialogues:commitments",
        "democracy:matters",
        "disclosure:list",
        "consultation:list",
        "supervision:boards",
        "supervision:recommendations",
        "supervision:conferences",
    )
    return [f"{reverse(name)}?unit={code}" for name in names]


def menu_links(page: Any) -> list[str]:
    """Every page the person's top bar leads to (the logout form is not a link)."""
    hrefs = page.eval_on_selector_all(
        "nav.navbar a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return [h for h in hrefs if h.startswith("/") and not h.startswith("//")]


def unique(urls: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for url in urls:
        seen.setdefault(url, None)
    return list(seen)


def check_page(page: Any, url: str, problems: list[str], who: str) -> None:
    """Load *url* once and measure it at every size; what is wrong goes to *problems*."""
    page.set_viewport_size({"width": WIDE[0][0], "height": WIDE[0][1]})
    response = page.goto(url)
    status = response.status if response is not None else 0
    if status != 200:
        problems.append(f"{who} {url}: HTTP {status}")
        return
    for width, height in (*WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": height})
        seen = page.evaluate(MEASURE)
        if seen["scroll"] > seen["inner"]:
            problems.append(f"{who} {url} at {width}px: {seen['scroll']}px wide, scrolls sideways")
        for box in seen["boxes"]:
            problems.append(f"{who} {url} at {width}px: table {box!r} scrolls inside its box")
        if width >= 1024 and seen["nav"] > NAVBAR_MAX:
            problems.append(f"{who} {url} at {width}px: the top bar is {seen['nav']}px tall")


def shot(page: Any, name: str) -> None:
    """What the person sees (the viewport, not the whole page), into e2e/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def check_cases_on_a_phone(page: Any) -> None:
    """At 360 px the cases list keeps what a case is, its deadline and its status on the
    screen; the other columns fold into the row."""
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(reverse("cases:list"))
    table = page.locator("#cases-table")
    headers = [h.strip() for h in table.locator("thead th:visible").all_inner_texts()]
    for wanted in ("Số hồ sơ", "Hạn xử lý", "Trạng thái"):
        assert wanted in headers, headers
    assert "Đơn vị xử lý" not in headers, headers
    row = table.locator("tbody tr").first
    for cell in row.locator("td:visible").all():
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE[0], cell.inner_text()
    # The folded columns are still there, as a line under the reference.
    assert row.locator("td").first.locator("div:visible").count() == 1
    seen = page.evaluate(MEASURE)
    assert seen["scroll"] <= seen["inner"]
    assert not seen["boxes"]
    page.locator("#cases-table").scroll_into_view_if_needed()
    shot(page, "layout-cases-360")
    # The menu opens under the bar and fits the screen too.
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="Mở menu").click()
    page.locator("#nav-main.show").wait_for()
    page.locator("#nav-main .dropdown-toggle", has_text="Tiếp dân").click()
    assert page.evaluate(MEASURE)["scroll"] <= PHONE[0]
    shot(page, "layout-menu-360")


def test_no_page_scrolls_sideways(new_page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    commune = Unit.objects.get(code=COMMUNE_CODES[0])
    details = detail_pages(commune)
    forms = form_pages(commune)
    portal = portal_pages(commune)
    people = {
        # The commune officer records things; the leader reads the province; the
        # administrator sees every menu, national pages and the province's lists.
        "xa.canbo": [*details, *forms],
        "tinh.lanhdao": details,
        "admin": [*details, *forms, *unit_lists(PROVINCE)],
    }
    problems: list[str] = []
    visited = 0
    for username, extra in people.items():
        page = new_page()
        login(page, username)
        page.set_viewport_size({"width": WIDE[1][0], "height": WIDE[1][1]})
        page.goto("/")
        urls = unique([*menu_links(page), *extra])
        assert len(urls) > 20, urls
        for url in urls:
            check_page(page, url, problems, username)
            visited += 1
        if username == "xa.canbo":
            page.set_viewport_size({"width": WIDE[1][0], "height": WIDE[1][1]})
            page.goto(reverse("cases:list"))
            shot(page, "layout-cases-1366")
            check_cases_on_a_phone(page)
        if username == "admin":
            # The administrator has the most menus: the bar with one of them open at 1024 px.
            page.set_viewport_size({"width": WIDE[0][0], "height": WIDE[0][1]})
            page.goto("/")
            page.locator("nav.navbar .dropdown-toggle", has_text="Dân chủ cơ sở").click()
            shot(page, "layout-admin-1024-menu")
    # The citizens' portal, without signing in.
    citizen = new_page()
    for url in portal:
        check_page(citizen, url, problems, "citizen")
        visited += 1
    assert not problems, f"{len(problems)} problems in {visited} pages:\n" + "\n".join(problems)
