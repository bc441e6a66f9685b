"""The register's writes: what is stored, and every bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.accounts.models import User
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.directives import services
from danvan.directives.errors import DirectiveError
from danvan.directives.models import Document, DocumentLink, Family, LinkKind
from danvan.units.models import Unit

from .documents import state_docx, upload
from .factories import document_data, register

pytestmark = pytest.mark.django_db


def codes(exc: pytest.ExceptionInfo[DomainError]) -> dict[str | None, str]:
    return {p.field: p.code for p in exc.value.problems}


def test_register_stores_the_number_as_written(commune: Unit, officer: User) -> None:
    doc = register(
        commune,
        actor=officer,
        number="Số 771-KH/BDVTƯ",
        issuer_name="Ban Dân vận Trung ương",
        issued_on=dt.date(2017, 3, 8),
        party_term="2016 – 2021",
    )
    assert doc.number == "771-KH/BDVTƯ"  # the label off, TƯ kept as written
    assert doc.number_key == "771-KH/BDVTW"
    assert doc.family == Family.PARTY
    assert (doc.doc_type, doc.doc_type_label) == ("KH", "Kế hoạch")
    assert doc.party_term == "2016-2021"
    assert doc.year == 2017
    assert doc.created_by == officer
    assert AuditEvent.objects.filter(object_pk=str(doc.pk)).exists()


@pytest.mark.parametrize(
    ("number", "family", "doc_type"),
    [
        ("Số: 15/QĐ-UBND", Family.STATE, "QĐ"),
        ("123/UBND-VP", Family.STATE, "CV"),
        ("10/2022/QH15", Family.NORMATIVE, "L"),
    ],
)
def test_families_and_types(commune: Unit, number: str, family: str, doc_type: str) -> None:
    doc = register(commune, number=number, issued_on=dt.date(2022, 11, 10))
    assert (doc.family, doc.doc_type) == (family, doc_type)


def test_every_problem_at_once_and_nothing_written(commune: Unit, officer: User) -> None:
    with pytest.raises(DomainError) as exc:
        register(
            commune,
            actor=officer,
            number="15/QĐ UBND",
            issued_on=dt.date(2026, 4, 1),
            excerpt="  ",
            issuer_name="",
        )
    assert codes(exc) == {
        "number": DirectiveError.BAD_NUMBER,
        "issued_on": DirectiveError.BAD_DATE,
        "excerpt": DirectiveError.EMPTY,
        "issuer_name": DirectiveError.EMPTY,
    }
    assert "25/03/2026" in str(exc.value.problems[1].message)
    assert not Document.objects.exists()


def test_bad_party_term_and_old_date(commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        register(commune, number="20-KH/TU", party_term="2025-2027")
    assert codes(exc) == {"party_term": DirectiveError.BAD_TERM}
    with pytest.raises(DomainError) as exc:
        register(commune, number="20-KH/TU", party_term="2030-2025")
    assert codes(exc) == {"party_term": DirectiveError.BAD_TERM}
    with pytest.raises(DomainError) as exc:
        register(commune, number="20-KH/TU", party_term="2015-2020")
    assert "không thuộc nhiệm kỳ" in exc.value.message
    with pytest.raises(DomainError) as exc:
        register(commune, issued_on=dt.date(1900, 1, 1))
    assert codes(exc) == {"issued_on": DirectiveError.BAD_DATE}
    assert not Document.objects.exists()


def test_party_term_left_empty_is_derived_from_the_date(commune: Unit) -> None:
    doc = register(commune, number="20-KH/TU", party_term="", issued_on=dt.date(2025, 9, 1))
    assert doc.party_term == "2020-2025"
    with pytest.raises(DomainError) as exc:
        register(commune, number="20-KH/TU", party_term="2020-2025", issued_on=dt.date(2025, 9, 2))
    assert codes(exc) == {"number": DirectiveError.DUPLICATE}


def test_number_error_names_the_part(commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        register(commune, number="15/QĐ–UBND")
    assert "–" in exc.value.message  # the en dash is named
    assert not Document.objects.exists()


def test_normative_year_must_match(commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        register(commune, number="60/2013/NĐ-CP", issued_on=dt.date(2014, 1, 2))
    assert codes(exc) == {"issued_on": DirectiveError.BAD_DATE}


def test_excerpt_too_long(commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        register(commune, excerpt="x" * 1001)
    assert codes(exc) == {"excerpt": DirectiveError.TOO_LONG}


def test_state_duplicate_per_issuer_and_year(commune: Unit) -> None:
    first = register(commune)
    with pytest.raises(DomainError) as exc:
        register(commune, number="Số: 15/qđ-ubnd", excerpt="Khác")
    assert codes(exc) == {"number": DirectiveError.DUPLICATE}
    assert first.number in exc.value.message
    # Numbers restart each 1 January; another issuer has numbers of its own.
    register(commune, issued_on=dt.date(2025, 1, 5))
    register(commune, issuer_name="Ủy ban nhân dân tỉnh")
    assert Document.objects.count() == 3


def test_party_duplicate_per_term_tw_equals_tu(commune: Unit) -> None:
    register(
        commune,
        number="771-KH/BDVTƯ",
        issuer_name="Ban Dân vận Trung ương",
        issued_on=dt.date(2017, 3, 8),
        party_term="2016-2021",
    )
    with pytest.raises(DomainError) as exc:
        register(
            commune,
            number="771-KH/BDVTW",
            issuer_name="BAN DÂN VẬN TRUNG ƯƠNG",
            issued_on=dt.date(2018, 3, 8),
            party_term="2016-2021",
        )
    assert codes(exc) == {"number": DirectiveError.DUPLICATE}
    register(
        commune,
        number="771-KH/BDVTW",
        issuer_name="Ban Dân vận Trung ương",
        issued_on=dt.date(2022, 3, 8),
        party_term="2021-2026",
    )


def test_duplicate_in_an_ancestor_register(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    register(thai_nguyen, issuer_name="Tỉnh ủy", number="20-KH/TU", party_term="2025-2030")
    with pytest.raises(DomainError) as exc:
        register(commune, issuer_name="Tỉnh ủy", number="20-KH/TU", party_term="2025-2030")
    assert "đã có trong sổ văn bản của" in exc.value.message
    # Sibling registers do not see each other: each may record a document once.
    register(commune, number="7/KH-UBND", issuer_name="Ủy ban nhân dân tỉnh")
    register(sibling_commune, number="7/KH-UBND", issuer_name="Ủy ban nhân dân tỉnh")


def test_file_not_what_its_name_says(commune: Unit) -> None:
    fake = upload("ke-hoach.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(DomainError) as exc:
        services.document_register(actor=None, unit=commune, data=document_data(), file=fake)
    assert codes(exc) == {"file": DirectiveError.BAD_FILE}
    assert "không phải PDF như tên tệp ghi" in exc.value.message
    image = upload("anh.png", b"\x89PNG\r\n\x1a\n0000", "image/png")
    with pytest.raises(DomainError) as exc:
        services.document_register(actor=None, unit=commune, data=document_data(), file=image)
    assert "chỉ nhận tệp PDF hoặc Word" in exc.value.message
    assert not Document.objects.exists()


def test_file_stored(commune: Unit) -> None:
    doc = services.document_register(
        actor=None, unit=commune, data=document_data(), file=upload("qd.docx", state_docx())
    )
    assert doc.file_name == "qd.docx"
    assert doc.file_content_type.endswith("wordprocessingml.document")
    assert doc.file.read().startswith(b"PK")


def test_permissions(commune: Unit, sibling_officer: User, village_officer: User) -> None:
    with pytest.raises(NotFound):
        register(commune, actor=sibling_officer)
    # A village officer sees the commune (an ancestor) but may not write in its register.
    with pytest.raises(PermissionDenied):
        register(commune, actor=village_officer)
    assert not Document.objects.exists()


def test_ended_unit_is_read_only(commune: Unit, officer: User) -> None:
    doc = register(commune, actor=officer)
    Unit.objects.filter(pk=commune.pk).update(valid_to=dt.date(2026, 1, 1))
    commune.refresh_from_db()
    doc.unit.refresh_from_db()
    with pytest.raises(PermissionDenied) as exc:
        services.document_update(actor=officer, document=doc, data={"excerpt": "Sửa"})
    assert "đã kết thúc" in exc.value.message


def test_update_and_duplicate_on_update(commune: Unit, officer: User) -> None:
    first = register(commune, actor=officer)
    second = register(commune, actor=officer, number="16/QĐ-UBND")
    services.document_update(actor=officer, document=second, data={"excerpt": "Trích yếu mới"})
    second.refresh_from_db()
    assert second.excerpt == "Trích yếu mới"
    assert "trich yeu moi" in second.search_folded
    with pytest.raises(DomainError) as exc:
        services.document_update(actor=officer, document=second, data={"number": first.number})
    assert codes(exc) == {"number": DirectiveError.DUPLICATE}
    second.refresh_from_db()
    assert second.number == "16/QĐ-UBND"
    # Saving a document unchanged is not a duplicate of itself.
    services.document_update(actor=officer, document=first, data={"number": first.number})


def test_links(thai_nguyen: Unit, commune: Unit, officer: User) -> None:
    plan = register(thai_nguyen, number="20-KH/TU", issuer_name="Tỉnh ủy", party_term="2025-2030")
    local = register(commune, actor=officer, number="3/KH-UBND")
    link = services.document_link_add(
        actor=officer, source=local, target=plan, kind=LinkKind.IMPLEMENTS
    )
    assert link.target == plan
    with pytest.raises(DomainError) as exc:
        services.document_link_add(
            actor=officer, source=local, target=plan, kind=LinkKind.IMPLEMENTS
        )
    assert exc.value.code == DirectiveError.DUPLICATE_LINK
    with pytest.raises(DomainError) as exc:
        services.document_link_add(actor=officer, source=local, target=local, kind="replaces")
    assert exc.value.code == DirectiveError.BAD_LINK
    with pytest.raises(DomainError):
        services.document_link_add(actor=officer, source=local, target=plan, kind="bogus")
    services.document_link_remove(actor=officer, link=link)
    assert not DocumentLink.objects.exists()


def test_link_to_an_invisible_document(commune: Unit, sibling_commune: Unit, officer: User) -> None:
    other = register(sibling_commune)
    mine = register(commune, actor=officer)
    with pytest.raises(NotFound):
        services.document_link_add(actor=officer, source=mine, target=other, kind="implements")
    assert not DocumentLink.objects.exists()
