"""Tasks proposed from the text of a conclusion (issue 12, item 4).

``propose(text, today=…, resolver=…)`` reads a conclusion (thông báo kết luận) and proposes
one task per assigning sentence: "Giao Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì, phối hợp
với … hoàn thành trước ngày 31/3/2027", "Đề nghị Ủy ban MTTQ Việt Nam tỉnh …", "UBND các
xã, phường chịu trách nhiệm …", "… do Sở Nội vụ chủ trì …", lists under "Hội nghị giao:" or
"Đối với UBND tỉnh:". Each proposal carries its sentence and character span, the lead and
coordinating units (resolved by a :class:`~.resolve.Resolver`), the deliverable if one is
named and the due date (a date, a number of days from an event, or "regular"). Nothing is
written: the clerk confirms, edits or drops each proposal (decision 42/2014/QĐ-TTg counts a
task with its lead body, coordinating bodies, deadline and deliverable; domain.md §9).

Rules, not a statistical model. Vietnamese NLP packages were evaluated (December 2026):

- ``pyvi`` 0.1.1 (MIT, 2021): word segmentation by a CRF model shipped in the wheel as
  pickles made with a 2019 scikit-learn; it pulls scikit-learn and sklearn-crfsuite, and
  unpickling across scikit-learn versions is not guaranteed. Unmaintained since 2021.
- ``underthesea`` 9.5.0: GPL-3.0 from 2017 until February 2026 (it moved to Apache-2.0 in
  its PR #956), so only recent releases could be used at all. Its segmentation ships in the
  wheel, but it depends on ``huggingface-hub`` and ``requests`` and several of its
  pipelines download models at run time, which a government deployment must not do.

Neither was installed and measured here; the rules were measured instead, and they meet
the goal on the labelled set (``data/conclusions.jsonl``, ``bench/proposals.py``). Where
they miss, the cause is the shape of the sentence (a verb not on the list, a new date form,
a unit the tree does not have), not the word boundaries a segmenter would add: the words
that matter are a closed set (assignment verbs, date phrases) and unit names, which are
matched against the unit tree itself, a better dictionary for them than a general
segmenter's. A dependency would add weight and risk for no gain shown.

Offsets are positions in the text after Unicode NFC normalisation (what Word and browsers
produce anyway); ``propose`` returns that text's spans, and ``normalized_text`` gives it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .resolve import Collective, Resolution, Resolver, UnitMatch

if TYPE_CHECKING:
    from danvan.legal.workdays import WorkCalendar


# --- The proposal ----------------------------------------------------------------------


class DueKind:
    DATE = "date"
    RELATIVE = "relative"  # N (working) days from an event
    REGULAR = "regular"  # "thường xuyên", "định kỳ": no due date


@dataclass
class Due:
    """When a task is due, as the conclusion says it."""

    kind: str
    phrase: str
    date: dt.date | None = None
    days: int | None = None
    working_days: bool = False
    event: str = ""

    def compute(self, start: dt.date, calendar: WorkCalendar | None = None) -> dt.date | None:
        """The date a relative due date falls on once its event is known (*start*).

        "Trong 15 ngày làm việc kể từ ngày …" counts working days on the calendar of
        ``danvan.legal`` (weekends, holidays, make-up days); the start day itself is not
        counted. Other kinds answer their own date (or None).
        """
        if self.kind != DueKind.RELATIVE or self.days is None:
            return self.date
        if self.working_days:
            if calendar is None:
                from danvan.legal.workdays import WorkCalendar

                calendar = WorkCalendar()
            return calendar.add_working_days(start, self.days)
        return start + dt.timedelta(days=self.days)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "phrase": self.phrase,
            "date": self.date.isoformat() if self.date else None,
            "days": self.days,
            "working_days": self.working_days,
            "event": self.event,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Due:
        return cls(
            kind=data["kind"],
            phrase=data.get("phrase", ""),
            date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
            days=data.get("days"),
            working_days=bool(data.get("working_days")),
            event=data.get("event", ""),
        )


@dataclass
class UnitRef:
    """A unit phrase of the text and what it resolved to."""

    phrase: str
    unit_id: int | None = None
    unit_name: str = ""
    collective: Collective | None = None
    candidates: list[UnitMatch] = field(default_factory=list)
    same_level: bool = False
    official_id: int | None = None  # the official named ("đồng chí Phó Chủ tịch UBND tỉnh")
    official_name: str = ""

    @property
    def resolved(self) -> bool:
        return self.unit_id is not None or self.collective is not None

    @property
    def key(self) -> str | None:
        """What the evaluation compares: the unit's name or the collective's rule."""
        if self.collective is not None:
            return self.collective.key
        return self.unit_name or None

    @classmethod
    def from_resolution(cls, res: Resolution) -> UnitRef:
        return cls(
            phrase=res.phrase,
            unit_id=res.unit.id if res.unit else None,
            unit_name=res.unit.name if res.unit else "",
            collective=res.collective,
            candidates=list(res.candidates),
            same_level=res.same_level,
            official_id=res.official.id if res.official else None,
            official_name=res.official.name if res.official else "",
        )

    def to_dict(self) -> dict[str, Any]:
        c = self.collective
        return {
            "phrase": self.phrase,
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "collective": (
                {"phrase": c.phrase, "over": c.over, "org": c.org, "kind": c.kind} if c else None
            ),
            "candidates": [{"id": m.id, "name": m.name} for m in self.candidates],
            "same_level": self.same_level,
            "official_id": self.official_id,
            "official_name": self.official_name,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnitRef:
        c = data.get("collective")
        return cls(
            phrase=data["phrase"],
            unit_id=data.get("unit_id"),
            unit_name=data.get("unit_name", ""),
            collective=Collective(**c) if c else None,
            candidates=[UnitMatch(m["id"], m["name"]) for m in data.get("candidates", [])],
            same_level=bool(data.get("same_level")),
            official_id=data.get("official_id"),
            official_name=data.get("official_name", ""),
        )

    def units(self, resolver: Resolver) -> list[UnitMatch]:
        """The unit(s) this stands for; a collective expands now (on confirmation)."""
        if self.collective is not None:
            return resolver.expand(self.collective)
        return [UnitMatch(self.unit_id, self.unit_name)] if self.unit_id is not None else []


@dataclass
class Proposal:
    """One proposed task. Plain data: ``to_initial()`` / ``from_initial()`` round-trip it."""

    source: str  # the assigning sentence(s), as written
    start: int  # span of *source* in the (NFC) text
    end: int
    paragraph_start: int  # span of the paragraph (line) it lies in
    paragraph_end: int
    action: str  # what is to be done: the task's title, for the clerk to edit
    leads: list[UnitRef] = field(default_factory=list)
    coordinating: list[UnitRef] = field(default_factory=list)
    deliverable: str = ""
    due: Due | None = None
    confidence: float = 1.0
    notes: list[str] = field(default_factory=list)

    def to_initial(self) -> dict[str, Any]:
        """JSON-safe values for a form's initial data (dates in ISO form)."""
        return {
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "paragraph_start": self.paragraph_start,
            "paragraph_end": self.paragraph_end,
            "action": self.action,
            "leads": [r.to_dict() for r in self.leads],
            "coordinating": [r.to_dict() for r in self.coordinating],
            "deliverable": self.deliverable,
            "due": self.due.to_dict() if self.due else None,
            "confidence": self.confidence,
            "notes": list(self.notes),
        }

    @classmethod
    def from_initial(cls, data: dict[str, Any]) -> Proposal:
        return cls(
            source=data["source"],
            start=int(data["start"]),
            end=int(data["end"]),
            paragraph_start=int(data["paragraph_start"]),
            paragraph_end=int(data["paragraph_end"]),
            action=data["action"],
            leads=[UnitRef.from_dict(r) for r in data.get("leads", [])],
            coordinating=[UnitRef.from_dict(r) for r in data.get("coordinating", [])],
            deliverable=data.get("deliverable", ""),
            due=Due.from_dict(data["due"]) if data.get("due") else None,
            confidence=float(data.get("confidence", 1.0)),
            notes=list(data.get("notes", [])),
        )

    @property
    def due_date(self) -> dt.date | None:
        return self.due.date if self.due else None


# --- Text: normalising, folding with offsets kept, splitting ------------------------------


def normalized_text(text: str) -> str:
    """The text offsets refer to: NFC, line ends as "\\n"."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low == "đ":
        return "d"
    return unicodedata.normalize("NFD", low)[0]


def shadow(text: str) -> str:
    """*text* lower-cased without diacritics, one character for one (offsets kept).

    ``danvan.core.text.fold`` collapses spaces and so moves offsets; the date rules need
    positions in the original.
    """
    return "".join(_fold_char(ch) for ch in text)


def _lower(text: str) -> str:
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


# An item marker at the start of a line: "1.", "2)", "a)", "-", "+", "•", "I.".
_MARKER = re.compile(r"^\s*(?:(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[IVX]{1,4})[.)]|[-+•*–—●○◦▪■♦·»])\s*")
# Words whose dot does not end a sentence.
_ABBREVIATIONS = ("tp", "v.v", "ths", "ts", "pgs", "gs", "đ/c", "tx", "tt", "q", "p")


@dataclass
class _Clause:
    start: int
    end: int
    line: int
    sentence: int
    bullet: bool
    first_in_sentence: bool


def _clauses(text: str) -> list[_Clause]:
    """Lines → sentences → clauses (";" and ", đồng thời"), spans trimmed."""
    clauses: list[_Clause] = []
    pos, sentence = 0, 0
    for line_no, line in enumerate(text.split("\n")):
        line_start = pos
        pos += len(line) + 1
        m = _MARKER.match(line)
        body_start = m.end() if m else len(line) - len(line.lstrip())
        bullet = m is not None
        cuts: list[tuple[int, bool]] = []  # (cut position in line, ends a sentence)
        i = body_start
        while i < len(line):
            ch = line[i]
            if ch in ".!?" and (i + 1 == len(line) or line[i + 1].isspace()):
                rest = line[i + 1 :].lstrip()
                word = line[line.rfind(" ", 0, i) + 1 : i].lower()
                if (not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in '"“(-') and (
                    word not in _ABBREVIATIONS
                ):
                    cuts.append((i + 1, True))
            elif ch == ";" or line.startswith(", đồng thời ", i):
                cuts.append((i + 1, False))
            i += 1
        cuts.append((len(line), True))
        first = True
        begin = body_start
        for cut, ends_sentence in cuts:
            s, e = begin, cut
            while s < e and (line[s].isspace() or line[s] in ",;"):
                s += 1
            while e > s and (line[e - 1].isspace() or line[e - 1] in ",;."):
                e -= 1
            if e > s:
                clauses.append(
                    _Clause(line_start + s, line_start + e, line_no, sentence, bullet, first)
                )
                first = False
            begin = cut
            if ends_sentence:
                sentence += 1
                first = True
    return clauses


# --- Assignment rules ----------------------------------------------------------------------

# Verbs and words that end a unit phrase ("Giao <units> chủ trì …"). Lower case only: the
# same words capitalised are parts of names ("Ban Tổ chức", "Sở Xây dựng", "Ủy ban Kiểm tra").
_VERBS = (
    "chủ trì|phối hợp|tham mưu|có trách nhiệm|chịu trách nhiệm|xây dựng|tổ chức|tiếp tục|"
    "chỉ đạo|lãnh đạo|hướng dẫn|triển khai|thực hiện|rà soát|báo cáo|ban hành|kiểm tra|"
    "giám sát|theo dõi|đôn đốc|tăng cường|tăng|quan tâm|nghiên cứu|đề xuất|tuyên truyền|"
    "nâng cao|đẩy mạnh|đẩy nhanh|phát huy|khẩn trương|kịp thời|tập trung|làm tốt|bố trí|"
    "cân đối|chuẩn bị|tổng hợp|hoàn thiện|sửa đổi|bổ sung|quán triệt|thành lập|kiện toàn|"
    "đánh giá|sơ kết|tổng kết|phổ biến|vận động|giải quyết|tiếp nhận|tiếp thu|công khai|"
    "trình|ra|đưa|mở|nắm|chủ động|cung cấp|bảo đảm|đảm bảo|thẩm định|hoàn thành|xem xét|"
    "cần|phải|đã|đang|được|sẽ|vừa|tích cực|thường xuyên|gửi|ghi nhận|lựa chọn|duy trì|"
    "hỗ trợ|biểu dương|nhân rộng|tham gia|giao|đề nghị|yêu cầu|phân công"
)
_VERB = re.compile(rf"(?<!\w)(?:{_VERBS})(?!\w)")
# A unit as subject of these is being assigned ("Sở Y tế có trách nhiệm …"); after "đã",
# "đang", "được" it is being described.
_SUBJECT_VERBS = frozenset(
    {
        "chủ trì",
        "phối hợp",
        "tham mưu",
        "có trách nhiệm",
        "chịu trách nhiệm",
        "chỉ đạo",
        "tổ chức",
        "tiếp tục",
        "khẩn trương",
        "chủ động",
        "thực hiện",
        "hướng dẫn",
        "cần",
        "phải",
        "tập trung",
        "rà soát",
        "triển khai",
        "tham gia",
    }
)
_NAME_WORDS = ("ban", "sở", "bộ")  # "Ban chỉ đạo", "Sở xây dựng" written in lower case
_TRIGGER = re.compile(r"(?<!\w)(giao|đề nghị|yêu cầu|phân công|chỉ đạo)(?!\w)")
_TRIGGER_NOT_BEFORE = {
    "giao": ("được", "bàn", "đã", "chuyển"),
    "đề nghị": ("theo", "kiến nghị,", "các", "những", "có"),
    "yêu cầu": ("theo", "đáp ứng", "các", "những", "có", "với"),
    "phân công": ("được", "theo", "sự"),
    "chỉ đạo": (),
}
# Match at a position ("^" would only match at the very start of the text).
_TRIGGER_NOT_AFTER = re.compile(
    r"\s*(?:của|thông|dịch|lưu|kết|khoán|đất|nộp|,|\.|cụ thể|nhiệm vụ cụ thể)(?!\w)"
)
# "giao nhiệm vụ cho <units>", "giao cho <units>": the units follow.
_TRIGGER_FILLER = re.compile(r"\s*(?:nhiệm vụ\s+)?(?:cho\s+)?", re.IGNORECASE)
_PASSIVE = re.compile(r"(?<!\w)do (.+?) (?:chủ trì|thực hiện|phụ trách|đảm nhiệm)(?!\w)")
_COORDINATE = re.compile(r"(?<!\w)phối hợp(?: với| cùng)?(?!\w)")
_FOR = re.compile(r"^(?:đối với|về phía|giao)\s+", re.IGNORECASE)
_MAX_PIECES = 4
_SPLIT_UNITS = re.compile(r",|;|(?<=\s)và(?=\s)")
_DELIVERABLE = re.compile(
    r"(?:ban hành|xây dựng|hoàn thiện|ra|trình|tổ chức)\s+("
    r"(?:[Kk]ế hoạch|[Đđ]ề án|[Bb]áo cáo|[Qq]uy chế|[Qq]uy định|[Tt]hông báo|[Hh]ướng dẫn|"
    r"[Cc]hương trình|[Vv]ăn bản|[Nn]ghị quyết|[Cc]hỉ thị|[Hh]ội nghị)[^,;:]*)"
)
_REPORT = re.compile(r"báo cáo kết quả")
_DUE_CUT = re.compile(
    r"\s(?:trước|chậm nhất|hoàn thành|xong|thời gian|trong (?:quý|tháng|năm|\d))(?!\w)"
)
_RECIPIENTS = re.compile(r"nơi nhận\s*:", re.IGNORECASE)
_THEN = re.compile(r"(?:thời gian|thời hạn|hoàn thành|hạn)(?!\w)", re.IGNORECASE)


@dataclass
class _Found:
    leads: list[UnitRef]
    lead_end: int  # position (in the clause) where the action starts
    coordinating: list[UnitRef]
    header_only: bool = False  # "Hội nghị giao:" — the items below carry the leads


class _Reader:
    def __init__(self, text: str, resolver: Resolver) -> None:
        self.text = text
        self.fold = shadow(text)
        self.lower = _lower(text)
        self.resolver = resolver
        self._cache: dict[str, Resolution] = {}

    def resolve(self, phrase: str) -> Resolution:
        if phrase not in self._cache:
            self._cache[phrase] = self.resolver.resolve(phrase)
        return self._cache[phrase]

    def units(self, phrase: str) -> list[UnitRef]:
        """A list of unit phrases ("Sở Nội vụ, Sở Tài chính và UBND các xã, phường").

        Split on commas and "và", then joined back greedily wherever the longer piece is
        one unit ("Sở Văn hóa, Thể thao và Du lịch", "các xã, phường").
        """
        phrase = phrase.strip(" ,.;:")
        if not phrase:
            return []
        bounds = [0]
        for m in _SPLIT_UNITS.finditer(phrase):
            bounds += [m.start(), m.end()]
        bounds.append(len(phrase))
        pieces = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        refs: list[UnitRef] = []
        i = 0
        while i < len(pieces):
            taken = None
            # No unit name holds more than a few commas or "và": a bounded window keeps a
            # long list linear.
            for j in range(min(len(pieces), i + _MAX_PIECES) - 1, i - 1, -1):
                part = phrase[pieces[i][0] : pieces[j][1]].strip(" ,")
                if not part:
                    continue
                res = self.resolve(part)
                if res.resolved or j == i:
                    taken = (j, res)
                    break
            if taken is None:
                i += 1
                continue
            j, res = taken
            if res.phrase.strip():
                refs.append(UnitRef.from_resolution(res))
            i = j + 1
        return refs

    def leading_unit(self, phrase: str) -> UnitRef | None:
        words = phrase.split()
        for n in range(len(words) - 1, 1, -1):
            res = self.resolve(" ".join(words[:n]))
            if res.unit is not None:
                return UnitRef.from_resolution(res)
        return None

    def first_verb(self, s: int, e: int, *, after: int) -> re.Match[str] | None:
        for m in _VERB.finditer(self.text, after, e):
            before = self.lower[max(s, m.start() - 5) : m.start()].split()
            if before and before[-1] in _NAME_WORDS:
                continue
            return m
        return None

    def analyse(self, c: _Clause, *, in_list: bool) -> _Found | None:
        s, e = c.start, c.end
        text = self.text[s:e]
        # 1. "Sở Nội vụ: hướng dẫn …", "Đối với UBND tỉnh:" — a unit then a colon.
        colon = text.find(":")
        if 0 < colon <= 160:
            head = _FOR.sub("", text[:colon])
            refs = self.units(head)
            if refs and all(r.resolved for r in refs):
                return _Found(refs, colon + 1, self.coordinating(s + colon + 1, e))
            # "Về công tác dân vận chính quyền: Sở Nội vụ có trách nhiệm …": a topic, then
            # the sentence.
            rest = s + colon + 1
            while rest < e and self.text[rest].isspace():
                rest += 1
            if rest < e:
                inner = _Clause(rest, e, c.line, c.sentence, c.bullet, c.first_in_sentence)
                found = self.analyse(inner, in_list=in_list)
                if found is not None:
                    found.lead_end += rest - s
                    return found
        starts_with_trigger = _TRIGGER.match(self.lower, s) is not None
        # 2. "<units> chủ trì / có trách nhiệm / tham mưu …" (not "… đã tham mưu").
        verb = self.first_verb(s, e, after=s + 1)
        if verb is not None and not starts_with_trigger:
            subject = self.text[s : verb.start()]
            refs = self.units(subject)
            if refs and all(r.resolved for r in refs) and verb.group() in _SUBJECT_VERBS:
                return _Found(refs, verb.start() - s, self.coordinating(verb.start(), e))
        # 3. "Giao / Đề nghị / Yêu cầu / Phân công <units> …"; "Chỉ đạo <units> …" only at the
        # start, and not under a list's lead ("- Chỉ đạo Sở Xây dựng …" is that lead's task).
        for m in _TRIGGER.finditer(self.lower, s, e):
            word = m.group(1)
            if word == "chỉ đạo" and (m.start() != s or in_list):
                continue
            before = self.lower[max(s, m.start() - 12) : m.start()].strip()
            if any(before.endswith(w) for w in _TRIGGER_NOT_BEFORE[word]):
                continue
            if _TRIGGER_NOT_AFTER.match(self.lower, m.end(), e):
                continue
            lead_start = _TRIGGER_FILLER.match(self.text, m.end(), e).end()  # type: ignore[union-attr]
            verb = self.first_verb(s, e, after=lead_start)
            lead_end = verb.start() if verb else e
            phrase = self.text[lead_start:lead_end]
            if not phrase.strip(" ,:") and self.text[s:e].rstrip().endswith(":"):
                return _Found([], e - s, [], header_only=True)
            refs = self.units(phrase)
            if refs and not refs[0].resolved:
                # "Giao Thanh tra tỉnh thanh tra việc …": a verb the list does not know
                # ends the unit; the longest run of words from the start that is a unit.
                shorter = self.leading_unit(refs[0].phrase)
                if shorter is not None:
                    refs = [shorter]
                    lead_end = lead_start + phrase.find(shorter.phrase) + len(shorter.phrase)
            if verb is None and not any(r.resolved for r in refs):
                continue  # "giải quyết các kiến nghị, đề nghị …": no verb after, no unit
            return _Found(refs, lead_end - s, self.coordinating(lead_end, e))
        # 4. "… do <units> chủ trì, phối hợp với …".
        passive = _PASSIVE.search(self.lower, s, e)
        if passive is not None:
            refs = self.units(self.text[passive.start(1) : passive.end(1)])
            if refs and all(r.resolved for r in refs):
                return _Found(refs, passive.end(1) - s, self.coordinating(passive.end(1), e))
        return None

    def coordinating(self, at: int, e: int) -> list[UnitRef]:
        """Units after "phối hợp (với)" when it is the lead's own first verb.

        Only right after the lead or after "chủ trì,": "phối hợp" further on belongs to
        someone the lead directs ("chỉ đạo công đoàn cơ sở phối hợp với …").
        """
        m = _COORDINATE.search(self.lower, at, e)
        if m is None:
            return []
        between = self.lower[at : m.start()].strip(" ,:")
        if between not in ("", "chủ trì"):
            return []
        verb = self.first_verb(at, e, after=m.end())
        return self.units(self.text[m.end() : verb.start() if verb else e])


# --- Due dates -----------------------------------------------------------------------------

_CUE = r"(?:truoc|cham nhat|han chot|han|den het|den|xong truoc|trong)(?: la)?(?: ngay)?\s+"
_YEAR = r"(?:\s*/\s*(?P<y>\d{4})| nam (?P<y2>\d{4}))?"
_DUE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dmy", re.compile(_CUE + r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})" + _YEAR + r"(?![\d/])")),
    ("dmy", re.compile(_CUE + r"(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})(?![\d-])")),
    ("dmy", re.compile(_CUE + r"(?P<d>\d{1,2}) thang (?P<m>\d{1,2})" + _YEAR + r"(?!\d)")),
    (
        "month",
        re.compile(
            r"(?:trong|cuoi|het|den het|den cuoi|thoi gian) thang (?P<m>\d{1,2})"
            + _YEAR
            + r"(?![\d/])"
        ),
    ),
    ("quarter", re.compile(r"(?<!\w)quy (?P<q>iv|iii|ii|i|[1-4])(?!\w)" + _YEAR)),
    ("half", re.compile(r"(?<!\w)(?:6|sau) thang (?P<h>dau|cuoi) nam(?: (?P<y>\d{4}))?")),
    (
        "year",
        re.compile(
            r"(?<!\w)(?:trong|cuoi|het|den het|hoan thanh|xong|truoc) nam (?P<y>\d{4})(?!\s*-)"
        ),
    ),
    (
        "relative",
        re.compile(
            r"(?<!\w)(?:trong vong|trong thoi han|trong|cham nhat|sau) (?P<n>\d{1,3}) ngay"
            r"(?P<w> lam viec)?(?:,? (?:ke tu|tinh tu|sau) (?P<event>[^,;.\n]+))?"
        ),
    ),
)
_REGULAR = re.compile(
    r"(?<!\w)(?:thuong xuyen|dinh ky|hang thang|hang quy|hang tuan|lien tuc)(?!\w)"
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, monthrange(year, month)[1])


class _DueReader:
    def __init__(self, text: str, folded: str, today: dt.date) -> None:
        self.text, self.fold, self.today = text, folded, today

    def _year(self, m: re.Match[str], make: Callable[[int], dt.date]) -> dt.date:
        """The date *make(year)*; with no year written, the first one not yet past."""
        groups = m.groupdict()
        year = groups.get("y") or groups.get("y2")
        if year:
            return make(int(year))
        day = make(self.today.year)
        return make(self.today.year + 1) if day < self.today else day

    def find(self, s: int, e: int) -> tuple[Due | None, list[str]]:
        found: list[tuple[int, int, Due]] = []
        notes: list[str] = []
        for kind, pattern in _DUE_PATTERNS:
            for m in pattern.finditer(self.fold, s, e):
                try:
                    due = self._due(kind, m)
                except ValueError:
                    notes.append(
                        _("Ngày “%(p)s” không có thật.") % {"p": self.text[m.start() : m.end()]}
                    )
                    continue
                if due is not None:
                    found.append((m.start(), m.end(), due))
        # A phrase inside a longer one ("cuối năm 2027" in "6 tháng cuối năm 2027") is part
        # of it; of the rest, the last one is the deadline (it closes the sentence).
        kept = [
            f
            for f in found
            if not any(
                o is not f and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0]
                for o in found
            )
        ]
        if kept:
            kept.sort(key=lambda f: (f[0], -f[1]))
            if len(kept) > 1:
                notes.append(_("Có nhiều mốc thời gian; đã chọn mốc cuối cùng, xin kiểm tra lại."))
            return kept[-1][2], notes
        regular = _REGULAR.search(self.fold, s, e)
        if regular is not None:
            return Due(DueKind.REGULAR, self.text[regular.start() : regular.end()]), notes
        return None, notes

    def _due(self, kind: str, m: re.Match[str]) -> Due | None:
        phrase = self.text[m.start() : m.end()]
        if kind == "relative":
            event = m.group("event")
            return Due(
                DueKind.RELATIVE,
                phrase,
                days=int(m.group("n")),
                working_days=bool(m.group("w")),
                event=self.text[m.start("event") : m.end("event")].strip() if event else "",
            )
        if kind == "dmy":
            d, mo = int(m.group("d")), int(m.group("m"))
            date = self._year(m, lambda y: dt.date(y, mo, d))
        elif kind == "month":
            mo = int(m.group("m"))
            if not 1 <= mo <= 12:
                raise ValueError(mo)
            date = self._year(m, lambda y: _month_end(y, mo))
        elif kind == "quarter":
            q = _QUARTERS[m.group("q")]
            date = self._year(m, lambda y: _month_end(y, q * 3))
        elif kind == "half":
            month = 6 if m.group("h") == "dau" else 12
            date = self._year(m, lambda y: _month_end(y, month))
        else:  # year
            date = dt.date(int(m.group("y")), 12, 31)
        return Due(DueKind.DATE, phrase, date=date)


# --- propose -------------------------------------------------------------------------------


def propose(text: str, *, today: dt.date, resolver: Resolver) -> list[Proposal]:
    """One proposal per assigning sentence of *text* (see the module docstring).

    *today* fills in a year left unwritten ("trước 31/12": the next 31 December not past);
    the pages pass the source's own date (the conclusion's, as the labelled set does), and a
    relative due date ("trong 30 ngày kể từ ngày ký") is left relative: the pages count it
    from the source's date with ``Due.compute``. Offsets refer to ``normalized_text(text)``.
    """
    text = normalized_text(text)
    reader = _Reader(text, resolver)
    dues = _DueReader(text, reader.fold, today)
    clauses = _clauses(text)
    lines = text.split("\n")
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)

    proposals: list[Proposal] = []
    spans: list[tuple[int, int, int]] = []  # per proposal: its clauses' span, action start
    context: _Found | None = None  # the lead of a list ("Đối với UBND tỉnh:")
    context_line = -1
    last: tuple[int, int] | None = None  # (proposal index, line) that a clause may continue
    for c in clauses:
        line_text = lines[c.line]
        if _RECIPIENTS.match(text, c.start):
            # "Nơi nhận:" starts the distribution list, then the signature: "- UBND các xã,
            # phường (thực hiện)" there names who receives the conclusion, not a task.
            break
        # A line ending in a colon introduces a list: its lead (if any) is the items'.
        is_header = text[c.end - 1] == ":" and not text[c.end : line_starts[c.line + 1]].strip()
        if context is not None and c.line != context_line and not c.bullet:
            context = None
        in_list = context is not None and c.bullet and c.line != context_line
        found = reader.analyse(c, in_list=in_list)
        if is_header:
            context, context_line, last = found, c.line, None
            continue
        if found is None and in_list and context is not None and context.leads:
            own = reader.coordinating(c.start, c.end)
            found = _Found(context.leads, 0, own or context.coordinating)
        if found is None or found.header_only:
            # "…; thực hiện thường xuyên", "… Thời gian hoàn thành: …" continue the task.
            if (
                found is None
                and last is not None
                and last[1] == c.line
                and (not c.first_in_sentence or _THEN.match(text, c.start))
            ):
                s, _e, a = spans[last[0]]
                spans[last[0]] = (s, c.end, a)
            else:
                last = None
            continue
        proposals.append(
            Proposal(
                source="",
                start=c.start,
                end=c.end,
                paragraph_start=line_starts[c.line],
                paragraph_end=line_starts[c.line] + len(line_text),
                action="",
                leads=found.leads,
                coordinating=found.coordinating,
            )
        )
        spans.append((c.start, c.end, c.start + found.lead_end))
        last = (len(proposals) - 1, c.line)

    for proposal, (s, e, a) in zip(proposals, spans, strict=True):
        _finish(proposal, text, s, e, a, dues)
    return proposals


def _finish(p: Proposal, text: str, s: int, e: int, action_start: int, dues: _DueReader) -> None:
    """Source, action, deliverable, due date, confidence and notes of a proposal."""
    p.start, p.end = s, e
    p.source = text[s:e]
    action = text[action_start:e].strip(" ,:;.")
    p.action = action[:1].upper() + action[1:]
    p.due, p.notes = dues.find(s, e)
    m = _DELIVERABLE.search(p.source)
    if m is not None:
        deliverable = m.group(1)
        cut = _DUE_CUT.search(deliverable)
        p.deliverable = (deliverable[: cut.start()] if cut else deliverable).strip()[:200]
    elif _REPORT.search(p.source):
        p.deliverable = _("Báo cáo kết quả")
    confidence = 1.0
    if not p.leads or not any(r.resolved for r in p.leads):
        confidence -= 0.5
        p.notes.append(_("Chưa xác định được đơn vị chủ trì; xin chọn trong cây đơn vị."))
    for ref in p.leads + p.coordinating:
        if ref.resolved:
            if ref.collective is not None:
                p.notes.append(
                    _("“%(p)s” sẽ được mở rộng thành các đơn vị tương ứng khi xác nhận.")
                    % {"p": ref.phrase.strip()}
                )
            continue
        if ref.same_level:
            p.notes.append(
                _("“%(p)s”: đơn vị cùng cấp, xin chọn cụ thể.") % {"p": ref.phrase.strip()}
            )
        elif ref.candidates:
            confidence -= 0.2
            p.notes.append(
                _("“%(p)s” khớp nhiều đơn vị: %(c)s.")
                % {"p": ref.phrase.strip(), "c": ", ".join(m.name for m in ref.candidates)}
            )
        else:
            confidence -= 0.1
            p.notes.append(_("Không tìm thấy đơn vị “%(p)s”.") % {"p": ref.phrase.strip()})
    if p.due is None:
        confidence -= 0.1
    p.confidence = round(max(confidence, 0.0), 2)


def text_from_docx(file: IO[bytes] | str) -> str:
    """The paragraphs of a .docx (body, then tables), one per line, for ``propose``.

    The caller checks the upload first (``danvan.core.uploads.check_upload``): this only
    reads. Automatic list numbering is not text in a .docx and is lost; each item stays a
    line of its own, which is what the splitting needs.
    """
    import docx

    document = docx.Document(file)
    lines = [_docx_line(p) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(line for line in lines if line.strip())


def _docx_line(paragraph: Any) -> str:
    """A paragraph's text; an item of a Word list gets a "- " (its number is not text)."""
    p_pr = paragraph._p.pPr
    numbered = p_pr is not None and p_pr.numPr is not None
    style = paragraph.style.name if paragraph.style is not None else ""
    if numbered or style.startswith("List"):
        return "- " + paragraph.text
    return str(paragraph.text)
