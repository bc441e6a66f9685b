"""Matching the unit phrases of a conclusion ("UBND tỉnh", "Ban Dân vận Tỉnh ủy", "các xã,
phường") to units of the tree, diacritic-insensitively, within one subtree.

How a phrase is matched (rules, in this order):

1. Both the phrase and every unit name are folded (``danvan.core.text.fold``: no
   diacritics, lower case, "đ" as "d"), split into words, and the usual abbreviations are
   spelt out (UBND, HĐND, MTTQ, LĐLĐ …). The root's own proper name ("Thái Nguyên") is taken
   out of the unit names: inside a province's conclusion "UBND tỉnh" means that province's.
2. Organs of a body stand for the body: "Ban Thường vụ Đảng ủy xã …", "Thường trực HĐND
   tỉnh" are assigned to the Party committee and the council.
3. Collective phrases are recognised first and resolved only on confirmation
   (:meth:`Resolver.expand`): "các xã, phường" (every commune under the root), "UBND các
   xã", "Đảng ủy các xã, phường" (that organisation in every commune), "các sở, ban, ngành"
   (the root's agencies), "các đoàn thể chính trị - xã hội" (the root's mass organisations).
4. Otherwise a unit matches when every word of the phrase is a word of its name: "Ban Dân
   vận Tỉnh ủy" finds "Ban Tuyên giáo và Dân vận Tỉnh ủy" (renamed in 2025), "Hội Phụ nữ
   tỉnh" finds "Hội Liên hiệp Phụ nữ tỉnh …". The unit with the fewest words beyond the
   phrase wins, then the one nearest the root; a tie is ambiguous and left for the clerk
   (the candidates are returned). A phrase made only of generic words ("tỉnh", "các cơ
   quan") matches nothing unless it is a unit's whole name ("Tỉnh ủy").

5. Officials (the directory, ``units.Official``), simply: a phrase that is exactly the
   position or the full name of one official in office ("đồng chí Phó Chủ tịch UBND tỉnh",
   "đồng chí Nguyễn Văn An") is assigned to that official's unit, the official noted. Two
   officials with that position or name: left to the clerk.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext as _

from danvan.core.text import fold

if TYPE_CHECKING:
    from danvan.units.models import Unit

# Abbreviations of unit names as they are written in conclusions (folded).
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam",
    "ldld": "lien doan lao dong",
    "hlhpn": "hoi lien hiep phu nu",
    "ccb": "cuu chien binh",
    "bcd": "ban chi dao",
    "qcdc": "quy che dan chu",
    "bchqs": "bo chi huy quan su",
}
# The same body under two usual names (folded, whole words).
_SYNONYMS = (
    ("doan thanh nien cong san ho chi minh tinh", "tinh doan"),
    ("doan thanh nien tinh", "tinh doan"),
    ("uy ban mat tran", "mat tran"),
)
# Organs that act for their body: "Ban Thường vụ Đảng ủy …" is assigned to the Đảng ủy.
# So do the positions of their heads ("Giám đốc Sở Y tế").
_ORGAN_PREFIXES = (
    "giam doc ",
    "chu tich ",
    "thu truong ",
    "nguoi dung dau ",
    "bi thu ",
    "chanh ",
    "truong ",
    "ban thuong vu ",
    "ban thuong truc ",
    "thuong truc ",
    "tap the lanh dao ",
)
# Words that alone name no particular unit.
_GENERIC = frozenset(
    {
        *("tinh", "xa", "phuong", "dac", "khu", "thanh", "pho", "uy", "ban", "cac", "co"),
        *("quan", "don", "vi", "so", "hoi", "nganh", "cap", "va", "to", "chuc", "lien"),
        *("truc", "thuoc", "dia"),
    }
)
_LEVEL_WORDS = ("dac khu", "thanh pho", "tinh", "xa", "phuong")
_WORD = re.compile(r"[0-9a-z]+")

_COMMUNES = r"(?:xa|phuong|dac khu)(?: (?:xa|phuong|dac khu))*"
_COMMUNE_COLLECTIVE = re.compile(
    rf"^(?P<org>.*?) ?(?:(?:cac|tat ca cac) {_COMMUNES}|(?:xa|phuong) (?:xa|phuong|dac khu)"
    rf"(?: (?:xa|phuong|dac khu))*)(?: tren dia ban(?: tinh)?)?$"
)
_AGENCY_COLLECTIVE = re.compile(
    r"^cac (?:so(?: ban)?(?: nganh)?|co quan chuyen mon(?: thuoc uy ban nhan dan)?)(?: tinh)?$"
)
_MASS_COLLECTIVE = re.compile(
    r"^(?:cac )?(?:doan the|to chuc) chinh tri xa hoi(?: tinh)?(?: cac cap)?$"
)
_SAME_LEVEL = re.compile(r"\bcung cap\b")
_COMMUNE_GOVERNMENT = "uy ban nhan dan "


def normalize(phrase: str) -> str:
    """Folded words of *phrase* with abbreviations spelt out and synonyms made one."""
    words = [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(fold(phrase))]
    text = " ".join(words)
    for old, new in _SYNONYMS:
        text = re.sub(rf"\b{old}\b", new, text)
    return text


@dataclass(frozen=True)
class UnitMatch:
    """A unit of the tree: its id and its name as written in the tree."""

    id: int
    name: str


@dataclass(frozen=True)
class Collective:
    """A phrase naming many units ("UBND các xã"), expanded only when the clerk confirms.

    *over* is "commune" (the named organisation in every commune under the root, or the
    communes themselves when *org* is empty) or "root" (the root's own organisations of
    *kind*).
    """

    phrase: str
    over: str
    org: str = ""
    kind: str = ""

    @property
    def key(self) -> str:
        """A stable name of the rule: "@commune:uy ban nhan dan", "@root:agency"."""
        return f"@{self.over}:{self.org if self.over == 'commune' else self.kind}"


@dataclass(frozen=True)
class OfficialMatch:
    """An official of the directory named in the text, and the unit they hold office in."""

    id: int
    name: str
    position: str


@dataclass(frozen=True)
class Resolution:
    """What a phrase resolved to: one unit, a collective, or nothing (maybe candidates)."""

    phrase: str
    unit: UnitMatch | None = None
    official: OfficialMatch | None = None
    collective: Collective | None = None
    candidates: tuple[UnitMatch, ...] = ()
    same_level: bool = False  # "… cùng cấp": the lead's own level, left to the clerk

    @property
    def resolved(self) -> bool:
        return self.unit is not None or self.collective is not None


class Resolver(Protocol):
    """Resolves unit phrases within one subtree."""

    def resolve(self, phrase: str) -> Resolution: ...

    def expand(self, collective: Collective) -> list[UnitMatch]: ...


@dataclass(frozen=True)
class UnitRow:
    """One unit as the index needs it (from the database or from a data file)."""

    id: int
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class OfficialRow:
    id: int
    full_name: str
    position: str
    unit_id: int


@dataclass
class _Entry:
    row: UnitRow
    words: frozenset[str]
    text: str
    depth: int
    accented: frozenset[str]  # the words with their diacritics, lower case


@dataclass
class UnitIndex:
    """The matcher, over the units of one subtree held in memory (both resolvers use it)."""

    rows: list[UnitRow]
    root_id: int
    officials: list[OfficialRow] = field(default_factory=list)
    _entries: list[_Entry] = field(init=False, repr=False)
    _children: dict[int, list[UnitRow]] = field(init=False, repr=False)
    _templates: dict[str, str] = field(init=False, repr=False)
    _root_proper: str = field(init=False, repr=False)
    _people: dict[str, list[OfficialRow]] = field(init=False, repr=False)
    _by_id: dict[int, UnitRow] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_id = self._by_id = {r.id: r for r in self.rows}
        root = by_id[self.root_id]
        root_proper = self._root_proper = _proper_name(normalize(root.name))
        self._children = {}
        for r in self.rows:
            if r.parent_id is not None:
                self._children.setdefault(r.parent_id, []).append(r)
        self._entries = []
        # The root itself is the place, not an assignee ("tỉnh" names no unit).
        for r in (r for r in self.rows if r.id != self.root_id):
            depth, parent = 0, r.parent_id
            while parent is not None and parent in by_id and r.id != self.root_id:
                depth += 1
                parent = by_id[parent].parent_id
            text = _remove_words(normalize(r.name), root_proper)
            self._entries.append(_Entry(r, frozenset(text.split()), text, depth, _accented(r.name)))
        # Officials by folded position and by folded name; a key held by two is ambiguous.
        self._people: dict[str, list[OfficialRow]] = {}
        for o in self.officials:
            if o.unit_id in by_id:
                for key in {normalize(o.position), normalize(o.full_name)}:
                    self._people.setdefault(key, []).append(o)
        # The organisations every commune has, named without the commune ("uy ban nhan
        # dan", "dang uy"): what a collective like "UBND các xã" may name.
        self._templates = {}
        for r in self.rows:
            if r.kind == "commune":
                commune = normalize(r.name)
                for child in self._children.get(r.id, []):
                    org = _remove_words(normalize(child.name), commune)
                    if org:
                        self._templates.setdefault(org, org)

    @classmethod
    def from_jsonl(cls, path: Path) -> UnitIndex:
        """Load a tree kept as JSON lines: ``{"key", "parent", "name", "kind"}`` (root first)."""
        ids: dict[str, int] = {}
        rows: list[UnitRow] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            ids[item["key"]] = number
            parent = ids[item["parent"]] if item["parent"] else None
            rows.append(UnitRow(number, item["name"], item["kind"], parent))
        return cls(rows, rows[0].id)

    def resolve(self, phrase: str) -> Resolution:
        person = normalize(phrase).removeprefix("dong chi ")
        people = self._people.get(person, [])
        if len(people) == 1:
            o = people[0]
            unit = self._by_id[o.unit_id]
            return Resolution(
                phrase,
                unit=UnitMatch(unit.id, unit.name),
                official=OfficialMatch(o.id, o.full_name, o.position),
            )
        text = _remove_words(normalize(phrase), self._root_proper)
        for prefix in _ORGAN_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
        if text.startswith("cho "):  # "giao cho …"
            text = text[4:]
        if _SAME_LEVEL.search(text):
            return Resolution(phrase, same_level=True)
        collective = self._collective(phrase, text)
        if collective is not None:
            return Resolution(phrase, collective=collective)
        words = frozenset(text.split())
        if not words:
            return Resolution(phrase)
        exact = [e for e in self._entries if e.text == text]
        if len(exact) == 1:
            return Resolution(phrase, unit=_match(exact[0]))
        if words <= _GENERIC:
            return Resolution(phrase)
        # Folding merges words ("vận" and "văn" are both "van"): when the phrase has its
        # diacritics, the unit sharing more of its words as written ranks first.
        accented = _accented(phrase)
        scored = sorted(
            (
                (len(accented - e.accented), len(e.words - words), e.depth, e)
                for e in self._entries
                if words <= e.words
            ),
            key=lambda t: t[:3],
        )
        if not scored:
            return self._commune_government(phrase, text)
        best = [t[3] for t in scored if t[:3] == scored[0][:3]]
        if len(best) == 1:
            return Resolution(phrase, unit=_match(best[0]))
        return Resolution(phrase, candidates=tuple(_match(e) for e in best))

    def _commune_government(self, phrase: str, text: str) -> Resolution:
        """ "UBND xã Tân Cương" where the tree holds no People's Committee under the
        commune: the commune itself. A tree of administrative units only (the national
        tree, without a province's own organisations) has the commune stand for its
        government; where the committee is a unit of its own, the match above finds it."""
        if text.startswith(_COMMUNE_GOVERNMENT):
            rest = text[len(_COMMUNE_GOVERNMENT) :]
            communes = [e for e in self._entries if e.row.kind == "commune" and e.text == rest]
            if len(communes) == 1:
                return Resolution(phrase, unit=_match(communes[0]))
        return Resolution(phrase)

    def _collective(self, phrase: str, text: str) -> Collective | None:
        if _AGENCY_COLLECTIVE.match(text):
            return Collective(phrase, "root", kind="agency")
        if _MASS_COLLECTIVE.match(text):
            return Collective(phrase, "root", kind="mass_organization")
        m = _COMMUNE_COLLECTIVE.match(text)
        if m is None:
            return None
        org = m["org"].strip()
        if not org:
            return Collective(phrase, "commune")
        words = frozenset(org.split())
        # The commune organisation this names: every word of the phrase in its name, the
        # fewest words beyond ("uy ban mat tran to quoc" → "uy ban mat tran to quoc viet nam").
        fits = sorted(
            (len(set(t.split()) - words), t) for t in self._templates if words <= set(t.split())
        )
        if not fits:
            return None
        return Collective(phrase, "commune", org=fits[0][1])

    def commune_of(self, unit_id: int) -> int | None:
        """The commune *unit_id* is or lies in (None above the communes): what pairs a
        commune's people's committee with its own Front when both are named collectively."""
        row = self._by_id.get(unit_id)
        while row is not None and row.kind != "commune":
            row = self._by_id.get(row.parent_id) if row.parent_id is not None else None
        return row.id if row is not None else None

    def expand(self, collective: Collective) -> list[UnitMatch]:
        """The units a collective stands for, in tree order."""
        root_children = self._children.get(self.root_id, [])
        if collective.over == "root":
            return [UnitMatch(r.id, r.name) for r in root_children if r.kind == collective.kind]
        found: list[UnitMatch] = []
        for commune in (r for r in root_children if r.kind == "commune"):
            if not collective.org:
                found.append(UnitMatch(commune.id, commune.name))
                continue
            name = normalize(commune.name)
            for child in self._children.get(commune.id, []):
                if _remove_words(normalize(child.name), name) == collective.org:
                    found.append(UnitMatch(child.id, child.name))
        return found


def resolver_for(*, actor: Any, root: Unit, on: dt.date) -> UnitIndex:
    """The resolver for the proposal pages: *root*'s subtree, if *actor* may manage directive
    tasks there; otherwise NotFound, as if the unit did not exist."""
    from danvan.accounts import policies
    from danvan.accounts.policies import Perm
    from danvan.core.errors import NotFound

    if not policies.has_perm(actor, Perm.DIRECTIVE_MANAGE, root):
        raise NotFound(_("Không tìm thấy đơn vị."), code="unit_not_found")
    return db_resolver(root, on=on)


def db_resolver(root: Unit, *, on: dt.date) -> UnitIndex:
    """A resolver over the units under *root* in force on *on* (villages left out) and the
    officials in office on *on*.

    Two queries; the matching runs in memory. Scoping is the caller's (``resolver_for``).
    """
    from django.db.models import Q

    from danvan.units.models import Official, UnitKind
    from danvan.units.selectors import rows_under, units_under

    rows = [
        UnitRow(pk, name, kind, parent_id)
        for pk, name, kind, parent_id in units_under(root)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exclude(kind=UnitKind.VILLAGE)
        .order_by("path")
        .values_list("pk", "name", "kind", "parent_id")
    ]
    officials = [
        OfficialRow(*values)
        for values in rows_under(Official.objects.all(), root)
        .filter(Q(term_start__isnull=True) | Q(term_start__lte=on))
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=on))
        .values_list("pk", "full_name", "position", "unit_id")
    ]
    return UnitIndex(rows, root.pk, officials)


def _accented(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", unicodedata.normalize("NFC", text).lower()))


def _match(entry: _Entry) -> UnitMatch:
    return UnitMatch(entry.row.id, entry.row.name)


def _proper_name(level_name: str) -> str:
    """ "tinh thai nguyen" → "thai nguyen": the name without its level word."""
    for word in _LEVEL_WORDS:
        if level_name.startswith(word + " "):
            return level_name[len(word) + 1 :]
    return level_name


def _remove_words(text: str, words: str) -> str:
    """*text* without the run of *words* (whole words), spaces tidied."""
    if not words:
        return text
    return " ".join(re.sub(rf"\b{re.escape(words)}\b", " ", text).split())
