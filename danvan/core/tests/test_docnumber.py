import datetime as dt
import pickle
import random

import pytest

from danvan.core import docnumber
from danvan.core.docnumber import (
    MAX_LENGTH,
    PARTS,
    DocumentNumber,
    DocumentNumberError,
    diagnose,
    duplicate_key,
    parse,
    party_term,
    try_parse,
)
from danvan.core.tests.docnumber_cases import INVALID, VALID, Invalid, Valid


def test_the_table_is_large_and_covers_every_family_and_part() -> None:
    assert len(VALID) + len(INVALID) >= 80
    assert {c.system for c in VALID} == {"state", "state_letter", "normative", "law", "party"}
    assert {c.part for c in INVALID} == set(PARTS)
    assert sum(1 for c in VALID if c.text.strip().lower().startswith("số")) >= 10


@pytest.mark.parametrize("case", VALID, ids=[c.text for c in VALID])
def test_parses_real_numbers(case: Valid) -> None:
    doc = parse(case.text)
    assert (doc.raw, doc.system, doc.number, doc.doc_type, doc.body, doc.year) == (
        case.raw,
        case.system,
        case.number,
        case.doc_type,
        case.body,
        case.year,
    )


@pytest.mark.parametrize("case", INVALID, ids=[c.text or "(empty)" for c in INVALID])
def test_refuses_saying_which_part_is_wrong(case: Invalid) -> None:
    with pytest.raises(DocumentNumberError) as exc:
        parse(case.text)
    error = exc.value
    assert error.part == case.part
    assert error.message
    # The reader of refusals and the pattern agree: no refusal is left without a reason.
    assert "không nhận ra" not in error.message
    if case.part != "empty":
        assert "không phải số, ký hiệu văn bản hợp lệ" in str(error)
        assert error.message[:1].lower() + error.message[1:] in str(error)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/QĐ-UBND", "Thiếu số thứ tự trước dấu “/”"),
        ("0/QĐ-UBND", "Số thứ tự “0” không hợp lệ: phải từ 1"),
        ("15/1890/NĐ-CP", "Năm “1890” trong số hiệu văn bản quy phạm không hợp lệ"),
        ("20-KH/", "Thiếu ký hiệu cơ quan ban hành sau dấu “/”"),
        ("15#/QĐ-UBND", "Ký hiệu chứa ký tự không được phép “#”"),
        ("20/KH/TU", "Văn bản của Đảng viết số và loại bằng dấu gạch ngang: 20-KH/TU"),
        ("15/KH/UBND", "cách nhau bằng dấu gạch nối: 15/KH-UBND"),
        ("45/KH/BTGDVTU", "Văn bản của Đảng viết số và loại bằng dấu gạch ngang: 45-KH/BTGDVTU"),
        (
            "15 / QĐ-UBND",
            "không có dấu cách ở giữa (Nghị định 30/2020/NĐ-CP, Phụ lục I): “15/QĐ-UBND”",
        ),
        ("20\u2013KH/TU", "dùng dấu gạch nối “-”, không dùng “–”"),
        ("15/QĐ-UB\u200bND", "(U+200B)"),
        ("Số: 15/QĐ-UBND ngày 12/3/2025", "(“15/QĐ-UBND”), không kèm phần viết sau nó"),
        ("Số hiệu: 15/QĐ-UBND", "hãy bỏ “Số hiệu:”"),
        ("123/UBND", "công văn viết tên cơ quan rồi đơn vị soạn thảo"),
    ],
)
def test_messages_name_the_part_and_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(DocumentNumberError) as exc:
        parse(text)
    assert message.lower() in exc.value.message.lower()


def test_the_error_offers_the_allowed_shapes() -> None:
    with pytest.raises(DocumentNumberError) as exc:
        parse("abc")
    assert "15/QĐ-UBND" in exc.value.example
    assert "20-KH/TU" in exc.value.example
    assert exc.value.example in str(exc.value)
    assert exc.value.text == "abc"


def test_empty_input_says_so_plainly() -> None:
    with pytest.raises(DocumentNumberError) as exc:
        parse("")
    assert str(exc.value) == "Chưa nhập số, ký hiệu văn bản."


def test_a_refusal_survives_pickling_with_its_diagnosis() -> None:
    with pytest.raises(DocumentNumberError) as exc:
        parse("0/QĐ-UBND")
    again = pickle.loads(pickle.dumps(exc.value))  # noqa: S301 - our own object
    assert (again.part, str(again)) == (exc.value.part, str(exc.value))


def test_the_error_can_be_raised_by_hand_too() -> None:
    error = DocumentNumberError("Số thứ tự đã dùng.", part="number", text="15/QĐ-UBND")
    assert (error.part, error.message, error.text) == ("number", "Số thứ tự đã dùng.", "15/QĐ-UBND")
    assert "“15/QĐ-UBND” không phải số, ký hiệu văn bản hợp lệ" in str(error)


def test_length_is_held_to_the_narrowest_column() -> None:
    head = "12345/2024/TTLT-"
    body = "-".join(["ABCDEFGHIJKL"] * 4)
    exact = head + body[: MAX_LENGTH - len(head)]
    assert len(exact) == MAX_LENGTH
    assert parse(exact).raw == exact
    assert parse(f"Số: {exact}").raw == exact  # the label does not count
    too_long = head + body[: MAX_LENGTH - len(head) + 1]
    with pytest.raises(DocumentNumberError) as exc:
        parse(too_long)
    assert exc.value.part == "length"


def test_raw_is_stored_nfc_and_exactly_as_written() -> None:
    doc = parse("Số: 771-KH/BDVT" + "U\u031b")
    assert doc.raw == "771-KH/BDVTƯ"
    assert parse("15/qđ-ubnd").raw == "15/qđ-ubnd"


def test_the_characters_the_pattern_admits_are_their_own_nfc_form() -> None:
    # try_parse and parse skip NFC for a text that matches as given: that holds only while
    # no admitted character is a combining mark and each one in the number is NFC-stable.
    import re
    import unicodedata

    ranges = [(ord(a), ord(b)) for a, b in re.findall(r"(.)-(.)", docnumber._LETTER)]
    assert len(ranges) == 6  # A-Z, a-z, three Latin ranges and the Vietnamese block
    ranges.append((ord("0"), ord("9")))
    for low, high in ranges:
        for code in range(low, high + 1):
            char = chr(code)
            assert unicodedata.normalize("NFC", char) == char, hex(code)
            assert not unicodedata.combining(char), hex(code)
    # White space is admitted only around the number (label, ends): never a combining mark.
    for code in range(0x300, 0x370):
        assert docnumber._PATTERN.match(f"15/Q{chr(code)}Đ-UBND") is None


@pytest.mark.parametrize("case", VALID, ids=[c.text for c in VALID])
def test_try_parse_answers_as_parse_on_valid_numbers(case: Valid) -> None:
    doc = try_parse(case.text)
    assert doc is not None
    assert doc == parse(case.text)
    assert doc.raw == case.raw


@pytest.mark.parametrize("case", INVALID, ids=[c.text or "(empty)" for c in INVALID])
def test_try_parse_gives_none_and_diagnose_the_reason(case: Invalid) -> None:
    assert try_parse(case.text) is None
    assert diagnose(case.text).part == case.part


def test_a_decomposed_text_is_parsed_after_nfc() -> None:
    decomposed = "So\u0302\u0301: 15/Q\u0110-UBND"  # "Số" typed with combining accents
    assert try_parse(decomposed) is not None
    assert parse(decomposed).raw == "15/QĐ-UBND"
    assert try_parse("15/QD\u0309-UBND") is None  # an accent the number cannot take


def test_tw_and_tu_compare_equal_but_what_was_written_is_kept() -> None:
    a, b = parse("771-KH/BDVTƯ"), parse("771-KH/BDVTW")
    assert a.key == b.key
    assert a.raw == "771-KH/BDVTƯ"
    assert parse("Số 20-KH/TU").key == parse("20-KH/TU").key


def test_unknown_codes_are_warnings_not_errors() -> None:
    doc = parse("12/XYZ-ABCD")
    assert doc.number == 12
    assert len(doc.warnings) == 2
    assert parse("15/QĐ-UBND").warnings == ()


def test_a_code_typed_without_its_stroke_is_pointed_out() -> None:
    (warning,) = parse("15/QD-UBND").warnings
    assert "“QD”" in warning
    assert "“QĐ”" in warning


def test_the_result_is_a_value() -> None:
    a, b = parse("Số: 15/QĐ-UBND"), parse("15/QĐ-UBND")
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != parse("16/QĐ-UBND")
    assert pickle.loads(pickle.dumps(a)) == a  # noqa: S301 - our own object
    assert "raw='15/QĐ-UBND'" in repr(a)
    assert isinstance(a, DocumentNumber)
    with pytest.raises(AttributeError):
        a.raw = "16/QĐ-UBND"  # type: ignore[misc]


def test_parse_reads_every_call_afresh() -> None:
    # No cache: the same text twice gives equal but separate results.
    assert parse("15/QĐ-UBND") is not parse("15/QĐ-UBND")


# --------------------------------------------------------------------------- duplicate keys

DAY = dt.date(2025, 11, 3)


def key(text: str, on: dt.date = DAY, term: str | None = None) -> str:
    return duplicate_key(parse(text), issued_on=on, term=term)


def test_state_numbers_restart_every_year() -> None:
    assert key("15/QĐ-UBND", dt.date(2025, 3, 1)) == key("Số: 15/QĐ-UBND", dt.date(2025, 12, 31))
    assert key("15/QĐ-UBND", dt.date(2025, 12, 31)) != key("15/QĐ-UBND", dt.date(2026, 1, 1))
    assert key("123/UBND-VP", dt.date(2024, 5, 1)) != key("123/UBND-VP", dt.date(2025, 5, 1))
    assert key("15/QĐ-UBND") != key("15/KH-UBND")


def test_normative_numbers_carry_their_year() -> None:
    assert key("60/2013/NĐ-CP", dt.date(2013, 5, 1)) == key("60/2013/NĐ-CP", dt.date(2014, 1, 2))
    assert key("60/2013/NĐ-CP") != key("60/2014/NĐ-CP")
    assert key("10/2022/QH15") == "10/2022/QH15"


def test_party_numbers_restart_per_term() -> None:
    assert key("20-KH/TU", term="2020-2025") != key("20-KH/TU", term="2025-2030")
    assert key("20-KH/TU", dt.date(2026, 1, 5), "2025-2030") == key(
        "Số 20-KH/TU", dt.date(2029, 6, 1), "2025-2030"
    )
    # Per type: the type is part of the number.
    assert key("20-KH/TU", term="2025-2030") != key("20-NQ/TU", term="2025-2030")
    # Without a recorded term, the default is derived from the date of issue.
    assert key("20-KH/TU", dt.date(2026, 1, 5)) == key("20-KH/TU", term="2025-2030")
    assert key("20-KH/TU", dt.date(2024, 1, 5)) == key("20-KH/TU", term="2020-2025")


def test_tw_and_tu_are_one_in_the_key() -> None:
    assert key("771-KH/BDVTƯ") == key("771-KH/BDVTW")
    assert key("399-QĐ/TW") == key("399-QĐ/TƯ")


def test_stroke_dropped_by_the_keyboard_is_restored_only_where_unambiguous() -> None:
    # QĐ, HĐND, ĐU exist; QD, HDND, DU do not: the same document typed on a failing keyboard.
    assert key("15/QD-UBND") == key("15/QĐ-UBND")
    assert key("25/NQ-HDND") == key("25/NQ-HĐND")
    assert key("05-NQ/DU") == key("05-NQ/ĐU")
    # Đề án (ĐA) and dự án (DA), hợp đồng (HĐ) and hướng dẫn (HD) are different documents.
    assert key("07/ĐA-UBND") != key("07/DA-UBND")
    assert key("07/HĐ-UBND") != key("07/HD-UBND")
    # What is stored is still what was written.
    assert parse("15/QD-UBND").raw == "15/QD-UBND"


def test_a_malformed_term_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="2025-2030"):
        key("20-KH/TU", term="2025")
    with pytest.raises(ValueError, match="2025-2030"):
        key("20-KH/TU", term="2030-2025")


@pytest.mark.parametrize(
    ("on", "term"),
    [
        (dt.date(2020, 9, 30), "2015-2020"),
        (dt.date(2020, 10, 1), "2020-2025"),
        (dt.date(2023, 6, 15), "2020-2025"),
        (dt.date(2025, 9, 30), "2020-2025"),
        (dt.date(2025, 10, 1), "2025-2030"),
        (dt.date(2026, 1, 9), "2025-2030"),
        (dt.date(2030, 12, 31), "2030-2035"),
    ],
)
def test_default_party_term(on: dt.date, term: str) -> None:
    assert party_term(on) == term


# --------------------------------------------------------------------------- agreement


def _mutations(seed: int, count: int) -> list[str]:
    """Near misses of real numbers: one character inserted, deleted or replaced."""
    rng = random.Random(seed)
    alphabet = "0123456789/-. :QĐUBNDKHTƯWSốo#–\u00a0"
    sources = [c.text for c in VALID]
    found = []
    for _ in range(count):
        text = rng.choice(sources)
        i = rng.randrange(len(text) + 1)
        op = rng.randrange(3)
        if op == 0:
            text = text[:i] + rng.choice(alphabet) + text[i:]
        elif op == 1:
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + rng.choice(alphabet) + text[i + 1 :]
        found.append(text)
    return found


def test_every_refusal_has_a_reason_and_every_acceptance_fits() -> None:
    wrong = []
    for text in _mutations(seed=12, count=3000):
        try:
            doc = parse(text)
        except DocumentNumberError as exc:
            if exc.part not in PARTS or "không nhận ra" in exc.message:
                wrong.append((text, exc.part, exc.message))
        else:
            if not (0 < len(doc.raw) <= MAX_LENGTH) or " " in doc.raw or doc.number < 1:
                wrong.append((text, doc.system, doc.raw))
    assert wrong == []


def test_public_names_are_kept() -> None:
    for name in ("parse", "DocumentNumber", "DocumentNumberError", "normalize"):
        assert hasattr(docnumber, name)
    assert "QĐ" in docnumber.KNOWN_TYPES
    assert "UBND" in docnumber.KNOWN_BODY_PREFIXES
    assert docnumber.normalize(" 771-kh/bdvtư ") == "771-KH/BDVTW"
