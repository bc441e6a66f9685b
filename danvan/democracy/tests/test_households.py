"""The household list of an online vote, pasted or uploaded: read line by line (table
driven: good lines, Excel columns, blanks, duplicates, overlong, formula cells, NUL bytes),
previewed with Vietnamese errors, codes issued in one transaction only once confirmed and
only when every line is right; and the printed slips, each with its QR code and the
vote's short address (never the household's code)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.democracy import households, services
from danvan.democracy.households import Problem, read_text
from danvan.democracy.models import Matter, Method, Vote, VoteCode
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

# -- reading the list (no database) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "labels", "problems"),
    [
        # Typed or pasted lines, with the separators people use.
        (
            "Nguyễn Văn A – Thôn 3\nTrần Thị B - Thôn 3",
            ["Nguyễn Văn A – Thôn 3", "Trần Thị B - Thôn 3"],
            ["", ""],
        ),
        # Columns copied from Excel: tab-separated cells joined, empty cells dropped.
        (
            "12\tNguyễn Văn A\tThôn 3\n13\t\tTrần Thị B",
            ["12 – Nguyễn Văn A – Thôn 3", "13 – Trần Thị B"],
            ["", ""],
        ),
        # Blank lines (and rows of empty cells) are skipped, not errors.
        ("\n  \nHộ 1\n\t\t\n\nHộ 2\n", ["Hộ 1", "Hộ 2"], ["", ""]),
        # Spaces inside a name are normalized; Windows line ends are fine.
        ("  Hộ   12  \r\nHộ 13", ["Hộ 12", "Hộ 13"], ["", ""]),
        # The same household twice, whatever the case, accents aside: the second is refused.
        (
            "Hộ Nguyễn Văn A\nhộ nguyễn văn a",
            ["Hộ Nguyễn Văn A", "hộ nguyễn văn a"],
            ["", Problem.DUPLICATE],
        ),
        # Longer than the 40 characters a code's household holds.
        ("x" * 41 + "\n" + "y" * 40, ["x" * 41, "y" * 40], [Problem.TOO_LONG, ""]),
        # A formula cell is neutralized (its = + - @ removed), not run nor refused.
        (
            "=cmd|' /C calc'!A0\n@SUM(1)\n+Hộ 5\n-Hộ 6",
            ["cmd|' /C calc'!A0", "SUM(1)", "Hộ 5", "Hộ 6"],
            ["", "", "", ""],
        ),
        # A cell that is only formula characters has no name left.
        ("=\nHộ 7", ["", "Hộ 7"], [Problem.EMPTY, ""]),
        # NUL and other control characters are dropped.
        ("Hộ\x00 8\x07", ["Hộ 8"], [""]),
        # HTML is kept as text (shown escaped): it is just characters in a name.
        ("<b>Hộ 9</b>", ["<b>Hộ 9</b>"], [""]),
    ],
)
def test_read_text(text: str, labels: list[str], problems: list[str]) -> None:
    parsed = read_text(text)
    assert parsed.labels == labels
    assert [r.problem for r in parsed.rows] == problems
    assert all(bool(r.error) == bool(r.problem) for r in parsed.rows)


def test_line_numbers_notes_and_messages() -> None:
    parsed = read_text("Hộ 1\n\n=Hộ 2\nHộ 1\n" + "z" * 50, issued=["HỘ 2"])
    rows = {r.line: r for r in parsed.rows}
    assert parsed.blank == 1
    assert "công thức" in rows[3].note
    assert rows[3].error == "Hộ này đã được phát mã."
    assert rows[4].error == "Trùng với dòng 1."
    assert rows[5].error == "Dài 50 ký tự; mỗi hộ ghi tối đa 40 ký tự."


def test_a_header_row_is_skipped_only_first() -> None:
    assert read_text("STT\tHọ tên chủ hộ\tThôn\n1\tNguyễn Văn A\tThôn 3").labels == [
        "1 – Nguyễn Văn A – Thôn 3"
    ]
    assert read_text("Hộ 1\nHọ tên chủ hộ").labels == ["Hộ 1", "Họ tên chủ hộ"]


def test_too_many_lines_is_refused() -> None:
    with pytest.raises(households.ListFileError):
        read_text("\n".join(f"Hộ {n}" for n in range(households.MAX_ROWS + 2)))


def _xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook whose cells hold *rows* as typed: a string beginning with "=" is a
    text cell (as Excel keeps "'=1+1" or a CSV import), not a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_read_xlsx_and_csv_uploads() -> None:
    rows: list[list[Any]] = [
        ["STT", "Họ tên chủ hộ", "Thôn"],
        [1, "Nguyễn Văn A", "Thôn 3"],
        [2, "=1+1", None],
    ]
    expected = ["1 – Nguyễn Văn A – Thôn 3", "2 – 1+1"]
    xlsx = SimpleUploadedFile("ho.xlsx", _xlsx(rows))
    assert households.read_upload(xlsx).labels == expected
    for delimiter in (",", ";", "\t"):
        data = _csv([[str(c) if c is not None else "" for c in r] for r in rows], delimiter)
        assert households.read_upload(SimpleUploadedFile("ho.csv", data)).labels == expected


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ho.txt", b"Ho 1\n", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."),
        ("ho.xlsx", b"not a zip at all", "Tệp không phải tệp Excel (.xlsx)."),
        ("ho.xlsx", b"PK\x03\x04broken", "Không đọc được tệp Excel"),
        ("ho.csv", b"H\xe0 N\xf4i\n", "UTF-8"),  # cp1258, not UTF-8
        ("ho.csv", b"Ho 1\x00\n", "ký tự không hợp lệ"),
        ("ho.csv", b"x" * (households.MAX_FILE_BYTES + 1), "Tệp quá lớn"),
    ],
)
def test_unreadable_uploads(name: str, data: bytes, message: str) -> None:
    with pytest.raises(households.ListFileError) as refused:
        households.read_upload(SimpleUploadedFile(name, data))
    assert message in str(refused.value)


# -- through the officer's pages ----------------------------------------------------------------


@pytest.fixture
def village(commune: Unit) -> Unit:
    return unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đồng Tâm", households=6
    )


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("canbo-danhsach", Role.OFFICER, commune)


@pytest.fixture
def client(officer: User) -> Client:
    client = Client()
    login_verified(client, officer)
    return client


@pytest.fixture
def vote(village: Unit, officer: User) -> Vote:
    today = services.today()
    matter: Matter = services.matter_raise(
        actor=officer,
        unit=village,
        kind="contribution",
        title="Đóng góp làm đường thôn",
        raised_on=today,
    )
    return services.vote_open(
        actor=officer,
        matter=matter,
        method=Method.ONLINE,
        opened_on=today,
        closes_on=today + dt.timedelta(days=3),
    )


def codes_url(vote: Vote) -> str:
    return reverse("democracy:vote_codes", args=[vote.public_id])


@pytest.mark.django_db
def test_paste_preview_then_confirm_prints_slips(client: Client, vote: Vote) -> None:
    pasted = "Hộ 1 – Nguyễn Văn A\n\nHộ 2\t Trần Thị B\n=Hộ 3"
    preview = client.post(codes_url(vote), {"households": pasted, "step": "preview"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'id="household-preview"' in html
    assert "Hộ 2 – Trần Thị B" in html
    assert "công thức" in html
    assert 'value="issue"' in html  # the confirm button
    assert not VoteCode.objects.filter(vote=vote).exists()

    slips = client.post(codes_url(vote), {"households": pasted, "step": "issue"})
    assert slips.status_code == 200
    assert "no-store" in slips["Cache-Control"]
    html = slips.content.decode()
    codes = slips.context["codes"]
    assert [h for h, _c in codes] == ["Hộ 1 – Nguyễn Văn A", "Hộ 2 – Trần Thị B", "Hộ 3"]
    vote.refresh_from_db()
    assert vote.short_code
    assert len(vote.short_code) == 6
    short_url = f"http://testserver/cong-dan/bq/{vote.short_code}/"
    # One slip per household, each with its code, the short address and a QR code drawn
    # inline (an <svg> per slip using the one symbol; no external resource).
    slip_html = re.findall(r'<section class="vote-code-slip">.*?</section>', html, re.S)
    assert len(slip_html) == 3
    for (household, code), slip in zip(codes, slip_html, strict=True):
        assert household in slip
        assert code in slip
        assert short_url in slip
        assert slip.count("<svg") == 1
        assert '<use href="#vote-qr"/>' in slip
    assert html.count('<symbol id="vote-qr"') == 1
    assert not re.search(r'(src|href)="https?://', html)
    # The QR code and the address name the vote only: no code appears in any URL.
    for _h, code in codes:
        assert html.count(code) == 1
    # Issued in one go; the short code stays the vote's on the next batch.
    assert VoteCode.objects.filter(vote=vote).count() == 3
    client.post(codes_url(vote), {"households": "Hộ 4", "step": "issue"})
    before = vote.short_code
    vote.refresh_from_db()
    assert vote.short_code == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("Hộ 1\nHộ 1", "Có hộ ghi trùng nhau."),
        ("Hộ 1\n" + "x" * 41, "Có dòng dài quá 40 ký tự."),
        ("Hộ 1\n=", "Có dòng không có tên hộ."),
        ("\n\n  \n", "Dán danh sách hộ gia đình hoặc chọn tệp danh sách."),
    ],
)
@pytest.mark.parametrize("step", ["preview", "issue"])
def test_nothing_is_issued_on_an_error_and_the_paste_is_kept(
    client: Client, vote: Vote, pasted: str, message: str, step: str
) -> None:
    response = client.post(codes_url(vote), {"households": pasted, "step": step})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="issue"' not in html  # no confirming a list with errors
    assert not VoteCode.objects.filter(vote=vote).exists()
    vote.refresh_from_db()
    assert vote.short_code is None
    # What was pasted stays in the box (escaped), to be corrected.
    kept = response.context["codes_form"]["households"].value()
    assert kept == pasted


@pytest.mark.django_db
def test_already_issued_households_are_refused(client: Client, vote: Vote, officer: User) -> None:
    services.vote_issue_codes(actor=officer, vote=vote, households=["Hộ 1"])
    response = client.post(codes_url(vote), {"households": "Hộ 2\nhộ 1", "step": "preview"})
    assert response.status_code == 400
    assert "Có hộ đã được phát mã." in response.content.decode()
    assert VoteCode.objects.filter(vote=vote).count() == 1


@pytest.mark.django_db
def test_more_households_than_the_village_has_issues_nothing(client: Client, vote: Vote) -> None:
    pasted = "\n".join(f"Hộ {n}" for n in range(1, 8))  # 7 > 6 households
    response = client.post(codes_url(vote), {"households": pasted, "step": "issue"})
    assert response.status_code == 400
    assert "vượt tổng số hộ gia đình" in response.content.decode()
    assert not VoteCode.objects.filter(vote=vote).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_upload_previews_into_the_text_box(client: Client, vote: Vote, kind: str) -> None:
    rows = [["Số hộ", "Họ tên chủ hộ"], ["12", "Nguyễn Văn A"], ["13", '=HYPERLINK("x")']]
    data = _xlsx(rows) if kind == "xlsx" else _csv(rows)
    upload = SimpleUploadedFile(f"danh-sach.{kind}", data)
    response = client.post(codes_url(vote), {"households": "", "file": upload, "step": "preview"})
    assert response.status_code == 200
    form = response.context["codes_form"]
    assert form["households"].value() == '12 – Nguyễn Văn A\n13 – HYPERLINK("x")'
    assert not VoteCode.objects.filter(vote=vote).exists()
    # Confirming sends the text back (not the file).
    done = client.post(codes_url(vote), {"households": form["households"].value(), "step": "issue"})
    assert done.status_code == 200
    assert VoteCode.objects.filter(vote=vote).count() == 2


@pytest.mark.django_db
def test_a_bad_upload_is_refused_beside_the_field(client: Client, vote: Vote) -> None:
    upload = SimpleUploadedFile("danh-sach.exe", b"MZ\x90\x00")
    response = client.post(codes_url(vote), {"households": "", "file": upload, "step": "issue"})
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    assert not VoteCode.objects.filter(vote=vote).exists()
