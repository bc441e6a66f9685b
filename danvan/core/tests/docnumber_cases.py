"""Real-shaped document numbers for the parser's table-driven tests (domain.md §6).

Numbers are as found on documents of the three families: State administrative documents and
official letters (Decree 30/2020/NĐ-CP), legal normative documents and laws, Party documents.
"""

from __future__ import annotations

from typing import NamedTuple


class Valid(NamedTuple):
    text: str  # as pasted
    raw: str  # the number alone, as it must be stored
    system: str
    number: int
    doc_type: str
    body: str
    year: int | None = None


class Invalid(NamedTuple):
    text: str
    part: str


NFD_TU = "T" + "U\u031b"  # "TƯ" as some word processors store it: U and a combining horn

VALID: list[Valid] = [
    # State administrative (Decree 30/2020, art. 8 and Appendix III).
    Valid("15/QĐ-UBND", "15/QĐ-UBND", "state", 15, "QĐ", "UBND"),
    Valid("123/KH-UBND", "123/KH-UBND", "state", 123, "KH", "UBND"),
    Valid("45/BC-UBND", "45/BC-UBND", "state", 45, "BC", "UBND"),
    Valid("12/TB-UBND", "12/TB-UBND", "state", 12, "TB", "UBND"),
    Valid("08/CT-UBND", "08/CT-UBND", "state", 8, "CT", "UBND"),
    Valid("156/TTr-SNV", "156/TTr-SNV", "state", 156, "TTr", "SNV"),
    Valid("25/NQ-HĐND", "25/NQ-HĐND", "state", 25, "NQ", "HĐND"),
    Valid("1095/QĐ-BCĐ", "1095/QĐ-BCĐ", "state", 1095, "QĐ", "BCĐ"),
    Valid("03/HD-BCĐ", "03/HD-BCĐ", "state", 3, "HD", "BCĐ"),
    Valid("33/PA-UBND", "33/PA-UBND", "state", 33, "PA", "UBND"),
    Valid("07/ĐA-UBND", "07/ĐA-UBND", "state", 7, "ĐA", "UBND"),
    Valid("15/GM-UBND", "15/GM-UBND", "state", 15, "GM", "UBND"),
    Valid("18/BB-UBND", "18/BB-UBND", "state", 18, "BB", "UBND"),
    Valid("1719/QĐ-TTg", "1719/QĐ-TTg", "state", 1719, "QĐ", "TTg"),
    Valid("22/CT-TTg", "22/CT-TTg", "state", 22, "CT", "TTg"),
    Valid("301/QĐ-UBMTTQ", "301/QĐ-UBMTTQ", "state", 301, "QĐ", "UBMTTQ"),
    Valid("1234/QĐ-UBND.KGVX", "1234/QĐ-UBND.KGVX", "state", 1234, "QĐ", "UBND.KGVX"),
    Valid("9/KH-BCĐ", "9/KH-BCĐ", "state", 9, "KH", "BCĐ"),
    Valid("88/QĐ-SNV", "88/QĐ-SNV", "state", 88, "QĐ", "SNV"),
    # The label as printed on a State document, as officers paste it.
    Valid("Số: 15/QĐ-UBND", "15/QĐ-UBND", "state", 15, "QĐ", "UBND"),
    Valid("Số: 2345/QĐ-UBND", "2345/QĐ-UBND", "state", 2345, "QĐ", "UBND"),
    Valid("Số:\u00a0301/QĐ-UBND", "301/QĐ-UBND", "state", 301, "QĐ", "UBND"),
    Valid("số: 42/BC-UBND", "42/BC-UBND", "state", 42, "BC", "UBND"),
    Valid("SỐ: 19/TB-UBND", "19/TB-UBND", "state", 19, "TB", "UBND"),
    Valid("Số : 76/KH-UBND", "76/KH-UBND", "state", 76, "KH", "UBND"),
    Valid("Số:76/KH-UBND", "76/KH-UBND", "state", 76, "KH", "UBND"),
    Valid("  Số: 15/QĐ-UBND.  ", "15/QĐ-UBND", "state", 15, "QĐ", "UBND"),
    Valid("So: 55/QĐ-UBND", "55/QĐ-UBND", "state", 55, "QĐ", "UBND"),
    Valid("So\u0302\u0301: 56/QĐ-UBND", "56/QĐ-UBND", "state", 56, "QĐ", "UBND"),  # "Số" in NFD
    Valid("\t15/QĐ-UBND\n", "15/QĐ-UBND", "state", 15, "QĐ", "UBND"),
    # Typed without the stroke when the Vietnamese keyboard is off: kept as written.
    Valid("15/QD-UBND", "15/QD-UBND", "state", 15, "QD", "UBND"),
    # Official letters (công văn): no type, the issuing body then the drafting unit.
    Valid("123/UBND-VP", "123/UBND-VP", "state_letter", 123, "", "UBND-VP"),
    Valid("Số: 2456/UBND-KT", "2456/UBND-KT", "state_letter", 2456, "", "UBND-KT"),
    Valid("567/SNV-CCVC", "567/SNV-CCVC", "state_letter", 567, "", "SNV-CCVC"),
    Valid("89/UBMTTQ-BTT", "89/UBMTTQ-BTT", "state_letter", 89, "", "UBMTTQ-BTT"),
    Valid("1021/VPCP-KGVX", "1021/VPCP-KGVX", "state_letter", 1021, "", "VPCP-KGVX"),
    Valid("345/SYT-NVY", "345/SYT-NVY", "state_letter", 345, "", "SYT-NVY"),
    # Legal normative documents: the year is part of the number.
    Valid("60/2013/NĐ-CP", "60/2013/NĐ-CP", "normative", 60, "NĐ", "CP", 2013),
    Valid("05/2021/TT-TTCP", "05/2021/TT-TTCP", "normative", 5, "TT", "TTCP", 2021),
    Valid("59/2023/NĐ-CP", "59/2023/NĐ-CP", "normative", 59, "NĐ", "CP", 2023),
    Valid("61/2023/NĐ-CP", "61/2023/NĐ-CP", "normative", 61, "NĐ", "CP", 2023),
    Valid("30/2020/NĐ-CP", "30/2020/NĐ-CP", "normative", 30, "NĐ", "CP", 2020),
    Valid("04/2023/TT-BNV", "04/2023/TT-BNV", "normative", 4, "TT", "BNV", 2023),
    Valid("12/2025/NQ-HĐND", "12/2025/NQ-HĐND", "normative", 12, "NQ", "HĐND", 2025),
    Valid("01/2020/TTLT-BTP-BNV", "01/2020/TTLT-BTP-BNV", "normative", 1, "TTLT", "BTP-BNV", 2020),
    Valid(
        "09/2008/NQLT-CP-UBTƯMTTQVN",
        "09/2008/NQLT-CP-UBTƯMTTQVN",
        "normative",
        9,
        "NQLT",
        "CP-UBTƯMTTQVN",
        2008,
    ),
    Valid(
        "03/2019/TTLT-BTC-BNV-BLĐTBXH",
        "03/2019/TTLT-BTC-BNV-BLĐTBXH",
        "normative",
        3,
        "TTLT",
        "BTC-BNV-BLĐTBXH",
        2019,
    ),
    Valid("Số: 15/2024/QĐ-UBND", "15/2024/QĐ-UBND", "normative", 15, "QĐ", "UBND", 2024),
    Valid("Số: 26/2024/QĐ-TTg", "26/2024/QĐ-TTg", "normative", 26, "QĐ", "TTg", 2024),
    Valid("Số: 18/2023/NĐ-CP.", "18/2023/NĐ-CP", "normative", 18, "NĐ", "CP", 2023),
    Valid("35/2023/UBTVQH15", "35/2023/UBTVQH15", "normative", 35, "", "UBTVQH15", 2023),
    # Laws of the National Assembly.
    Valid("10/2022/QH15", "10/2022/QH15", "law", 10, "", "QH15", 2022),
    Valid("Số: 10/2022/QH15", "10/2022/QH15", "law", 10, "", "QH15", 2022),
    Valid("25/2018/QH14", "25/2018/QH14", "law", 25, "", "QH14", 2018),
    Valid("02/2011/QH13", "02/2011/QH13", "law", 2, "", "QH13", 2011),
    Valid("42/2024/QH15", "42/2024/QH15", "law", 42, "", "QH15", 2024),
    # Party documents: number, hyphen, type, slash, issuing body; "Số" without a colon.
    Valid("20-KH/TU", "20-KH/TU", "party", 20, "KH", "TU"),
    Valid("771-KH/BDVTƯ", "771-KH/BDVTƯ", "party", 771, "KH", "BDVTƯ"),
    Valid("771-KH/BDVTW", "771-KH/BDVTW", "party", 771, "KH", "BDVTW"),
    Valid("05-NQ/ĐU", "05-NQ/ĐU", "party", 5, "NQ", "ĐU"),
    Valid("399-QĐ/TW", "399-QĐ/TW", "party", 399, "QĐ", "TW"),
    Valid("05-HD/VPTW", "05-HD/VPTW", "party", 5, "HD", "VPTW"),
    Valid("66-QĐ/TW", "66-QĐ/TW", "party", 66, "QĐ", "TW"),
    Valid("36-HD/VPTW", "36-HD/VPTW", "party", 36, "HD", "VPTW"),
    Valid("23-CT/TW", "23-CT/TW", "party", 23, "CT", "TW"),
    Valid("08-QĐi/TW", "08-QĐi/TW", "party", 8, "QĐi", "TW"),
    Valid("120-KL/TW", "120-KL/TW", "party", 120, "KL", "TW"),
    Valid("19-NQ/TW", "19-NQ/TW", "party", 19, "NQ", "TW"),
    Valid("12-TB/QU", "12-TB/QU", "party", 12, "TB", "QU"),
    Valid("45-KH/BTGDVTU", "45-KH/BTGDVTU", "party", 45, "KH", "BTGDVTU"),
    Valid("Số 20-KH/TU", "20-KH/TU", "party", 20, "KH", "TU"),
    Valid("Số 05-NQ/ĐU", "05-NQ/ĐU", "party", 5, "NQ", "ĐU"),
    Valid("số 1211-CV/TU", "1211-CV/TU", "party", 1211, "CV", "TU"),
    Valid("Số 05-BC/HU", "05-BC/HU", "party", 5, "BC", "HU"),
    Valid("Số 18-CTr/TU", "18-CTr/TU", "party", 18, "CTr", "TU"),
    Valid("  Số   771-KH/BDVTƯ  ", "771-KH/BDVTƯ", "party", 771, "KH", "BDVTƯ"),
    Valid(f"771-KH/BDV{NFD_TU}", "771-KH/BDVTƯ", "party", 771, "KH", "BDVTƯ"),
]

INVALID: list[Invalid] = [
    Invalid("", "empty"),
    Invalid("   ", "empty"),
    # The label: only "Số:" / "Số", once.
    Invalid("Số::15/QĐ-UBND", "label"),
    Invalid("Số hiệu: 15/QĐ-UBND", "label"),
    Invalid("Ký hiệu: 20-KH/TU", "label"),
    # Text pasted after the number.
    Invalid("Số: 15/QĐ-UBND ngày 12/3/2025", "trailing"),
    Invalid("Số 20-KH/TU, ngày 05 tháng 3 năm 2025", "trailing"),
    Invalid("15/QĐ-UBND (bản sao)", "trailing"),
    # Spaces inside (Decree 30/2020 writes a number-symbol without them).
    Invalid("15 / QĐ-UBND", "spaces"),
    Invalid(" 20 - KH / TU ", "spaces"),
    Invalid("15/QĐ - UBND", "spaces"),
    Invalid("15/ /X", "spaces"),
    # Characters that have no place in a number.
    Invalid("15#/QĐ-UBND", "characters"),
    Invalid("15/QĐ-UB_ND", "characters"),
    Invalid("15/QĐ-UB\u200bND", "characters"),
    Invalid("15/QĐ-UBND(HC)", "characters"),
    # The sequence number.
    Invalid("Số:", "number"),
    Invalid("abc", "number"),
    Invalid("QĐ-UBND", "number"),
    Invalid("QĐ số 5", "number"),
    Invalid("/QĐ-UBND", "number"),
    Invalid("Số: /KH-UBND", "number"),
    Invalid("0/QĐ-UBND", "number"),
    Invalid("00-KH/TU", "number"),
    Invalid("123456/QĐ-UBND", "number"),
    Invalid("0005/QĐ-UBND", "number"),
    # The separators.
    Invalid("15", "separator"),
    Invalid("số 5", "separator"),
    Invalid("15QĐ-UBND", "separator"),
    Invalid("15.QĐ-UBND", "separator"),
    Invalid("20/KH/TU", "separator"),
    Invalid("15/KH/UBND", "separator"),
    Invalid("20-KH-TU", "separator"),
    Invalid("15//QĐ-UBND", "separator"),
    Invalid("15/QĐ.UBND", "separator"),
    Invalid("20-KH/TU/2024", "separator"),
    Invalid("20\u2013KH/TU", "separator"),
    Invalid("15\\QĐ-UBND", "separator"),
    Invalid("60/2013NĐ-CP", "separator"),
    # The year of a normative document.
    Invalid("15/1890/NĐ-CP", "year"),
    Invalid("60/213/NĐ-CP", "year"),
    Invalid("60/2213/NĐ-CP", "year"),
    # The type.
    Invalid("15-/TU", "type"),
    Invalid("15/-UBND", "type"),
    Invalid("15/", "type"),
    Invalid("15/QĐ1-UBND", "type"),
    Invalid("20-NGHIQUYET/TU", "type"),
    Invalid("60/2013/-CP", "type"),
    # The issuing body.
    Invalid("15/QĐ", "body"),
    Invalid("123/UBND", "body"),
    Invalid("20-KH/", "body"),
    Invalid("20-KH", "body"),
    Invalid("15/QĐ-", "body"),
    Invalid("15/QĐ-UBND-", "body"),
    Invalid("15/QĐ--UBND", "body"),
    Invalid("10/2022/QH150", "body"),
    Invalid("15/QĐ-UBNDTINHTHAINGUYEN", "body"),
    Invalid("15/QĐ-UBND-VP-KT-TH-HC", "body"),
    # Longer than the narrowest column that stores a number (60).
    Invalid("Số: 01/2024/TTLT-BLĐTBXHTWVN-BNNPTNTTWVN-BVHTTDLTWVN-BTNMTTWVNAMX", "length"),
]
