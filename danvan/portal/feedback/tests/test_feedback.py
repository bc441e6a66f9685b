"""Issue 14, deliverable 5: feedback with photos and a place, the anti-abuse check, limits
that count accepted sendings, the device's codes, moderation, and "was it resolved?"."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.cases import services
from danvan.cases.models import Case, CaseDocument, Channel, CitizenVerdict, PublicState
from danvan.portal import antiabuse
from danvan.portal.feedback import device
from danvan.portal.tests.test_views import _sending
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

SUBMIT = "portal:submit"


def _jpeg(*, gps: bool = False, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (21.0, 35.0, 39.0)}  # GPSInfo
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def _photo(name: str = "anh.jpg", data: bytes | None = None, kind: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, data if data is not None else _jpeg(), content_type=kind)


def _post(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(reverse(SUBMIT), data, **extra)


def _resolved(case: Case, officer: User) -> Case:
    case = services.case_accept(actor=officer, case=case, version=case.version)
    return services.case_resolve(
        actor=officer,
        case=case,
        version=case.version,
        decision_number="45/UBND-VP",
        result_summary="Đã sửa.",
        public_answer="Xã đã sửa đèn đường thôn 3.",
    )


# --- photos and place -----------------------------------------------------------------------


def test_photos_are_stored_reencoded_without_exif_and_private(
    client: Client, commune: Unit
) -> None:
    raw = _jpeg(gps=True)
    assert b"PhoneMaker" in raw
    photos = [_photo("IMG_NguyenVanA.jpg", raw), _photo("b.jpg")]
    response = _post(client, _sending(commune, photos=photos, lat="21.5942", long="105.8482"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.lat, case.long) == (21.5942, 105.8482)
    assert case.public_state == PublicState.PENDING
    documents = list(case.documents.order_by("id"))
    assert [d.citizen_photo for d in documents] == [True, True]
    assert not any(d.public for d in documents)
    stored = documents[0].file.read()
    assert b"PhoneMaker" not in stored
    assert "NguyenVanA" not in documents[0].original_name
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    # Not served to the public before moderation.
    assert client.get(reverse("portal:feedback_photo", args=[documents[0].pk])).status_code == 404


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        ([("a.jpg", b"%PDF-1.4 not an image", "image/jpeg")], "không phải là ảnh"),
        ([("a.exe", b"MZ\x90\x00", "application/octet-stream")], "không phải là ảnh"),
        ([("a.jpg", None, "image/jpeg")] * 4, "tối đa 3 ảnh"),
    ],
)
def test_a_bad_photo_is_refused_beside_the_field_and_the_text_is_kept(
    client: Client, commune: Unit, photos: list[tuple[str, bytes | None, str]], message: str
) -> None:
    uploads = [_photo(n, d, k) for n, d, k in photos]
    response = _post(client, _sending(commune, photos=uploads))
    assert response.status_code == 400
    page = html_lib.unescape(response.content.decode())
    assert message in page
    assert "chọn lại ảnh" in page
    assert 'href="#id_photos"' in page
    assert "Ba cột đèn đầu thôn 3" in page  # the typed content is kept
    assert 'id="photos-lost"' in page
    assert not Case.objects.exists()
    assert not CaseDocument.objects.exists()


def test_a_too_large_photo_is_refused(
    client: Client, commune: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("danvan.core.images.MAX_PHOTO_BYTES", 1000)
    response = _post(client, _sending(commune, photos=[_photo(data=_jpeg(size=(400, 400)))]))
    assert response.status_code == 400
    page = html_lib.unescape(response.content.decode())
    assert "Ảnh quá lớn" in page
    assert "chọn lại ảnh" in page
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("lat", "long", "field", "message"),
    [
        ("48.85", "2.35", "lat", "ngoài Việt Nam"),
        ("21.0", "", "long", "Cần cả vĩ độ và kinh độ"),
        ("21.0", "150", "long", "ngoài Việt Nam"),
        ("bắc", "105", "lat", "Phải là một số"),
    ],
)
def test_a_place_outside_vietnam_or_half_given_is_refused(
    client: Client, commune: Unit, lat: str, long: str, field: str, message: str
) -> None:
    response = _post(client, _sending(commune, lat=lat, long=long))
    assert response.status_code == 400
    page = html_lib.unescape(response.content.decode())
    assert f'href="#id_{field}"' in page
    assert message in page
    assert not Case.objects.exists()


def test_the_locate_button_is_progressive(client: Client, commune: Unit) -> None:
    page = client.get(reverse(SUBMIT), {"province": commune.parent.code}).content.decode()  # type: ignore[union-attr]
    assert 'id="locate" hidden' in page  # shown by locate.js only
    assert "Dùng vị trí hiện tại của tôi" in page
    assert 'name="lat"' in page
    assert 'name="long"' in page
    assert "portal/feedback/locate.js" in page
    assert 'enctype="multipart/form-data"' in page
    assert "tile" not in page.lower()


def test_a_place_page_can_link_with_the_commune_chosen(client: Client, commune: Unit) -> None:
    response = client.get(reverse(SUBMIT), {"commune": commune.code})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="subject"' in page  # the province step is skipped
    assert f'<option value="{commune.code}" selected>' in page
    assert commune.parent.name in page  # type: ignore[union-attr]
    unknown = client.get(reverse(SUBMIT), {"commune": "99999"})
    assert 'name="subject"' not in unknown.content.decode()  # back to the province step


# --- bad text ---------------------------------------------------------------------------------


def test_markup_is_stored_inert_and_shown_escaped(
    client: Client, commune: Unit, officer: User
) -> None:
    script = '<script>alert("x")</script><b onmouseover="y">đậm</b>'
    refused = _post(client, _sending(commune, subject=script, consent=""))
    assert refused.status_code == 400
    assert "<script>alert" not in refused.content.decode()
    assert "&lt;script&gt;alert" in refused.content.decode()

    assert _post(client, _sending(commune, subject=script, content=script)).status_code == 302
    case = Case.objects.get()
    assert case.subject == script  # stored as typed: inert text
    services.case_moderate_public(actor=officer, case=case, summary=script, publish=True)
    login_verified(client, officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"content": "Có ký tự \x00 rỗng"}, "content"),
        ({"content": "x" * 5001}, "content"),
        ({"subject": "y" * 201}, "subject"),
        ({"content": "   "}, "content"),
    ],
)
def test_nul_overlong_and_blank_text_are_refused(
    client: Client, commune: Unit, changes: dict[str, str], field: str
) -> None:
    response = _post(client, _sending(commune, **changes))
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Case.objects.exists()


# --- anti-abuse -------------------------------------------------------------------------------


def _tokens_in(page: str) -> list[str]:
    return re.findall(r'name="form_token" value="([^"]+)"', page)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"website": "http://spam.example"}, "để trống"),
        ({"form_token": ""}, "thiếu mã kiểm tra"),
        ({"form_token": "forged:abc"}, "thiếu mã kiểm tra"),
        (
            {"form_token": signing.dumps({"t": 0}, salt="another.salt")},
            "thiếu mã kiểm tra",
        ),
        ({"form_token": "now"}, "quá nhanh"),
        ({"form_token": "old"}, "quá 1 ngày"),
    ],
)
def test_the_anti_abuse_check_refuses_keeps_the_text_and_gives_a_fresh_token(
    client: Client, commune: Unit, changes: dict[str, str], message: str
) -> None:
    if changes.get("form_token") == "now":
        changes["form_token"] = antiabuse.issue_token()
    elif changes.get("form_token") == "old":
        changes["form_token"] = antiabuse.issue_token(rendered_at=time.time() - 2 * 86400)
    response = _post(client, _sending(commune, **changes))
    assert response.status_code == 400
    page = html_lib.unescape(response.content.decode())
    assert message in page
    assert "error-summary" in page
    assert "Ba cột đèn đầu thôn 3" in page
    assert "spam.example" not in page  # the honeypot is never echoed
    assert not Case.objects.exists()
    tokens = _tokens_in(response.content.decode())
    assert len(tokens) == 1
    if message != "quá nhanh":  # a token of the same second is the same token
        assert tokens[0] != changes.get("form_token")
    # The fresh token works once a person has had the time to read the page.
    fresh = antiabuse.token_problem(tokens[0], now=time.time() + 5)
    assert fresh is None
    assert antiabuse.token_problem(tokens[0], now=time.time() + 2 * 86400) is not None


def test_the_honeypot_is_hidden_from_sight_keyboard_and_screen_readers(
    client: Client, commune: Unit
) -> None:
    page = client.get(reverse(SUBMIT), {"province": commune.parent.code}).content.decode()  # type: ignore[union-attr]
    block = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', page, re.S)
    assert block is not None
    assert "Để trống ô này" in block.group(1)
    assert 'name="website"' in block.group(1)
    assert 'tabindex="-1"' in block.group(1)
    assert len(_tokens_in(page)) == 1


# --- the device's codes ------------------------------------------------------------------------


def test_the_code_is_remembered_in_a_signed_httponly_lax_cookie_never_in_a_url(
    client: Client, commune: Unit
) -> None:
    response = _post(client, _sending(commune))
    case = Case.objects.get()
    assert case.lookup_code not in response["Location"]
    cookie = response.cookies[device.COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP in tests; see the HTTPS test below
    assert int(cookie["max-age"]) == device.MAX_AGE
    assert case.lookup_code in cookie.value
    assert ":" in cookie.value

    page = client.get(reverse("portal:lookup"))
    html = page.content.decode()
    assert "Phản ánh đã gửi từ thiết bị này" in html
    assert commune.name in html
    assert str(case.get_status_display()) in html
    # The list's buttons post an index into the cookie: the code is not in the page.
    assert case.lookup_code not in html
    assert "Quên trên thiết bị này" in html
    shown = client.post(reverse("portal:lookup"), {"device_item": "0"})
    assert shown.status_code == 200
    assert "Kết quả tra cứu" in shown.content.decode()
    assert case.lookup_code not in shown.content.decode()
    assert client.post(reverse("portal:lookup"), {"device_item": "7"}).status_code == 302
    assert client.post(reverse("portal:lookup"), {"device_item": "²"}).status_code == 302

    forgotten = client.post(reverse("portal:forget_device"))
    assert forgotten.status_code == 302
    assert forgotten.cookies[device.COOKIE].value == ""
    assert (
        "Phản ánh đã gửi từ thiết bị này"
        not in client.get(reverse("portal:lookup")).content.decode()
    )
    assert Case.objects.count() == 1  # forgetting touches nothing else


def test_the_cookie_is_secure_on_https_and_a_tampered_one_is_ignored(
    client: Client, commune: Unit, settings: Any
) -> None:
    response = _post(client, _sending(commune), secure=True)
    assert response.cookies[device.COOKIE]["secure"] is True
    case = Case.objects.get()
    value = response.cookies[device.COOKIE].value
    forged = value.replace(case.lookup_code, "2345-6789-ABCD")
    client.cookies[device.COOKIE] = forged
    assert (
        "Phản ánh đã gửi từ thiết bị này"
        not in client.get(reverse("portal:lookup")).content.decode()
    )


def test_the_device_keeps_at_most_ten_codes(client: Client, receive: Callable[..., Case]) -> None:
    from django.http import HttpRequest, HttpResponse

    cases = [receive(channel=Channel.PORTAL) for _ in range(12)]
    request, response = HttpRequest(), HttpResponse()
    for case in cases:
        device.remember(request, response, case.lookup_code)
        request.COOKIES[device.COOKIE] = response.cookies[device.COOKIE].value
    codes = device.codes_of(request)
    assert codes == [c.lookup_code for c in reversed(cases)][:10]


# --- moderation ----------------------------------------------------------------------------


def test_nothing_is_public_before_moderation_then_only_what_was_published(
    client: Client, open311_root: str, commune: Unit, officer: User
) -> None:
    _post(
        client,
        _sending(commune, photos=[_photo(), _photo("b.jpg")], lat="21.59", long="105.84"),
    )
    case = Case.objects.get()
    first, second = case.documents.order_by("id")
    url = f"{open311_root}/requests/{case.reference}.json"
    before = requests.get(url, timeout=10).json()[0]
    assert before["description"] is None
    assert before["address"] is None
    assert before["lat"] is None
    assert before["media_url"] is None

    services.case_moderate_public(
        actor=officer, case=case, summary="Đèn đường thôn 3 hỏng.", publish=True, photos=[first.pk]
    )
    after = requests.get(url, timeout=10).json()[0]
    assert after["description"] == "Đèn đường thôn 3 hỏng."
    assert after["address"] == "Đầu cầu thôn 3"
    assert after["lat"] == 21.59
    photo_url = reverse("portal:feedback_photo", args=[first.pk])
    assert after["media_url"].endswith(photo_url)
    served = client.get(photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert client.get(reverse("portal:feedback_photo", args=[second.pk])).status_code == 404

    case.refresh_from_db()
    services.case_moderate_public(actor=officer, case=case, summary="", publish=False)
    hidden = requests.get(url, timeout=10).json()[0]
    assert hidden["description"] is None
    assert hidden["media_url"] is None
    assert client.get(photo_url).status_code == 404
    first.refresh_from_db()
    assert not first.public


def test_moderation_is_an_officer_action_on_the_case_page(
    client: Client, commune: Unit, sibling_commune: Unit, receive: Callable[..., Case]
) -> None:
    from danvan.accounts.models import Role
    from danvan.accounts.testing import make_user

    case = receive(channel=Channel.PORTAL)
    officer = make_user("kiemduyet", Role.OFFICER, commune)
    login_verified(client, officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Kiểm duyệt nội dung công khai" in page
    url = reverse("cases:moderate", args=[case.public_id])
    empty = client.post(url, {"version": case.version, "summary": "", "publish": "1"})
    assert empty.status_code == 400
    assert "Cần ghi tóm tắt công khai" in empty.content.decode()
    done = client.post(
        url, {"version": case.version, "summary": "Đường thôn 3 xuống cấp.", "publish": "1"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.public_state == PublicState.PUBLISHED
    assert case.moderated_by == officer
    assert case.moderated_at is not None
    from danvan.audit.models import AuditEvent

    assert AuditEvent.objects.filter(actor=officer).exists()

    outsider = make_user("xa-khac", Role.OFFICER, sibling_commune)
    other = Client()
    login_verified(other, outsider)
    refused = other.post(url, {"version": case.version, "summary": "x", "publish": "1"})
    assert refused.status_code in (403, 404)


def test_complaints_and_denunciations_are_never_published(
    officer: User, receive: Callable[..., Case]
) -> None:
    from danvan.core.errors import DomainError

    case = receive(kind="complaint", round=1)
    with pytest.raises(DomainError):
        services.case_moderate_public(actor=officer, case=case, summary="x", publish=True)


# --- "was it resolved?" ----------------------------------------------------------------------


def _lookup(client: Client, code: str) -> Any:
    return client.post(reverse("portal:lookup"), {"code": code})


def _case_ref(page: str) -> str:
    found = re.search(r'name="case_ref" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_the_citizen_is_asked_once_answered_and_may_change_the_verdict(
    client: Client, receive: Callable[..., Case], officer: User
) -> None:
    case = receive(channel=Channel.PORTAL)
    assert "đã được giải quyết chưa" not in _lookup(client, case.lookup_code).content.decode()
    case = _resolved(case, officer)
    page = _lookup(client, case.lookup_code).content.decode()
    assert "Vấn đề của bạn đã được giải quyết chưa?" in page
    for label in ("Đã giải quyết", "Giải quyết một phần", "Chưa giải quyết"):
        assert label in page
    assert case.lookup_code not in page

    ref = _case_ref(page)
    answered = client.post(
        reverse("portal:verdict"),
        {"case_ref": ref, "answer": "partly", "comment": "<b>Còn</b> một cột chưa sáng."},
    )
    assert answered.status_code == 200
    html = answered.content.decode()
    assert "Cảm ơn bạn" in html
    verdict = CitizenVerdict.objects.get()
    assert (verdict.case, verdict.answer, verdict.unit) == (case, "partly", case.unit)
    assert verdict.comment == "<b>Còn</b> một cột chưa sáng."
    assert "<b>Còn</b>" not in html  # shown escaped in the form, never as markup
    # Asked again on a later lookup, with the answer given; a change replaces it.
    again = _lookup(client, case.lookup_code).content.decode()
    assert "Bạn đã đánh giá" in again
    client.post(reverse("portal:verdict"), {"case_ref": _case_ref(again), "answer": "resolved"})
    assert CitizenVerdict.objects.get().answer == "resolved"
    assert CitizenVerdict.objects.count() == 1
    # After 30 days it is final.
    CitizenVerdict.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    late = client.post(reverse("portal:verdict"), {"case_ref": ref, "answer": "not_resolved"})
    assert late.status_code == 400
    assert CitizenVerdict.objects.get().answer == "resolved"


@pytest.mark.parametrize(
    "data",
    [
        {"answer": "resolved"},
        {"case_ref": "1:forged", "answer": "resolved"},
        {"case_ref": "CASE", "answer": "maybe"},
        {"case_ref": "OPEN", "answer": "resolved"},
    ],
)
def test_bad_verdicts_store_nothing(
    client: Client, receive: Callable[..., Case], officer: User, data: dict[str, str]
) -> None:
    answered = _resolved(receive(channel=Channel.PORTAL), officer)
    still_open = receive(channel=Channel.PORTAL)
    if data.get("case_ref") == "CASE":
        data["case_ref"] = signing.dumps(answered.pk, salt="danvan.portal.feedback.verdict")
    elif data.get("case_ref") == "OPEN":
        data["case_ref"] = signing.dumps(still_open.pk, salt="danvan.portal.feedback.verdict")
    response = client.post(reverse("portal:verdict"), data)
    assert response.status_code == 400
    assert not CitizenVerdict.objects.exists()


def test_resolution_rate_and_public_feedback_numbers(
    commune: Unit, sibling_commune: Unit, officer: User, receive: Callable[..., Case]
) -> None:
    from danvan.accounts.models import Role
    from danvan.accounts.testing import make_user
    from danvan.cases import selectors as case_selectors

    answers = ["resolved", "resolved", "partly", "not_resolved"]
    for answer in answers:
        case = _resolved(receive(channel=Channel.PORTAL), officer)
        services.citizen_verdict_record(case=case, answer=answer)
    other_officer = make_user("xa-ben", Role.OFFICER, sibling_commune)
    elsewhere = receive(channel=Channel.PORTAL, actor=other_officer, unit=sibling_commune)
    services.citizen_verdict_record(case=_resolved(elsewhere, other_officer), answer="not_resolved")

    rate = case_selectors.resolution_rate(commune)
    assert (rate.resolved, rate.partly, rate.not_resolved, rate.answers) == (2, 1, 1, 4)
    assert rate.rate == pytest.approx(2.5 / 4)
    assert rate.percent == 62
    province = case_selectors.resolution_rate(commune.parent)  # type: ignore[arg-type]
    assert province.answers == 5
    assert province.not_resolved == 2
    future = case_selectors.resolution_rate(
        commune, since=timezone.localdate() + dt.timedelta(days=1)
    )
    assert future.answers == 0
    assert future.rate is None

    pending = receive(channel=Channel.PORTAL, subject="Chưa duyệt")
    published = receive(channel=Channel.PORTAL)
    services.case_moderate_public(actor=officer, case=published, summary="Công khai.", publish=True)
    feedback = case_selectors.public_feedback(commune, limit=5)
    assert feedback.received == 6
    assert feedback.answered == 4
    assert [c.pk for c in feedback.published] == [published.pk]
    assert feedback.published[0].public_summary == "Công khai."
    assert pending.pk not in [c.pk for c in feedback.published]
