"""Vietnamese document numbers (số, ký hiệu văn bản): parse, validate, compare.

Shapes (domain.md §6):
- State administrative (Decree 30/2020/NĐ-CP, art. 8 and Appendix I): ``15/QĐ-UBND``,
  ``123/KH-UBND``; an official letter has no type: ``123/UBND-VP``. Numbers restart each 1 January.
- Legal normative documents: ``60/2013/NĐ-CP``, ``05/2021/TT-TTCP``, laws ``10/2022/QH15``.
- Party documents (Guidance 36-HD/VPTW): ``20-KH/TU``, ``771-KH/BDVTƯ``: number, hyphen,
  type, slash, issuing body. ``TW`` and ``TƯ`` are compared as equal; what was written is kept.
Unknown type or body codes are warnings, not errors: the lists change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Document type abbreviations (Decree 30/2020 Appendix III; Party Guidance 36-HD/VPTW).
KNOWN_TYPES = frozenset(
    {
        "NQ", "QĐ", "CT", "QC", "QYĐ", "TC", "HD", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr",
        "HĐ", "CV", "CĐ", "TB", "GM", "GGT", "GUQ", "GXN", "PC", "PB", "TT", "NĐ", "L", "KL",
        "TTLT", "NQLT", "GK", "BK", "CTr", "TTg", "PL", "PH", "BTT", "DS", "KN",
    }
)  # fmt: skip
# Issuing bodies seen often; anything else is accepted with a warning.
KNOWN_BODY_PREFIXES = (
    "UBND", "HĐND", "TU", "TW", "TƯ", "BDV", "BTGDV", "BTG", "BTC", "UBKT", "MTTQ", "VPTW",
    "VPTƯ", "ĐU", "HU", "QU", "TTCP", "CP", "QH", "TTg", "BCĐ", "BNV", "SNV", "TTr", "VP",
    "BCH", "UBMTTQ", "HND", "HLHPN", "TĐ", "ĐTN", "HCCB", "LĐLĐ", "BQP", "BCA",
)  # fmt: skip

_STATE = re.compile(r"^(?P<number>\d{1,6})/(?P<type>[^\W\d_]{1,6})-(?P<body>[\w.-]{1,40})$")
_LETTER = re.compile(r"^(?P<number>\d{1,6})/(?P<body>[^\W\d_][\w]*-[\w.-]{1,40})$")
_NORMATIVE = re.compile(
    r"^(?P<number>\d{1,6})/(?P<year>(19|20)\d{2})/(?P<type>[^\W\d_]{1,6})(?:-(?P<body>[\w.-]{1,40}))?$"
)
_LAW = re.compile(r"^(?P<number>\d{1,6})/(?P<year>(19|20)\d{2})/(?P<body>QH\d{1,2})$")
_PARTY = re.compile(r"^(?P<number>\d{1,6})-(?P<type>[^\W\d_]{1,6})/(?P<body>[\w.-]{1,40})$")


class DocumentNumberError(ValueError):
    """The text is not a document number; the message is Vietnamese."""


@dataclass(frozen=True)
class DocumentNumber:
    raw: str
    system: str  # "state" | "state_letter" | "normative" | "law" | "party"
    number: int
    doc_type: str = ""
    body: str = ""
    year: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """A comparison key: TƯ and TW equal, Unicode normalized, upper-case."""
        return normalize(self.raw)


def normalize(text: str) -> str:
    value = unicodedata.normalize("NFC", text.strip()).upper().replace(" ", "")
    return value.replace("TƯ", "TW")


def _is_letter_head(head: str) -> bool:
    """True when what stands where a type would is an issuing body (an official letter)."""
    return head not in KNOWN_TYPES and head.upper() in {p.upper() for p in KNOWN_BODY_PREFIXES}


def parse(text: str) -> DocumentNumber:
    """Parse *text*; raise DocumentNumberError with a Vietnamese message if it is not one."""
    raw = unicodedata.normalize("NFC", (text or "").strip())
    compact = re.sub(r"\s*([/-])\s*", r"\1", raw)
    if not compact:
        raise DocumentNumberError(_("Chưa nhập số, ký hiệu văn bản."))
    found: DocumentNumber | None = None
    if m := _LAW.match(compact):
        found = DocumentNumber(compact, "law", int(m["number"]), "", m["body"], int(m["year"]))
    elif m := _NORMATIVE.match(compact):
        found = DocumentNumber(
            compact, "normative", int(m["number"]), m["type"], m["body"] or "", int(m["year"])
        )
    elif m := _PARTY.match(compact):
        found = DocumentNumber(compact, "party", int(m["number"]), m["type"], m["body"])
    elif (m := _STATE.match(compact)) and not _is_letter_head(m["type"]):
        found = DocumentNumber(compact, "state", int(m["number"]), m["type"], m["body"])
    elif m := _LETTER.match(compact):
        # An official letter (công văn) has no type: number/BODY-UNIT, e.g. 123/UBND-VP.
        found = DocumentNumber(compact, "state_letter", int(m["number"]), "", m["body"])
    if found is None or found.number == 0:
        raise DocumentNumberError(
            _(
                "“%(text)s” không phải số, ký hiệu văn bản hợp lệ. Ví dụ: 15/QĐ-UBND,"
                " 20-KH/TU, 60/2013/NĐ-CP."
            )
            % {"text": raw}
        )
    warnings: list[str] = []
    if found.doc_type and found.doc_type not in KNOWN_TYPES:
        warnings.append(_("Loại văn bản “%(t)s” chưa có trong danh mục.") % {"t": found.doc_type})
    body_head = re.split(r"[-/.]", found.body)[0] if found.body else ""
    if body_head and not body_head.upper().startswith(
        tuple(p.upper() for p in KNOWN_BODY_PREFIXES)
    ):
        warnings.append(_("Cơ quan ban hành “%(b)s” chưa có trong danh mục.") % {"b": found.body})
    return DocumentNumber(
        found.raw,
        found.system,
        found.number,
        found.doc_type,
        found.body,
        found.year,
        tuple(warnings),
    )
