"""Vietnamese document numbers (số, ký hiệu văn bản): parse, validate, compare.

Shapes (domain.md §6):
- State administrative (Decree 30/2020/NĐ-CP, art. 8 and Appendix I): ``15/QĐ-UBND``,
  ``123/KH-UBND``; an official letter has no type: ``123/UBND-VP``. Numbers restart each 1 January.
- Legal normative documents: ``60/2013/NĐ-CP``, ``05/2021/TT-TTCP``, joint circulars
  ``01/2020/TTLT-BTP-BNV``, laws ``10/2022/QH15``, ordinances and resolutions of the National
  Assembly's Standing Committee ``02/2022/UBTVQH15``: the year is part of the number.
- Party documents (Regulation 399-QĐ/TW; earlier 66-QĐ/TW and Guidance 36-HD/VPTW): ``20-KH/TU``,
  ``771-KH/BDVTƯ``: number, hyphen, type, slash, issuing body. Numbering restarts per type per
  Party-committee term. ``TW`` and ``TƯ`` are compared as equal; what was written is kept.

What ``parse`` accepts, beyond the bare number:
- the label printed before it on the document, as officers paste it: ``Số: 15/QĐ-UBND`` (State,
  with a colon), ``Số 20-KH/TU`` (Party, without); any case (``số``, ``SỐ``), ``So`` typed without
  the accent when the Vietnamese keyboard is off, spaces (including no-break spaces) around it;
- white space around the whole and one full stop at its end (the end of the pasted sentence).
``raw`` is the number alone, NFC-normalised, exactly as written otherwise.

What it refuses, saying which part is wrong (``DocumentNumberError.part``):
- spaces inside the number (Decree 30/2020 writes a number-symbol without spaces: ``15 / QĐ-UBND``
  is refused with the compact form in the message, never silently compacted, so that what is
  stored is what the document says); text after the number such as ``ngày 12/3/2025``;
- characters other than letters, digits, ``/``, ``-`` and ``.`` (an en dash ``–`` from a word
  processor is named as such); a number that is missing, ``0`` or longer than 5 digits (one or
  two leading zeros are written under 10 or 100: ``05-NQ/ĐU``); a year outside 1900–2099 in a
  normative number; a missing or malformed type or issuing body; anything longer than
  ``MAX_LENGTH`` characters (what the narrowest column storing a number holds).
Unknown type or body codes are warnings, not errors: the lists change (domain.md §6).

Speed (issue 12 asks for at least 500,000 numbers a second on one core, see
``bench/docnumber.py``): one compiled regular expression decides validity; the result keeps the
match and reads its fields on access; a refusal raises an exception whose Vietnamese diagnosis
(which part, what is allowed) is worked out only when someone reads it. Nothing is cached across
calls. ``try_parse`` answers None instead of raising, for callers to whom a refusal is no news
(numbers looked for in a text, a key looked up); ``diagnose`` then says why. A text that matches
as given is not normalised (it is NFC already, see ``try_parse``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

__all__ = [
    "KNOWN_BODY_PREFIXES",
    "KNOWN_TYPES",
    "MAX_LENGTH",
    "PARTS",
    "DocumentNumber",
    "DocumentNumberError",
    "diagnose",
    "duplicate_key",
    "normalize",
    "parse",
    "party_term",
    "try_parse",
]

# Document type abbreviations (Decree 30/2020 Appendix III; Party Regulation 66-QĐ/TW and
# Guidance 36-HD/VPTW, "QĐi" being the Party's "quy định" in numbers of those years).
KNOWN_TYPES = frozenset(
    {
        "NQ", "QĐ", "CT", "QC", "QYĐ", "QyĐ", "QĐi", "TC", "HD", "KH", "PA", "ĐA", "DA", "BC",
        "BB", "TTr", "HĐ", "CV", "CĐ", "TB", "GM", "GGT", "GUQ", "GXN", "GN", "TTh", "NP", "PG",
        "PC", "PB", "TT", "NĐ", "L", "KL", "TTLT", "NQLT", "GK", "BK", "CTr", "TTg", "PL", "PH",
        "BTT", "DS", "KN",
    }
)  # fmt: skip
# Issuing bodies seen often; anything else is accepted with a warning.
KNOWN_BODY_PREFIXES = (
    "UBND", "HĐND", "TU", "TW", "TƯ", "BDV", "BTGDV", "BTG", "BTC", "UBKT", "MTTQ", "VPTW",
    "VPTƯ", "ĐU", "HU", "QU", "TTCP", "CP", "QH", "TTg", "BCĐ", "BNV", "SNV", "TTr", "VP",
    "BCH", "UBMTTQ", "HND", "HLHPN", "TĐ", "ĐTN", "HCCB", "LĐLĐ", "BQP", "BCA", "BTP",
    "VPCP", "UBTVQH", "UBTƯMTTQVN", "MTTQVN", "BYT", "BGDĐT", "BLĐTBXH", "BTNMT", "BNNPTNT",
    "BKHĐT", "BVHTTDL", "BTTTT", "BXD", "BCT", "BGTVT", "NHNN", "KTNN", "SYT", "STC", "STP",
    "SGDĐT", "SXD", "STNMT", "SNNPTNT", "SKHĐT", "SVHTTDL", "SLĐTBXH",
)  # fmt: skip

# The longest number-symbol accepted: the narrowest column that stores one holds 60.
MAX_LENGTH = 60
# What ``DocumentNumberError.part`` may say, in the order a number is read.
PARTS = (
    "empty",  # nothing typed
    "label",  # the "Số:" label is not one we accept
    "trailing",  # text after the number, e.g. "ngày 12/3/2025"
    "spaces",  # a space inside the number
    "characters",  # a character that has no place in a number-symbol
    "length",  # longer than MAX_LENGTH
    "number",  # the sequence number
    "separator",  # "/" or "-" missing, doubled or of the wrong kind
    "year",  # the year of a normative document
    "type",  # the document type code (QĐ, KH, …)
    "body",  # the issuing body code (UBND, TU, …)
)
_PARTS_WITH_EXAMPLE = frozenset({"label", "characters", "length", "number"})
_SHAPES = "15/QĐ-UBND, 123/UBND-VP, 60/2013/NĐ-CP, 10/2022/QH15, 20-KH/TU"

# Letters as Vietnamese writes them in codes: ASCII plus the Latin-1 and Latin Extended letters
# (Đ, Ư, Ơ, Â …) and the precomposed Vietnamese block. Explicit ranges rather than the Unicode
# class [^\W\d_]: a faster match (bench/docnumber.py), and a letter of another script in a
# code is refused as a stray character.
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
# Bounds on each part; the whole is held to MAX_LENGTH by ``parse`` itself.
_NUMBER_RE = "0{0,2}[1-9][0-9]{0,4}"  # 1 to 99999, written with at most two leading zeros
_TYPE_MAX = 5  # the longest known type code has 4 letters (TTLT, NQLT)
_TYPE_RE = f"[{_LETTER}]{{1,{_TYPE_MAX}}}+"
# In a State number the code after "/" is the type, or in an official letter the issuing body,
# which may be longer (123/UBMTTQ-BTT).
_HEAD_MAX = 12
_HEAD_RE = f"[{_LETTER}]{{1,{_HEAD_MAX}}}+"
# An issuing body: up to four codes joined by "-" or "." (01/2020/TTLT-BTC-BNV-BLĐTBXH,
# 09/2008/NQLT-CP-UBTƯMTTQVN, 123/UBND-VP.KT).
_SEGMENT_MAX, _SEGMENTS_MAX = 12, 4
_SEGMENT_RE = f"[0-9{_LETTER}]{{1,{_SEGMENT_MAX}}}+"
_BODY_RE = f"{_SEGMENT_RE}(?:[.-]{_SEGMENT_RE}){{0,{_SEGMENTS_MAX - 1}}}+"
# Possessive quantifiers (*+, {m,n}+): no part can give characters back to the next (the
# classes do not overlap the separators), so they change no answer and spare the backtracking.
_LABEL_RE = r"\s*+(?:[Ss][ốỐoO]\s*+:?\s*+)?"
# One pattern for every shape. Each alternative ends with its own group, so ``lastindex``
# tells the shape without another look; the number's text runs from group 1 to that group's end.
_PATTERN = re.compile(
    _LABEL_RE + f"({_NUMBER_RE})"  # 1 number
    f"(?:(-({_TYPE_RE})/({_BODY_RE}))"  # 2 party: 3 type, 4 body
    f"|/(?:((?:19|20)[0-9][0-9])/"  # 5 year
    f"(?:((?:UBTV)?QH[0-9]{{1,2}})"  # 6 law (National Assembly or its Standing Committee)
    f"|(({_TYPE_RE})(?:-({_BODY_RE}))?))"  # 7 normative: 8 type, 9 body
    f"|(({_HEAD_RE})-({_BODY_RE}))))"  # 10 state: 11 type (or body of a letter), 12 unit
    r"\s*+\.?\s*+\Z"
)
_PARTY, _LAW, _NORMATIVE, _STATE = 2, 6, 7, 10
_match = _PATTERN.match
_nfc = unicodedata.normalize


def normalize(text: str) -> str:
    """The comparison form of a number: NFC, upper case, no spaces, ``TƯ`` written ``TW``."""
    value = unicodedata.normalize("NFC", text.strip()).upper().replace(" ", "")
    return value.replace("TƯ", "TW")


_KNOWN_TYPES_UPPER = frozenset(normalize(t) for t in KNOWN_TYPES)
_BODY_PREFIXES_UPPER = tuple(normalize(p) for p in KNOWN_BODY_PREFIXES)
_BODIES_UPPER = frozenset(_BODY_PREFIXES_UPPER)
# Party committees and their organs end in the committee's code: TW, TU (tỉnh ủy), HU, QU, ĐU.
_PARTY_BODY_ENDINGS = ("TW", "TU", "ĐU", "HU", "QU")

# Đ and D are different letters and tell real codes apart (ĐA đề án / DA dự án, HĐ hợp đồng /
# HD hướng dẫn: Decree 30/2020 Appendix III), so they are never folded wholesale. But an officer
# whose Vietnamese keyboard is off types QD for QĐ, HDND for HĐND: where only the form with Đ
# is a known code, the duplicate key reads the form without it as that code.
_STROKE_RESTORED = {
    plain: code
    for code in _KNOWN_TYPES_UPPER | _BODIES_UPPER
    if "Đ" in code and (plain := code.replace("Đ", "D")) not in _KNOWN_TYPES_UPPER | _BODIES_UPPER
}
_CODE_TOKEN = re.compile(r"[^/.-]+")


class DocumentNumber(tuple[Any, ...]):
    """A parsed number-symbol. Fields: ``raw`` (as written, without the label), ``system``
    ("state", "state_letter", "normative", "law", "party"), ``number``, ``doc_type``, ``body``,
    ``year`` (normative and laws), ``warnings``; ``key`` to compare.

    Made only by ``parse``. It holds the regular-expression match and reads each field from it
    when asked (see the module's note on speed); it compares, hashes and pickles by its fields.
    """

    __slots__ = ()
    # Each field reads the match, ``self[0]``, directly: a helper property would double the cost.

    @property
    def raw(self) -> str:
        m: re.Match[str] = self[0]
        return m.string[m.start(1) : m.end(m.lastindex or 0)]

    @property
    def system(self) -> str:
        m: re.Match[str] = self[0]
        shape = m.lastindex
        if shape == _PARTY:
            return "party"
        if shape == _LAW:
            return "law" if m[6].startswith("QH") else "normative"
        if shape == _NORMATIVE:
            return "normative"
        return "state_letter" if _is_letter_head(m[11]) else "state"

    @property
    def number(self) -> int:
        return int(self[0][1])

    @property
    def doc_type(self) -> str:
        m: re.Match[str] = self[0]
        shape = m.lastindex
        if shape == _PARTY:
            return m[3]
        if shape == _NORMATIVE:
            return m[8]
        if shape == _STATE and not _is_letter_head(m[11]):
            return m[11]
        return ""

    @property
    def body(self) -> str:
        m: re.Match[str] = self[0]
        shape = m.lastindex
        if shape == _PARTY:
            return m[4]
        if shape == _LAW:
            return m[6]
        if shape == _NORMATIVE:
            return m[9] or ""
        if _is_letter_head(m[11]):
            # An official letter (công văn) has no type: number/BODY-UNIT, e.g. 123/UBND-VP.
            return m[10]
        return m[12]

    @property
    def year(self) -> int | None:
        year = self[0][5]
        return int(year) if year else None

    @property
    def warnings(self) -> tuple[str, ...]:
        """Unknown type or body codes: accepted, but worth a second look (domain.md §6)."""
        found: list[str] = []
        doc_type, body = self.doc_type, self.body
        if doc_type and normalize(doc_type) not in _KNOWN_TYPES_UPPER:
            restored = _STROKE_RESTORED.get(normalize(doc_type))
            if restored:
                found.append(
                    _("Loại văn bản “%(t)s” chưa có trong danh mục; có phải “%(r)s”?")
                    % {"t": doc_type, "r": restored}
                )
            else:
                found.append(_("Loại văn bản “%(t)s” chưa có trong danh mục.") % {"t": doc_type})
        head = re.split(r"[-/.]", body)[0] if body else ""
        if head and not normalize(head).startswith(_BODY_PREFIXES_UPPER):
            found.append(_("Cơ quan ban hành “%(b)s” chưa có trong danh mục.") % {"b": body})
        return tuple(found)

    @property
    def key(self) -> str:
        """A comparison key: TƯ and TW equal, Unicode normalized, upper-case."""
        return normalize(self.raw)

    def _fields(self) -> tuple[str, str, int, str, str, int | None]:
        return (self.raw, self.system, self.number, self.doc_type, self.body, self.year)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DocumentNumber):
            return self._fields() == other._fields()
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, DocumentNumber):
            return self._fields() != other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        raw, system, number, doc_type, body, year = self._fields()
        return (
            f"DocumentNumber(raw={raw!r}, system={system!r}, number={number!r}, "
            f"doc_type={doc_type!r}, body={body!r}, year={year!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (parse, (self.raw,))


def _is_letter_head(head: str) -> bool:
    """True when what stands where a type would is an issuing body (an official letter)."""
    # *head* comes from an NFC text without spaces: upper case and TƯ = TW are what is left.
    return head not in KNOWN_TYPES and head.upper().replace("TƯ", "TW") in _BODIES_UPPER


class DocumentNumberError(ValueError):
    """The text is not a document number.

    ``part`` says which part is wrong (one of ``PARTS``), ``message`` says why and what is
    allowed, in Vietnamese; ``example`` lists the allowed shapes; ``text`` is what was given.
    ``str()`` is the whole sentence for the user: the text, the reason, the examples.
    """

    def __init__(self, message: str, *, part: str, text: str = "") -> None:
        super().__init__(text)
        self._found = (part, message)

    def _diagnosis(self) -> tuple[str, str]:
        return self._found

    @property
    def text(self) -> str:
        return str(self.args[0]) if self.args else ""

    @property
    def part(self) -> str:
        return self._diagnosis()[0]

    @property
    def message(self) -> str:
        return self._diagnosis()[1]

    @property
    def example(self) -> str:
        return _("Ví dụ: %(shapes)s.") % {"shapes": _SHAPES}

    def __str__(self) -> str:
        part, message = self._diagnosis()
        if part == "empty":
            return message
        sentence = _("“%(text)s” không phải số, ký hiệu văn bản hợp lệ: %(why)s") % {
            "text": self.text.strip(),
            "why": message[:1].lower() + message[1:],
        }
        # Where the reason shows the corrected number itself, the list of shapes is noise.
        if part in _PARTS_WITH_EXAMPLE:
            sentence = f"{sentence} {self.example}"
        return sentence


class _Refused(DocumentNumberError):
    """What ``parse`` raises: only the text is kept; the diagnosis runs when first read.

    ``ValueError.__init__`` itself, so that making one costs no Python call: a refusal is as
    common as an acceptance in an import, and the bench measures both.
    """

    __init__ = ValueError.__init__

    def _diagnosis(self) -> tuple[str, str]:
        found: tuple[str, str] | None = self.__dict__.get("_found")
        if found is None:
            found = self._found = _diagnose(self.text)
        return found


def parse(text: str) -> DocumentNumber:
    """Parse *text*; raise DocumentNumberError saying which part is wrong if it is not one.

    Accepts the "Số:" / "Số" label and white space around (see the module docstring).
    """
    # The body of try_parse, written out again: a call less per number (bench/docnumber.py).
    text = text or ""
    m = _match(text)
    if m is None:
        if text.isascii() or (normalized := _nfc("NFC", text)) == text:
            raise _Refused(text)
        if (m := _match(normalized)) is None:
            raise _Refused(text)
    # A text of at most MAX_LENGTH characters cannot hold a longer number: only a longer one,
    # label and all, needs the number's own length measured.
    if len(text) > MAX_LENGTH and m.end(m.lastindex or 0) - m.start(1) > MAX_LENGTH:
        raise _Refused(text)
    return DocumentNumber((m,))


def try_parse(text: str) -> DocumentNumber | None:
    """``parse`` for the callers to whom a refusal is no news (candidates found in a text, a
    key to look up): None instead of the exception. ``diagnose(text)`` still says why.

    NFC only when the text as given does not match: no character the pattern admits is a
    combining mark, and each one it admits inside the number is its own NFC form
    (core/tests/test_docnumber.py checks the ranges), so the number of a text that matches
    as given reads the same after NFC; a text typed with combining accents (decomposed)
    fails the first match and passes the second.
    """
    text = text or ""
    m = _match(text)
    if m is None:
        # An ASCII text is NFC already: nothing to try again.
        if text.isascii() or (normalized := _nfc("NFC", text)) == text:
            return None
        if (m := _match(normalized)) is None:
            return None
    if len(text) > MAX_LENGTH and m.end(m.lastindex or 0) - m.start(1) > MAX_LENGTH:
        return None
    return DocumentNumber((m,))


def diagnose(text: str) -> DocumentNumberError:
    """Why *text* is refused, as the error parse would raise (for try_parse's callers)."""
    return _Refused(text or "")


# --------------------------------------------------------------------------- diagnosis
# Run only when a refusal is read. It reads the text the way a clerk would, left to right,
# and stops at the first part that is wrong.

_LABEL = re.compile(r"[Ss][ốỐoO](?![^\W\d_])\s*(:*)\s*")
_OTHER_LABEL = re.compile(r"[^\W\d_][^\d:]{0,20}:")
_DIGITS = re.compile(r"[0-9]+")
_LETTERS = re.compile(f"[{_LETTER}]+")
_ALLOWED_CHAR = re.compile(f"[0-9{_LETTER}/.-]")
_SPACE = re.compile(r"\s+")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def _lead(pattern: re.Pattern[str], text: str) -> str:
    """What *pattern* matches at the start of *text*, or ""."""
    found = pattern.match(text)
    return found[0] if found else ""


def _diagnose(text: str) -> tuple[str, str]:
    s = unicodedata.normalize("NFC", text).strip()
    if not s:
        return "empty", _("Chưa nhập số, ký hiệu văn bản.")
    rest = s
    if label := _LABEL.match(s):
        if len(label[1]) > 1:
            return "label", _("Sau nhãn “Số” chỉ có một dấu hai chấm: “Số: 15/QĐ-UBND”.")
        rest = s[label.end() :]
        if not rest:
            return "number", _("Sau nhãn “Số” chưa có số, ký hiệu.")
    if rest[0] not in "0123456789/-" and _OTHER_LABEL.match(s):
        # "Số hiệu:", "Ký hiệu:", "No.:": a label, but not the one printed on documents.
        return "label", _(
            "Trước số, ký hiệu chỉ nhận nhãn “Số:” (văn bản nhà nước) hoặc “Số” (văn bản của"
            " Đảng); hãy bỏ “%(label)s”."
        ) % {"label": s[: s.index(":") + 1]}
    if rest.endswith("."):
        rest = rest[:-1].rstrip()
    if not rest:
        return "number", _("Chưa có số, ký hiệu.")
    if not _DIGITS.match(rest):
        if rest[0] in "/-":
            return "number", _("Thiếu số thứ tự trước dấu “%(sep)s”.") % {"sep": rest[0]}
        return "number", _(
            "Số, ký hiệu bắt đầu bằng số thứ tự viết bằng chữ số, ví dụ 15/QĐ-UBND hoặc 20-KH/TU."
        )
    if spaced := _SPACE.search(rest):
        head, tail = rest[: spaced.start()].rstrip(",;"), rest[spaced.end() :]
        if _match(head) or tail.casefold().startswith(("ngày", "ngay")):
            return "trailing", _(
                "Chỉ nhập số, ký hiệu (“%(head)s”), không kèm phần viết sau nó (“%(tail)s”)."
            ) % {"head": head, "tail": tail}
        compact = _SPACE.sub("", rest)
        if _match(compact):
            return "spaces", _(
                "Số, ký hiệu viết liền, không có dấu cách ở giữa (Nghị định 30/2020/NĐ-CP,"
                " Phụ lục I): “%(compact)s”."
            ) % {"compact": compact}
        return "spaces", _(
            "Số, ký hiệu viết liền, không có dấu cách ở giữa (Nghị định 30/2020/NĐ-CP, Phụ lục I)."
        )
    for char in rest:
        if _ALLOWED_CHAR.match(char):
            continue
        if char in _DASHES:
            return "separator", _("Dùng dấu gạch nối “-”, không dùng “%(c)s”.") % {"c": char}
        if char == "\\":
            return "separator", _("Dùng dấu gạch chéo “/”, không dùng “\\”.")
        return "characters", _(
            "Ký hiệu chứa ký tự không được phép “%(c)s”%(code)s; chỉ dùng chữ, chữ số và các dấu"
            " “/”, “-”, “.”."
        ) % {"c": char, "code": "" if char.isprintable() else f" (U+{ord(char):04X})"}
    if len(rest) > MAX_LENGTH:
        return "length", _("Dài %(n)s ký tự, quá %(max)s ký tự cho phép.") % {
            "n": len(rest),
            "max": MAX_LENGTH,
        }
    return _diagnose_number(rest)


def _diagnose_number(rest: str) -> tuple[str, str]:
    digits = _lead(_DIGITS, rest)
    significant = digits.lstrip("0")
    if not significant:
        return "number", _("Số thứ tự “%(n)s” không hợp lệ: phải từ 1.") % {"n": digits}
    if len(significant) > 5:
        return "number", _("Số thứ tự “%(n)s” quá dài: tối đa 5 chữ số.") % {"n": digits}
    if len(digits) - len(significant) > 2:
        return "number", _("Số thứ tự “%(n)s” có quá nhiều chữ số 0 ở đầu: viết “%(fix)s”.") % {
            "n": digits,
            "fix": significant.rjust(2, "0"),
        }
    after = rest[len(digits) :]
    if not after:
        return "separator", _(
            "Sau số thứ tự “%(n)s” còn thiếu ký hiệu: ví dụ %(n)s/QĐ-UBND hoặc %(n)s-KH/TU."
        ) % {"n": digits}
    sep, tail = after[0], after[1:]
    if sep == "-":
        return _diagnose_party(digits, tail)
    if sep == "/":
        return _diagnose_state(digits, tail)
    return "separator", _(
        "Sau số thứ tự “%(n)s” phải là dấu “/” (văn bản nhà nước, ví dụ %(n)s/QĐ-UBND) hoặc dấu"
        " “-” (văn bản của Đảng, ví dụ %(n)s-KH/TU)."
    ) % {"n": digits}


def _diagnose_type(
    doc_type: str, after: str, *, where: str, longest: int = _TYPE_MAX
) -> tuple[str, str] | None:
    if not doc_type:
        return "type", _("Thiếu loại văn bản %(where)s (ví dụ QĐ, KH, NQ).") % {"where": where}
    if _DIGITS.match(after):
        return "type", _("Loại văn bản “%(t)s” chỉ gồm chữ cái, không có chữ số.") % {
            "t": doc_type + _lead(_DIGITS, after)
        }
    if len(doc_type) > longest:
        return "type", _(
            "Loại văn bản “%(t)s” quá dài: tối đa %(max)s chữ cái (ví dụ QĐ, TTLT)."
        ) % {"t": doc_type, "max": longest}
    return None


def _diagnose_party(digits: str, tail: str) -> tuple[str, str]:
    doc_type = _lead(_LETTERS, tail)
    after = tail[len(doc_type) :]
    if problem := _diagnose_type(doc_type, after, where=_("sau dấu “-”")):
        return problem
    if not after:
        return "body", _(
            "Thiếu ký hiệu cơ quan ban hành sau loại văn bản: văn bản của Đảng viết %(n)s-%(t)s/TU."
        ) % {"n": digits, "t": doc_type}
    if after[0] != "/":
        return "separator", _(
            "Văn bản của Đảng viết loại và cơ quan ban hành cách nhau bằng dấu “/”: %(n)s-%(t)s/TU."
        ) % {"n": digits, "t": doc_type}
    return _diagnose_body(after[1:], sep="/")


def _diagnose_state(digits: str, tail: str) -> tuple[str, str]:
    if not tail:
        return "type", _("Thiếu ký hiệu sau dấu “/”: ví dụ %(n)s/QĐ-UBND.") % {"n": digits}
    if tail[0] == "/":
        return "separator", _("Có hai dấu “/” liền nhau.")
    if _DIGITS.match(tail):
        return _diagnose_normative(tail)
    doc_type = _lead(_LETTERS, tail)
    after = tail[len(doc_type) :]
    if not doc_type:
        return "type", _(
            "Thiếu loại văn bản (hoặc tên cơ quan, với công văn) sau dấu “/”: ví dụ"
            " %(n)s/QĐ-UBND, %(n)s/UBND-VP."
        ) % {"n": digits}
    if problem := _diagnose_type(doc_type, after, where=_("sau dấu “/”"), longest=_HEAD_MAX):
        return problem
    if not after:
        if _is_letter_head(doc_type):
            return "body", _(
                "Công văn viết tên cơ quan rồi đơn vị soạn thảo, cách nhau bằng dấu gạch nối:"
                " %(n)s/%(b)s-VP."
            ) % {"n": digits, "b": doc_type}
        return "body", _(
            "Thiếu ký hiệu cơ quan ban hành sau loại văn bản “%(t)s”: viết %(n)s/%(t)s-UBND."
        ) % {"n": digits, "t": doc_type}
    if after[0] == "/":
        body = after[1:]
        if normalize(re.split(r"[-/.]", body)[0]).endswith(_PARTY_BODY_ENDINGS):
            return "separator", _(
                "Văn bản của Đảng viết số và loại bằng dấu gạch ngang: %(n)s-%(t)s/%(b)s."
            ) % {"n": digits, "t": doc_type, "b": body}
        return "separator", _(
            "Văn bản nhà nước viết loại và cơ quan ban hành cách nhau bằng dấu gạch nối:"
            " %(n)s/%(t)s-%(b)s."
        ) % {"n": digits, "t": doc_type, "b": body}
    if after[0] != "-":
        return "separator", _(
            "Sau “%(t)s” là dấu gạch nối “-” rồi cơ quan ban hành (hoặc đơn vị soạn thảo, với"
            " công văn): 15/QĐ-UBND, 123/UBND-VP."
        ) % {"t": doc_type}
    return _diagnose_body(after[1:], sep="-")


def _diagnose_normative(tail: str) -> tuple[str, str]:
    year = _lead(_DIGITS, tail)
    after = tail[len(year) :]
    if len(year) != 4 or not (1900 <= int(year) <= 2099):
        return "year", _(
            "Năm “%(y)s” trong số hiệu văn bản quy phạm không hợp lệ: ghi năm ban hành đủ 4 chữ"
            " số, ví dụ 60/2013/NĐ-CP."
        ) % {"y": year}
    if not after or after[0] != "/":
        return "separator", _(
            "Sau năm %(y)s phải là dấu “/” rồi loại văn bản: ví dụ 60/%(y)s/NĐ-CP."
        ) % {"y": year}
    rest = after[1:]
    if re.fullmatch(r"(?:UBTV)?QH[0-9]+", rest):
        return "body", _("Khóa Quốc hội trong “%(b)s” ghi 1 hoặc 2 chữ số, ví dụ 10/2022/QH15.") % {
            "b": rest
        }
    doc_type = _lead(_LETTERS, rest)
    after_type = rest[len(doc_type) :]
    if problem := _diagnose_type(doc_type, after_type, where=_("sau năm")):
        return problem
    if after_type[:1] != "-":
        return "separator", _(
            "Văn bản quy phạm viết loại và cơ quan ban hành cách nhau bằng dấu gạch nối:"
            " 60/2013/NĐ-CP."
        )
    return _diagnose_body(after_type[1:], sep="-")


def _diagnose_body(body: str, *, sep: str) -> tuple[str, str]:
    if not body:
        return "body", _("Thiếu ký hiệu cơ quan ban hành sau dấu “%(sep)s”.") % {"sep": sep}
    if "/" in body:
        return "separator", _("Ký hiệu cơ quan ban hành “%(b)s” không được chứa thêm dấu “/”.") % {
            "b": body
        }
    segments = re.split(r"[.-]", body)
    if any(not s for s in segments):
        return "body", _(
            "Ký hiệu cơ quan ban hành “%(b)s” không được bắt đầu, kết thúc bằng dấu “-”, “.”"
            " hoặc có hai dấu liền nhau."
        ) % {"b": body}
    if any(len(s) > _SEGMENT_MAX for s in segments) or len(segments) > _SEGMENTS_MAX:
        return "body", _("Ký hiệu cơ quan ban hành “%(b)s” quá dài.") % {"b": body}
    # Not reached for any text we know of: the reader above and the pattern agree.
    return "characters", _("Không nhận ra dạng số, ký hiệu.")


# --------------------------------------------------------------------------- duplicates

# Party committees are elected for five-year terms by congresses held in 2020, 2025, 2030 …
# (the 2020–2025 and 2025–2030 terms); at province level the congresses of a round end by
# October, so a term is taken to start on 1 October of its congress year.
PARTY_TERM_YEARS = 5
_PARTY_TERM_ANCHOR = 2020
_PARTY_TERM_STARTS = (10, 1)  # month, day
_TERM = re.compile(r"([0-9]{4})-([0-9]{4})")


def party_term(on: dt.date) -> str:
    """The Party-committee term a document issued *on* that day belongs to, e.g. "2025-2030".

    The DEFAULT, used only when the committee's own term is not recorded: it assumes the
    province-level rhythm (congresses in 2020, 2025 …, a new term from 1 October of the congress
    year). A commune's congress held in June starts its term earlier; pass the recorded term to
    ``duplicate_key`` whenever it is known.
    """
    start = on.year - (on.year - _PARTY_TERM_ANCHOR) % PARTY_TERM_YEARS
    if on.year == start and (on.month, on.day) < _PARTY_TERM_STARTS:
        start -= PARTY_TERM_YEARS
    return f"{start}-{start + PARTY_TERM_YEARS}"


def duplicate_key(parsed: DocumentNumber, *, issued_on: dt.date, term: str | None = None) -> str:
    """The key under which two documents of one issuer are the same number (domain.md §6).

    - State documents and official letters: numbering restarts every 1 January (Decree 30/2020,
      art. 15), so the key is the number and the year of issue: ``15/QĐ-UBND@2025``.
    - Normative documents and laws carry their year in the number: the number alone.
    - Party documents: numbering restarts per type per Party-committee term, so the key is the
      number (its type included) and the *term*, e.g. "2025-2030"; without one, ``party_term``
      derives the default from *issued_on*.
    ``TƯ`` and ``TW`` are equal (``normalize``); a code typed without the stroke of its Đ where
    only the stroked form is a known code (QD, HDND, DU) is read as that code; ĐA/DA and HĐ/HD
    stay apart (see ``_STROKE_RESTORED``). The issuer is not part of the key: the caller pairs
    the key with it.
    """
    key = _CODE_TOKEN.sub(lambda t: _STROKE_RESTORED.get(t[0], t[0]), parsed.key)
    system = parsed.system
    if system == "party":
        if term is None:
            term = party_term(issued_on)
        elif not (found := _TERM.fullmatch(term.strip())) or int(found[2]) <= int(found[1]):
            raise ValueError(f"Party term must look like 2025-2030, not {term!r}")
        return f"{key}@{term.strip()}"
    if system in ("normative", "law"):
        return key
    return f"{key}@{issued_on.year}"
