"""Rules of ``propose``: splitting, assigning verbs, units of a sentence, date phrases."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from danvan.directives.proposals.evaluation import due_key, load_resolver
from danvan.directives.proposals.extract import (
    Due,
    DueKind,
    Proposal,
    _clauses,
    normalized_text,
    propose,
    text_from_docx,
)
from danvan.directives.proposals.resolve import UnitIndex
from danvan.legal.workdays import WorkCalendar

TODAY = dt.date(2027, 2, 10)


@pytest.fixture(scope="module")
def resolver() -> UnitIndex:
    return load_resolver()


def one(text: str, resolver: UnitIndex, today: dt.date = TODAY) -> Proposal:
    proposals = propose(text, today=today, resolver=resolver)
    assert len(proposals) == 1, [p.source for p in proposals]
    return proposals[0]


def leads(p: Proposal) -> list[str | None]:
    return [r.key for r in p.leads]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("hoàn thành trước ngày 30/6/2027", "2027-06-30"),
        ("chậm nhất ngày 15/7/2027", "2027-07-15"),
        ("chậm nhất là ngày 20/3/2027", "2027-03-20"),
        ("trước ngày 15-11-2027", "2027-11-15"),
        ("trước ngày 15 tháng 11 năm 2027", "2027-11-15"),
        ("trong tháng 9/2027", "2027-09-30"),
        ("trong tháng 2 năm 2028", "2028-02-29"),
        ("trong quý III/2027", "2027-09-30"),
        ("trong quý I năm 2027", "2027-03-31"),
        ("trong quý 2 năm 2027", "2027-06-30"),
        ("6 tháng đầu năm 2027", "2027-06-30"),
        ("6 tháng cuối năm 2027", "2027-12-31"),
        ("hoàn thành trong năm 2027", "2027-12-31"),
        # No year: the first such day not yet past (today is 10/02/2027).
        ("trước 31/12", "2027-12-31"),
        ("trước ngày 31/1", "2028-01-31"),
        ("thời gian trong tháng 9", "2027-09-30"),
        ("trong 15 ngày làm việc kể từ ngày nhận được Thông báo", "rel:working_days:15"),
        ("trong vòng 30 ngày kể từ ngày kết thúc lấy ý kiến", "rel:days:30"),
        ("thực hiện thường xuyên", "regular"),
        ("định kỳ hằng quý báo cáo", "regular"),
        ("báo cáo trước ngày khai giảng", None),
        # A document's date is not a deadline; nor is a school year.
        ("theo Kế hoạch số 20-KH/TU ngày 12/8/2016 của Tỉnh ủy", None),
        ("trong năm học 2027 - 2028", None),
    ],
)
def test_due_phrases(phrase: str, expected: str | None, resolver: UnitIndex) -> None:
    p = one(f"Giao Sở Nội vụ tham mưu {phrase}.", resolver)
    assert due_key(p.due) == expected


def test_the_last_of_several_dates_is_the_deadline(resolver: UnitIndex) -> None:
    p = one(
        "Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì tổ chức Hội nghị sơ kết 6 tháng đầu năm "
        "2027, thời gian dự kiến cuối tháng 7/2027.",
        resolver,
    )
    assert p.due_date == dt.date(2027, 7, 31)
    assert any("nhiều mốc" in n for n in p.notes)


def test_an_impossible_date_is_noted_not_guessed(resolver: UnitIndex) -> None:
    p = one("Giao Sở Nội vụ tham mưu, hoàn thành trước ngày 31/2/2027.", resolver)
    assert p.due is None
    assert any("không có thật" in n for n in p.notes)


def test_relative_due_date_on_the_working_day_calendar() -> None:
    due = Due(DueKind.RELATIVE, "trong 3 ngày làm việc", days=3, working_days=True)
    # Friday 30/4/2027 and Saturday 1/5 are holidays: from Thursday 29/4, three working
    # days are Tuesday 4/5 … Thursday 6/5 (Monday 3/5 is the day off in lieu of 1/5 if the
    # calendar says so); whatever the package decides, it is the calendar's answer.
    calendar = WorkCalendar(exceptions={})
    start = dt.date(2027, 4, 29)
    assert due.compute(start, calendar) == calendar.add_working_days(start, 3)
    assert calendar.working_days_between(start, due.compute(start, calendar)) == 3  # type: ignore[arg-type]
    calendar_days = Due(DueKind.RELATIVE, "trong 30 ngày", days=30)
    assert calendar_days.compute(start) == dt.date(2027, 5, 29)


def test_clauses_keep_numbers_dates_and_document_numbers_whole() -> None:
    text = (
        "Toàn tỉnh đã tổ chức 1.246 cuộc đối thoại theo Kế hoạch 20-KH/TU ngày 12/8/2016. "
        "Giao Sở Nội vụ tổng hợp; báo cáo trước 30/6/2027.\n"
        "a) Sở Tài chính: bảo đảm kinh phí."
    )
    spans = [text[c.start : c.end] for c in _clauses(text)]
    assert spans == [
        "Toàn tỉnh đã tổ chức 1.246 cuộc đối thoại theo Kế hoạch 20-KH/TU ngày 12/8/2016",
        "Giao Sở Nội vụ tổng hợp",
        "báo cáo trước 30/6/2027",
        "Sở Tài chính: bảo đảm kinh phí",
    ]


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        ("Giao Sở Tư pháp chủ trì hướng dẫn việc sửa đổi hương ước.", "Sở Tư pháp"),
        (
            "Đề nghị Hội Phụ nữ tỉnh vận động hội viên tham gia giám sát.",
            "Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên",
        ),
        ("Yêu cầu Thanh tra tỉnh tăng cường thanh tra trách nhiệm.", "Thanh tra tỉnh"),
        ("Phân công Tỉnh đoàn chủ trì tổ chức diễn đàn.", "Tỉnh đoàn Thái Nguyên"),
        ("Chỉ đạo UBND xã Tân Cương công khai dự toán.", "Ủy ban nhân dân xã Tân Cương"),
        ("Sở Y tế có trách nhiệm công khai tài chính.", "Sở Y tế"),
        ("Sở Y tế chịu trách nhiệm công khai tài chính.", "Sở Y tế"),
        ("Sở Nội vụ tham mưu kiện toàn Ban Chỉ đạo.", "Sở Nội vụ"),
        (
            "Việc sơ kết do Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ thực hiện.",
            "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        ),
        ("Giao cho Ban Tổ chức Tỉnh ủy hướng dẫn.", "Ban Tổ chức Tỉnh ủy"),
        ("Ban Chỉ đạo giao nhiệm vụ cho Sở Xây dựng rà soát quy hoạch.", "Sở Xây dựng"),
        # Diacritics are not needed to find a unit.
        ("Giao UBND tinh Thai Nguyen chỉ đạo rà soát.", "Ủy ban nhân dân tỉnh Thái Nguyên"),
    ],
)
def test_assigning_sentences(sentence: str, lead: str, resolver: UnitIndex) -> None:
    assert leads(one(sentence, resolver)) == [lead]


@pytest.mark.parametrize(
    "sentence",
    [
        "Hội nghị thống nhất đánh giá năm 2026 việc thực hiện dân chủ có chuyển biến tích cực.",
        "Sở Nội vụ đã tham mưu kịp thời các văn bản hướng dẫn.",
        "Ban Tổ chức Tỉnh ủy được giao chủ trì việc kiện toàn.",
        "Các xã đã giải quyết các kiến nghị, đề nghị của Nhân dân.",
        "Hội nghị ghi nhận các đề nghị của cơ sở về kinh phí.",
        "Các cơ quan, đơn vị liên quan có trách nhiệm phối hợp chặt chẽ.",
        "Đường giao thông liên xóm đã hoàn thành trước ngày 30/6/2026.",
        "Theo đề nghị của Sở Nội vụ, UBND tỉnh đã ban hành Quyết định kiện toàn Ban Chỉ đạo.",
    ],
)
def test_sentences_that_assign_nothing(sentence: str, resolver: UnitIndex) -> None:
    assert propose(sentence, today=TODAY, resolver=resolver) == []


def test_lead_and_coordinating_units(resolver: UnitIndex) -> None:
    p = one(
        "Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Ủy ban MTTQ Việt Nam tỉnh, "
        "Báo và Phát thanh, Truyền hình Thái Nguyên và UBND các xã, phường tổ chức Ngày hội, "
        "hoàn thành trước ngày 18/11/2027.",
        resolver,
    )
    assert leads(p) == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert [r.key for r in p.coordinating] == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thái Nguyên",
        "Báo và Phát thanh, Truyền hình Thái Nguyên",
        "@commune:uy ban nhan dan",
    ]
    assert p.action.startswith("Chủ trì, phối hợp")
    assert p.due_date == dt.date(2027, 11, 18)


def test_same_level_partner_is_left_to_the_clerk(resolver: UnitIndex) -> None:
    p = one(
        "Giao UBND các xã chủ trì, phối hợp với Ủy ban MTTQ cùng cấp tổ chức đối thoại.", resolver
    )
    assert leads(p) == ["@commune:uy ban nhan dan"]
    assert p.coordinating[0].same_level
    assert not p.coordinating[0].resolved


def test_collective_lead_expands_on_confirmation(resolver: UnitIndex) -> None:
    p = one("Đảng ủy các xã, phường chịu trách nhiệm kiện toàn Ban Chỉ đạo.", resolver)
    (ref,) = p.leads
    assert ref.collective is not None
    assert ref.unit_id is None
    assert [u.name for u in ref.units(resolver)] == [
        "Đảng ủy phường Phan Đình Phùng",
        "Đảng ủy xã Tân Cương",
        "Đảng ủy xã Đại Từ",
    ]


def test_list_under_a_lead_and_list_of_leads(resolver: UnitIndex) -> None:
    text = (
        "Đề nghị UBND tỉnh chỉ đạo các cơ quan chức năng:\n"
        "- Rà soát các vụ việc tồn đọng, hoàn thành trước ngày 30/9/2027;\n"
        "- Chỉ đạo Sở Xây dựng công khai quy hoạch.\n"
        "Hội nghị giao:\n"
        "a) Sở Nội vụ: hướng dẫn xây dựng quy chế, xong trước 30/4/2027.\n"
        "b) Sở Tài chính: bảo đảm kinh phí."
    )
    ps = propose(text, today=TODAY, resolver=resolver)
    assert [(leads(p), p.due_date) for p in ps] == [
        (["Ủy ban nhân dân tỉnh Thái Nguyên"], dt.date(2027, 9, 30)),
        (["Ủy ban nhân dân tỉnh Thái Nguyên"], None),
        (["Sở Nội vụ"], dt.date(2027, 4, 30)),
        (["Sở Tài chính"], None),
    ]
    # Each proposal points at its own item: the exact paragraph.
    assert text[ps[0].paragraph_start : ps[0].paragraph_end].startswith("- Rà soát")


def test_span_points_at_the_source_and_deliverable(resolver: UnitIndex) -> None:
    text = (
        "Hội nghị đánh giá cao kết quả năm 2026. Giao Ban Tuyên giáo và Dân vận Tỉnh ủy tham "
        "mưu ban hành Kế hoạch thực hiện dân chủ ở cơ sở năm 2027 trước ngày 31/3/2027."
    )
    p = one(text, resolver)
    assert normalized_text(text)[p.start : p.end] == p.source
    assert p.source.startswith("Giao Ban Tuyên giáo")
    assert p.deliverable == "Kế hoạch thực hiện dân chủ ở cơ sở năm 2027"


def test_an_unknown_lead_is_proposed_with_a_note(resolver: UnitIndex) -> None:
    p = one("Yêu cầu các đồng chí thành viên Ban Chỉ đạo thường xuyên nắm tình hình.", resolver)
    assert not any(r.resolved for r in p.leads)
    assert p.confidence <= 0.5
    assert any("đơn vị chủ trì" in n for n in p.notes)


def test_proposal_round_trips_through_initial_data(resolver: UnitIndex) -> None:
    text = (
        "Giao UBND các xã, phường chủ trì, phối hợp với Sở Nội vụ tổ chức đối thoại, báo cáo "
        "kết quả trong 15 ngày làm việc kể từ ngày kết thúc đối thoại."
    )
    p = one(text, resolver)
    assert p.due is not None
    assert p.due.event == "ngày kết thúc đối thoại"
    initial = p.to_initial()
    assert Proposal.from_initial(initial) == p
    import json

    assert json.loads(json.dumps(initial)) == initial  # JSON-safe


def test_text_from_docx(resolver: UnitIndex) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("THÔNG BÁO KẾT LUẬN")
    document.add_paragraph(
        "Giao Sở Nội vụ tham mưu kiện toàn Ban Chỉ đạo, xong trong tháng 3/2027."
    )
    document.add_paragraph("Đề nghị UBND tỉnh chỉ đạo:")
    document.add_paragraph(
        "Rà soát các vụ việc tồn đọng, xong trước 30/9/2027.", style="List Number"
    )
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Đề nghị Tỉnh đoàn tổ chức diễn đàn trước ngày 26/3/2027."
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    text = text_from_docx(buffer)
    ps = propose(text, today=TODAY, resolver=resolver)
    assert [(leads(p), p.due_date) for p in ps] == [
        (["Sở Nội vụ"], dt.date(2027, 3, 31)),
        # A Word list item has no marker in its text; it is still an item of the list.
        (["Ủy ban nhân dân tỉnh Thái Nguyên"], dt.date(2027, 9, 30)),
        (["Tỉnh đoàn Thái Nguyên"], dt.date(2027, 3, 26)),
    ]


def test_a_whole_conclusion(resolver: UnitIndex) -> None:
    text = """TỈNH ỦY THÁI NGUYÊN
BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ
Số 15-TB/BCĐ
THÔNG BÁO KẾT LUẬN
của Thường trực Ban Chỉ đạo tại Hội nghị tổng kết năm 2026
Ngày 10/01/2027, Thường trực Ban Chỉ đạo tổ chức Hội nghị tổng kết năm 2026. Sau khi nghe \
báo cáo và ý kiến của các đại biểu, Thường trực Ban Chỉ đạo kết luận như sau:
1. Hội nghị thống nhất đánh giá năm 2026 việc thực hiện dân chủ có nhiều chuyển biến.
2. Nhiệm vụ năm 2027:
- Giao Sở Nội vụ tham mưu kiện toàn Ban Chỉ đạo, hoàn thành trong quý I/2027.
- UBND các xã, phường chịu trách nhiệm công khai dự toán; thực hiện thường xuyên.
Nơi nhận:
- Thường trực Tỉnh ủy (b/c);
- UBND các xã, phường (thực hiện);
- Lưu VP.
T/M BAN CHỈ ĐẠO
PHÓ TRƯỞNG BAN THƯỜNG TRỰC"""
    ps = propose(text, today=dt.date(2027, 1, 15), resolver=resolver)
    assert [(leads(p), due_key(p.due)) for p in ps] == [
        (["Sở Nội vụ"], "2027-03-31"),
        (["@commune:uy ban nhan dan"], "regular"),
    ]
