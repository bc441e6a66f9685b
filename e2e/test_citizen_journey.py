"""Issue 14, "Done when", in a real browser with JavaScript disabled and again enabled: a
citizen finds their commune by typing its name without diacritics, reads an article and a
disclosure, comments on a consultation, sends feedback with a photo, follows it by its code
to the officer's answer and answers "partly resolved". No account, nothing downloaded from
another host (the page factory below refuses any request outside the live server).

The commune's news, disclosure and consultation are made through the areas' services (the
officers' pages have their own browser tests); so is the officer's answer, which
test_portal_feedback.py gives through the officer's pages.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from danvan.accounts.models import Role
from danvan.accounts.testing import make_user
from danvan.cases import services as case_services
from danvan.cases.models import Case, CitizenVerdict
from danvan.consultation import services as consultation_services
from danvan.consultation.models import Comment
from danvan.disclosure import services as disclosure_services
from danvan.disclosure.models import DisclosureKind
from danvan.news import services as news_services
from danvan.units.models import Unit

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Phường Phan Đình Phùng, Thái Nguyên (danvan.units.demo.COMMUNE_CODES[0]).
COMMUNE = "05443"
ARTICLE = "Phường ra quân làm đường hoa chào năm mới"
DISCLOSURE = "Dự toán ngân sách phường năm 2027"
CONSULTATION = "Dự thảo quy ước tổ dân phố số 7"
SUBJECT = "Đèn đường tổ 7 không sáng"
ANSWER = "Phường đã thay bóng đèn đường tổ 7 ngày 05/12."


@pytest.fixture
def open_page(browser: Any, live_server: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A page factory on the live server, with or without JavaScript."""
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)
    contexts: list[Any] = []
    external: list[str] = []

    def watch(request: Any) -> None:
        if not request.url.startswith((live_server.url, "data:", "about:")):
            external.append(request.url)

    def make(*, js: bool) -> Any:
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", java_script_enabled=js
        )
        contexts.append(context)
        page = context.new_page()
        page.on("request", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not external, f"the page made external network requests: {external}"


def _the_communes_public_work(commune: Unit) -> None:
    today = timezone.localdate()
    article = news_services.article_create(
        actor=None,
        unit=commune,
        title=ARTICLE,
        lead="Hơn 300 hội viên, đoàn viên cùng nhân dân trồng hoa dọc 2 km đường tổ 7.",
        body="<p>Sáng Chủ nhật, phường phát động <strong>đường hoa</strong> tổ dân phố.</p>",
    )
    news_services.article_submit(actor=None, article=article)
    news_services.article_approve(actor=None, article=article)
    kind = (
        DisclosureKind.objects.filter(unit_kind=commune.kind, valid_from__lte=today)
        .order_by("number")
        .first()
    )
    assert kind is not None
    disclosure_services.disclosure_create(
        actor=None,
        unit=commune,
        kind=kind,
        title=DISCLOSURE,
        summary="Tổng thu 12,5 tỷ đồng; tổng chi 12,1 tỷ đồng, đã được HĐND phường thông qua.",
        start=today,
        is_public=True,
    )
    consultation = consultation_services.consultation_create(
        actor=None,
        unit=commune,
        subject="plan",
        title=CONSULTATION,
        draft="Điều 3. Giữ gìn vệ sinh chung; không đổ rác ra đường tổ dân phố.",
    )
    consultation_services.consultation_open(
        actor=None,
        consultation=consultation,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
    )


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("js", [False, True], ids=["nojs", "js"])
def test_a_citizen_from_search_to_partly_resolved(open_page: Any, js: bool) -> None:
    # The place page is cached a minute (core/pagecache.py): not the last test's page.
    cache.clear()
    commune = Unit.objects.get(code=COMMUNE)
    _the_communes_public_work(commune)
    page = open_page(js=js)
    mode = "js" if js else "nojs"

    # 1. The commune, found by its name typed without diacritics.
    page.goto("/cong-dan/")
    page.locator("main").get_by_label("Tìm xã, phường, tỉnh, thành phố").fill("phan dinh phung")
    page.locator("main").get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_load_state()
    if f"/cong-dan/noi/{COMMUNE}/" not in page.url:  # several places: the list of hits
        page.locator("main").get_by_role("link", name=re.compile(commune.name)).first.click()
        page.wait_for_load_state()
    assert page.url.endswith(f"/cong-dan/noi/{COMMUNE}/"), page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith(commune.name)
    screenshot(page, f"citizen-1-place-{mode}")

    # 2. An article, from the commune's news.
    page.get_by_role("link", name=ARTICLE).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == ARTICLE
    assert "đường hoa" in page.locator("main").inner_text()
    page.go_back()

    # 3. A disclosure, from the commune's latest disclosures.
    page.get_by_role("link", name=DISCLOSURE).click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert DISCLOSURE in text
    assert "12,5 tỷ đồng" in text
    page.go_back()

    # 4. A comment on the draft open for consultation.
    page.get_by_role("link", name=CONSULTATION).click()
    page.wait_for_load_state()
    page.get_by_label("Ý kiến của bạn").fill("Đề nghị bổ sung giờ thu gom rác buổi tối.")
    page.wait_for_timeout(3200)  # the anti-abuse check refuses a form sent within 3 s
    _submit(page, "Gửi ý kiến")
    assert "Đã nhận ý kiến của bạn" in page.locator("main").inner_text()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING  # shown only once moderated
    screenshot(page, f"citizen-2-comment-{mode}")

    # 5. Feedback with a photo, sent from the commune's page (the commune already chosen).
    page.goto(f"/cong-dan/noi/{COMMUNE}/")
    page.get_by_role("link", name="Gửi phản ánh, kiến nghị", exact=True).last.click()
    page.wait_for_load_state()
    page.get_by_label("Phản ánh", exact=False).first.check()
    page.get_by_label("Tóm tắt").fill(SUBJECT)
    page.get_by_label("Nội dung").fill("Ba bóng đèn đầu ngõ tổ 7 không sáng từ tuần trước.")
    page.get_by_label("Họ và tên của bạn").fill("Lê Văn Dân")
    page.get_by_role("textbox", name="Số điện thoại").fill("0912555666")
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 40, 60)).save(photo, format="JPEG")
    page.get_by_label("Ảnh chụp sự việc (không bắt buộc)").set_input_files(
        files=[{"name": "den.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}]
    )
    page.get_by_label(re.compile("^Tôi đồng ý")).check()
    page.wait_for_timeout(3200)
    _submit(page, "Gửi")
    assert page.url.endswith("/cong-dan/da-gui/"), page.locator("main").inner_text()[:500]
    code = page.locator("#lookup-code").inner_text().strip()
    case = Case.objects.get(lookup_code=code)
    assert case.unit == commune
    assert case.documents.filter(citizen_photo=True).count() == 1
    screenshot(page, f"citizen-3-code-{mode}")

    # 6. The ward answers (its officers' pages: test_portal_feedback.py).
    officer = make_user(f"phuong-{mode}", Role.OFFICER, commune)
    case = case_services.case_accept(actor=officer, case=case, version=case.version)
    case_services.case_resolve(
        actor=officer,
        case=case,
        version=case.version,
        decision_number="88/UBND-VP",
        result_summary="Đã thay bóng đèn.",
        public_answer=ANSWER,
    )

    # 7. The citizen follows it by the code and says it was partly resolved.
    page.goto("/cong-dan/tra-cuu/")
    page.get_by_label("Mã tra cứu").fill(code)
    _submit(page, "Tra cứu")
    assert ANSWER in page.locator("main").inner_text()
    assert code not in page.url
    page.get_by_label("Giải quyết một phần").check()
    _submit(page, "Gửi đánh giá")
    assert "Cảm ơn bạn" in page.locator("main").inner_text()
    assert CitizenVerdict.objects.get(case=case).answer == "partly"
    screenshot(page, f"citizen-4-verdict-{mode}")
