"""The minutes (.docx) and the shares they print: exact fractions of ALL households and
percents truncated to two decimals, never rounded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.democracy import selectors, services
from danvan.democracy.minutes import minutes_docx, minutes_filename, minutes_title
from danvan.democracy.models import Matter, Method, Outcome, Vote
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (2, 3, "2/3 hộ (66,66%)"),  # 66.666…: truncated, not rounded to 66,67
        (1, 3, "1/3 hộ (33,33%)"),
        (3, 5, "3/5 hộ (60,00%)"),
        (51, 101, "51/101 hộ (50,49%)"),  # 50.495…
        (0, 7, "0/7 hộ (0,00%)"),
        (7, 7, "7/7 hộ (100,00%)"),
    ],
)
def test_share_is_exact_and_truncated(count: int, total: int, expected: str) -> None:
    assert selectors.share(count, total) == expected


@pytest.mark.parametrize(
    ("total", "present", "agree", "expected"),
    [
        (
            5,
            3,
            3,
            "Hợp lệ: 3/5 hộ tham gia (> 1/2 tổng số hộ). "
            "Được thông qua: 3/5 hộ đồng ý (> 1/2 tổng số hộ).",
        ),
        (
            100,
            100,
            50,
            "Hợp lệ: 100/100 hộ tham gia (> 1/2 tổng số hộ). "
            "Không được thông qua: 50/100 hộ đồng ý (không quá 1/2 tổng số hộ).",
        ),
        (100, 50, 50, "Không hợp lệ: 50/100 hộ tham gia (không quá 1/2 tổng số hộ)"),
    ],
)
def test_explanation_names_the_exact_thresholds(
    total: int, present: int, agree: int, expected: str
) -> None:
    assert selectors.explain(total=total, present=present, agree=agree).startswith(expected)


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("canbo-bien-ban", Role.OFFICER, commune)


@pytest.fixture
def matter(commune: Unit, officer: User) -> Matter:
    village = unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Tổ dân phố Số 3", households=3
    )
    return services.matter_raise(
        actor=officer,
        unit=village,
        kind="community_fund",
        title="Lập quỹ khuyến học của tổ",
        raised_on=services.today() - dt.timedelta(days=5),
    )


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


@pytest.mark.django_db
def test_online_minutes(officer: User, matter: Matter) -> None:
    vote = services.vote_open(
        actor=officer,
        matter=matter,
        method=Method.ONLINE,
        opened_on=services.today(),
        closes_on=services.today() + dt.timedelta(days=1),
    )
    codes = services.vote_issue_codes(actor=officer, vote=vote, households=["1", "2", "3"])
    services.vote_cast_online(vote=vote, code=codes[0][1], choice="agree")
    services.vote_cast_online(vote=vote, code=codes[1][1], choice="disagree")
    vote = services.vote_close(actor=officer, vote=vote)
    assert vote.outcome == Outcome.FAILED
    text = _text(minutes_docx(vote))
    assert minutes_title(vote) == "BIÊN BẢN KẾT QUẢ BIỂU QUYẾT TRỰC TUYẾN"
    assert "BIÊN BẢN KẾT QUẢ BIỂU QUYẾT TRỰC TUYẾN" in text
    assert "BIÊN BẢN KIỂM PHIẾU" not in text  # that part belongs to a meeting
    assert "Số mã biểu quyết đã phát cho hộ gia đình: 3." in text
    assert "Số hộ gia đình đã biểu quyết trực tuyến: 2/3 hộ (66,66%)." in text
    assert "Số hộ đồng ý: 1/3 hộ (33,33%)." in text
    assert "Nội dung không được thông qua: có 1/3 hộ đồng ý, không quá 1/2 tổng số hộ" in text
    assert minutes_filename(vote).isascii()


@pytest.mark.django_db
def test_invalid_meeting_minutes_say_to_reconvene(officer: User, matter: Matter) -> None:
    vote: Vote = services.vote_open(
        actor=officer, matter=matter, method=Method.MEETING, opened_on=services.today()
    )
    services.vote_record_tally(actor=officer, vote=vote, present=1, agree=1, disagree=0)
    vote = services.vote_close(actor=officer, vote=vote)
    text = _text(minutes_docx(vote))
    assert "Cuộc biểu quyết không hợp lệ: chỉ có 1/3 hộ tham gia, không quá 1/2" in text
    assert "cần tổ chức lại hoặc phát phiếu lấy ý kiến hộ gia đình" in text
