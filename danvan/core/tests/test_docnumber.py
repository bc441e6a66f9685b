import pytest

from danvan.core.docnumber import DocumentNumberError, parse


@pytest.mark.parametrize(
    ("text", "system", "number", "doc_type", "body", "year"),
    [
        ("15/QĐ-UBND", "state", 15, "QĐ", "UBND", None),
        ("123/KH-UBND", "state", 123, "KH", "UBND", None),
        ("123/UBND-VP", "state_letter", 123, "", "UBND-VP", None),
        ("60/2013/NĐ-CP", "normative", 60, "NĐ", "CP", 2013),
        ("05/2021/TT-TTCP", "normative", 5, "TT", "TTCP", 2021),
        ("10/2022/QH15", "law", 10, "", "QH15", 2022),
        ("20-KH/TU", "party", 20, "KH", "TU", None),
        ("771-KH/BDVTƯ", "party", 771, "KH", "BDVTƯ", None),
        (" 20 - KH / TU ", "party", 20, "KH", "TU", None),
    ],
)
def test_parses_the_three_systems(
    text: str, system: str, number: int, doc_type: str, body: str, year: int | None
) -> None:
    doc = parse(text)
    assert (doc.system, doc.number, doc.doc_type, doc.body, doc.year) == (
        system,
        number,
        doc_type,
        body,
        year,
    )


def test_tw_and_tu_compare_equal_but_what_was_written_is_kept() -> None:
    a, b = parse("771-KH/BDVTƯ"), parse("771-KH/BDVTW")
    assert a.key == b.key
    assert a.raw == "771-KH/BDVTƯ"


@pytest.mark.parametrize("text", ["", "abc", "QĐ-UBND", "0/QĐ-UBND", "15/QĐ", "15-/TU", "15/ /X"])
def test_rejects_non_numbers_with_a_vietnamese_message(text: str) -> None:
    with pytest.raises(DocumentNumberError) as exc:
        parse(text)
    assert "văn bản" in str(exc.value)


def test_unknown_codes_are_warnings_not_errors() -> None:
    doc = parse("12/XYZ-ABCD")
    assert doc.number == 12
    assert len(doc.warnings) == 2
