"""The names of units before 1 July 2025, read from the `vietnamadminunits` package.

The package (MIT licence) bundles the old tree (63 provinces, their districts and communes,
with official codes) and the 2025 conversion table (which new commune took each old one;
an old commune divided among several new ones names a default). Only its JSON data is
read, with importlib.resources: its Python modules pull in shapely and geopy, which danvan
does not need. Nothing is downloaded at run time.

This module turns that data into plain rows (FormerRow) matched to our current units; the
write is services.former_names_load.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from danvan.core.text import fold

PACKAGE = "vietnamadminunits"
FILES = ("converter_2025.json", "parser_legacy.json", "parser_from_2025.json")

# The word a commune's official name starts with, dropped for the second-chance match
# ("Xã Chân Mây - Lăng Cô" in one source, "Phường Chân Mây - Lăng Cô" in the other).
_COMMUNE_TYPE = re.compile(r"^(xa|phuong|thi tran|dac khu)\s+")
_WARD_SOURCES = (
    "DICT_PROVINCE_WARD_NO_ACCENTED",
    "DICT_PROVINCE_WARD_ACCENTED",
    "DICT_PROVINCE_WARD_SHORT_ACCENTED",
)
_LEGACY_WARD_SOURCES = (
    "DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED",
    "DICT_PROVINCE_DISTRICT_WARD_ACCENTED",
    "DICT_PROVINCE_DISTRICT_WARD_SHORT_ACCENTED",
)


@dataclass(frozen=True)
class PackageData:
    converter: Mapping[str, Any]
    legacy: Mapping[str, Any]
    current: Mapping[str, Any]


@dataclass(frozen=True)
class FormerRow:
    kind: str  # FormerName.Kind value
    code: str
    name: str
    district_name: str
    province_name: str
    # Codes of the current units covering it, default first, each with its default flag.
    units: tuple[tuple[str, bool], ...]


@dataclass
class Rows:
    rows: list[FormerRow] = field(default_factory=list)
    # New communes of the package that match none of ours ("province key/ward key").
    unmatched: list[str] = field(default_factory=list)


def package_data() -> PackageData:
    """The three JSON files of the installed package."""
    base = resources.files(PACKAGE).joinpath("data")
    converter, legacy, current = (
        json.loads(base.joinpath(name).read_text("utf-8")) for name in FILES
    )
    return PackageData(converter=converter, legacy=legacy, current=current)


def match_key(name: str) -> str:
    """A name reduced to letters and digits, folded: "Xã Ea H'Leo" and "Xã  Ea H’Leo" agree."""
    return "".join(ch for ch in fold(name) if ch.isalnum() or ch == " ").replace(" ", "")


def _short_key(name: str) -> str:
    return match_key(_COMMUNE_TYPE.sub("", fold(name)))


def _new_ward_codes(
    data: PackageData, communes: Mapping[str, tuple[str, str]], out: Rows
) -> dict[tuple[str, str], str]:
    """(new province key, new ward key) -> the code of our commune.

    *communes* maps each current commune's code to (province code, name). The package's
    code is trusted when our unit of that code has the same name; otherwise the name within
    the province decides (the two packages disagree on a few codes), then the name without
    its type word, then the code alone. What still does not match is reported.
    """
    by_name: dict[tuple[str, str], list[str]] = {}
    by_short: dict[tuple[str, str], list[str]] = {}
    for code, (province, name) in communes.items():
        by_name.setdefault((province, match_key(name)), []).append(code)
        by_short.setdefault((province, _short_key(name)), []).append(code)
    province_codes = {k: v["provinceCode"] for k, v in data.current["DICT_PROVINCE"].items()}
    result: dict[tuple[str, str], str] = {}
    for source in _WARD_SOURCES:
        for province_key, wards in data.current.get(source, {}).items():
            province = province_codes[province_key]
            for ward_key, ward in wards.items():
                if (province_key, ward_key) in result:
                    continue
                code, name = ward["wardCode"], ward["ward"]
                ours = communes.get(code)
                same = by_name.get((province, match_key(name)), [])
                short = by_short.get((province, _short_key(name)), [])
                if (
                    ours is not None
                    and ours[0] == province
                    and match_key(ours[1]) == match_key(name)
                ):
                    result[(province_key, ward_key)] = code
                elif len(same) == 1:
                    result[(province_key, ward_key)] = same[0]
                elif len(short) == 1:
                    result[(province_key, ward_key)] = short[0]
                elif ours is not None and ours[0] == province:
                    result[(province_key, ward_key)] = code
                else:
                    out.unmatched.append(f"{province_key}/{ward_key} {code} {name}")
    return result


def _ordered(counts: Counter[str], default: str | None = None) -> tuple[tuple[str, bool], ...]:
    """Codes by how much of the former unit each covers (the default first), then code."""
    first = default if default is not None else (counts.most_common(1)[0][0] if counts else None)
    rest = sorted((c for c in counts if c != first), key=lambda c: (-counts[c], c))
    return tuple([(first, True)] if first else []) + tuple((c, False) for c in rest)


def build_rows(
    data: PackageData,
    *,
    provinces: Mapping[str, str],
    communes: Mapping[str, tuple[str, str]],
) -> Rows:
    """The former provinces, districts and communes with the current units covering them.

    *provinces* is the set of current province codes (code -> name); *communes* maps each
    current commune's code to (province code, name).
    """
    out = Rows()
    new_codes = _new_ward_codes(data, communes, out)
    legacy_provinces = data.legacy["DICT_PROVINCE"]
    legacy_districts = data.legacy["DICT_PROVINCE_DISTRICT"]

    # Old ward key "province_district_ward" -> Counter of new commune codes (+ default).
    covered: dict[str, list[tuple[str, bool]]] = {}
    for province_key, wards in data.converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            code = new_codes.get((province_key, ward_key))
            if code is None:
                continue
            for old in old_keys:
                covered.setdefault(old, []).append((code, True))
    for province_key, olds in data.converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                code = new_codes.get((province_key, part["newWardKey"]))
                if code is not None:
                    covered.setdefault(old, []).append((code, bool(part["isDefaultNewWard"])))

    # Provinces: the new province each old one went into.
    new_province_of: dict[str, str] = {}
    new_province_codes = {k: v["provinceCode"] for k, v in data.current["DICT_PROVINCE"].items()}
    for new_key, old_keys in data.converter["DICT_PROVINCE"].items():
        for old in old_keys:
            new_province_of[old] = new_province_codes[new_key]
    for key, province in legacy_provinces.items():
        target = new_province_of.get(key)
        out.rows.append(
            FormerRow(
                kind="province",
                code=province["provinceCode"],
                name=province["province"],
                district_name="",
                province_name="",
                units=((target, True),) if target is not None and target in provinces else (),
            )
        )

    district_cover: dict[tuple[str, str], Counter[str]] = {}
    seen_wards: set[str] = set()
    for source in _LEGACY_WARD_SOURCES:
        for province_key, districts in data.legacy.get(source, {}).items():
            province_short = legacy_provinces[province_key]["provinceShort"]
            for district_key, wards in districts.items():
                district = legacy_districts[province_key][district_key]
                cover = district_cover.setdefault((province_key, district_key), Counter())
                for ward_key, ward in wards.items():
                    old_key = f"{province_key}_{district_key}_{ward_key}"
                    # The island districts carry one placeholder ward (NaN in the JSON).
                    if old_key in seen_wards or not isinstance(ward.get("ward"), str):
                        continue
                    seen_wards.add(old_key)
                    parts = covered.get(old_key, [])
                    cover.update(code for code, _ in parts)
                    default = next((code for code, flag in parts if flag), None)
                    out.rows.append(
                        FormerRow(
                            kind="commune",
                            code=ward["wardCode"],
                            name=ward["ward"],
                            district_name=district["district"],
                            province_name=province_short,
                            units=_ordered(Counter(code for code, _ in parts), default),
                        )
                    )
    # Island districts without communes ("huyện đảo") appear as "province_district_".
    for old_key, parts in covered.items():
        province_key, district_key, ward_key = old_key.split("_", 2)
        if not ward_key:
            district_cover.setdefault((province_key, district_key), Counter()).update(
                code for code, _ in parts
            )
    for province_key, districts in legacy_districts.items():
        province_short = legacy_provinces[province_key]["provinceShort"]
        for district_key, district in districts.items():
            out.rows.append(
                FormerRow(
                    kind="district",
                    code=district["districtCode"],
                    name=district["district"],
                    district_name="",
                    province_name=province_short,
                    units=_ordered(district_cover.get((province_key, district_key), Counter())),
                )
            )
    return _unique(out)


def _unique(out: Rows) -> Rows:
    """One row per (kind, code): the package lists a few communes twice (once per spelling)."""
    seen: set[tuple[str, str]] = set()
    rows = []
    for row in out.rows:
        if (row.kind, row.code) not in seen:
            seen.add((row.kind, row.code))
            rows.append(row)
    out.rows = rows
    return out
