"""The one unit picker: every form field and list filter that names a unit uses it.

A user types part of a unit's name without diacritics ("phan dinh phung") or its
code, and picks among the units they may act on for the field's *purpose* (a
permission, see accounts.policies). It works in two ways:

- without JavaScript the field is a text input; on submit the text resolves when it
  names exactly one allowed unit (its code, its folded name, or "name — parent" as
  the picker shows it) or when a search finds only one; if several match, the form
  comes back with a short list of radio buttons; if none, with a message. What was
  typed is kept.
- with JavaScript (static/danvan/unitpicker.js) htmx fetches suggestions from
  ``units:suggest`` as the user types, shown as an ARIA combobox; the chosen unit's
  code goes in a hidden input ``<name>_pick`` while the visible input shows its name.

A unit the user may not act on is never suggested, and if its code is posted anyway
it is refused exactly like a missing one. Services keep taking units and codes.

Usage in a form::

    class TransferForm(forms.Form):
        to_unit = UnitField(purpose=Perm.CASE_HANDLE, anywhere=True, label=...)

        def __init__(self, *args, actor, **kwargs):
            super().__init__(*args, **kwargs)
            picker.bind(self, actor)

and for a list filter ``unit_filter(request, purpose=Perm.CASE_VIEW)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.text import fold

from . import tree
from .models import Unit
from .selectors import unit_search_q

# Suggestions shown while typing, and choices listed when typed text is ambiguous.
SUGGEST_LIMIT = 12
CHOICE_LIMIT = 10
# Longer than any unit's name (255) with its parent's; longer text is refused, not searched.
MAX_TEXT = 300
# Co-units and the like: more entries than this in one field are refused.
MAX_ENTRIES = 30
# "Phường Phan Đình Phùng — Thái Nguyên": how the picker shows a unit (name, parent).
LABEL_SEPARATOR = " — "
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_ENTRY_SPLIT = re.compile(r"[;,\n]+")
# A unit's materialized path (units.tree): one to MAX_DEPTH fixed-width runs of digits.
_PATH = re.compile(rf"^(?:[0-9]{{{tree.SEGMENT}}}){{1,{tree.MAX_DEPTH}}}$")


# -- whom a field offers --------------------------------------------------------------


@dataclass(frozen=True)
class Purpose:
    """Which units a picker offers: those where the user holds *perm*.

    *anywhere*: any unit in the system, for users who hold *perm* somewhere (a case
    may be transferred to any competent unit, not only to one the officer works in).
    *kinds* narrows to unit kinds; *history* also offers units that have ended.
    *within* (a unit's path) narrows to that unit and the units under it: the targets
    of an inspection lie in its plan's unit's subtree, wherever else the user may act.
    """

    perm: Perm
    anywhere: bool = False
    kinds: tuple[str, ...] = ()
    history: bool = False
    within: str = ""

    def query(self) -> dict[str, str]:
        params = {"perm": self.perm.value}
        if self.anywhere:
            params["anywhere"] = "1"
        if self.kinds:
            params["kinds"] = ",".join(self.kinds)
        if self.history:
            params["history"] = "1"
        if self.within:
            params["within"] = self.within
        return params

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Purpose | None:
        """The purpose a suggestion request names (None when it names no known permission).

        Safe to take from the request: every part only narrows what the user's
        grants allow, and *anywhere* still asks for the permission somewhere. A
        *within* that is no well-formed path is ignored (it could only narrow anyway).
        """
        try:
            perm = Perm(params.get("perm", ""))
        except ValueError:
            return None
        kinds = tuple(k for k in (params.get("kinds") or "").split(",") if k)
        return cls(
            perm=perm,
            anywhere=params.get("anywhere") == "1",
            kinds=kinds,
            history=params.get("history") == "1",
            within=valid_path(params.get("within") or ""),
        )


def valid_path(path: str) -> str:
    """*path* when it is a well-formed unit path (units.tree), else ""."""
    return path if _PATH.match(path) else ""


def allowed_units(actor: Any, purpose: Purpose) -> QuerySet[Unit]:
    """The units *actor* may pick for *purpose* (current ones unless it says history)."""
    if purpose.anywhere:
        qs = (
            Unit.objects.all()
            if policies.has_perm_anywhere(actor, purpose.perm)
            else Unit.objects.none()
        )
    elif purpose.perm == Perm.UNIT_VIEW:
        qs = Unit.objects.filter(policies.visible_units_q(actor))
    else:
        qs = Unit.objects.filter(policies.scope_q(actor, purpose.perm))
    if not purpose.history:
        qs = qs.filter(valid_to__isnull=True)
    if purpose.kinds:
        qs = qs.filter(kind__in=purpose.kinds)
    if purpose.within:
        # The same index range as accounts.policies.subtree_q, from the path alone.
        low, high = tree.subtree_bounds(purpose.within)
        qs = qs.filter(path__gte=low, path__lt=high)
    return qs.select_related("parent")


def label(unit: Unit) -> str:
    """The unit as the picker shows it: its name and, to tell namesakes apart, its parent's."""
    return f"{unit.name}{LABEL_SEPARATOR}{unit.parent.name}" if unit.parent else unit.name


# -- matching typed text ------------------------------------------------------------------

_EXACT = 1  # rank at or below which a match is exact (a code, a full name)


def search(actor: Any, purpose: Purpose, text: str, *, limit: int) -> list[Unit]:
    """Allowed units matching *text*, best first, at most *limit* (one query).

    Each unit carries ``rank``: 0 its code, 1 its full name (or "name — parent"),
    2 a name starting with the text, 3 a name containing it. Ties go to the
    higher level, then to the name in Vietnamese order.
    """
    text = text.strip()
    if not text:
        return []
    name_part, _sep, parent_part = text.partition(LABEL_SEPARATOR.strip())
    name_part = name_part.strip() or text
    folded = fold(name_part)
    exact_name = Q(name_folded=folded)
    if parent_part.strip():
        exact_name &= Q(parent__name_folded=fold(parent_part))
    rank = Case(
        When(code=text, then=Value(0)),
        When(exact_name, then=Value(1)),
        When(name_folded__startswith=folded, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    rows = (
        allowed_units(actor, purpose)
        .filter(unit_search_q(name_part) | Q(code=text))
        .annotate(rank=rank)
        .order_by("rank", "depth", "name_folded", "code")
    )
    return list(rows[:limit])


def refusal(text: str) -> str | None:
    """Why *text* cannot be searched at all (None when it can)."""
    if "\x00" in text:
        return str(_("Tên hoặc mã đơn vị có ký tự không hợp lệ."))
    if len(text) > MAX_TEXT:
        return str(
            _("Tên hoặc mã đơn vị dài quá %(max)s ký tự, hãy gõ ngắn hơn.") % {"max": MAX_TEXT}
        )
    return None


def _clean_codes(codes: Iterable[str]) -> list[str]:
    """Posted codes that could be codes at all (a NUL byte or a long string is no code)."""
    return list(dict.fromkeys(c.strip() for c in codes if c and _CODE.match(c.strip())))


@dataclass
class Resolution:
    """What typed text and picked codes came to: one unit, choices, or a message."""

    unit: Unit | None = None
    choices: Sequence[Unit] = ()
    error: str = ""


def _not_found(text: str, purpose: Purpose | None = None) -> str:
    if purpose is not None and purpose.within:
        return str(
            _(
                "Không tìm thấy đơn vị “%(text)s” thuộc “%(within)s” trong phạm vi bạn được"
                " thao tác."
            )
            % {"text": text, "within": _within_name(purpose)}
        )
    return str(
        _("Không tìm thấy đơn vị “%(text)s” trong phạm vi bạn được thao tác.") % {"text": text}
    )


def _within_name(purpose: Purpose) -> str:
    """The name of the unit *purpose* is narrowed to (one query; only for messages)."""
    name = Unit.objects.filter(path=purpose.within).values_list("name", flat=True).first()
    return name or ""


def _outside(unit: Unit, purpose: Purpose) -> str:
    return str(
        _(
            "“%(unit)s” không thuộc “%(within)s”: chỉ chọn được “%(within)s” và các đơn vị"
            " trực thuộc."
        )
        % {"unit": unit.name, "within": _within_name(purpose)}
    )


def _outside_units(actor: Any, purpose: Purpose, codes: Sequence[str]) -> dict[str, Unit]:
    """Of *codes*, the units the user could pick were the field not narrowed by *within*.

    Naming them is no leak (the user may act on them anyway), and "not under the plan's
    unit" says what is wrong better than "not found".
    """
    if not purpose.within or not codes:
        return {}
    wider = replace(purpose, within="")
    return {u.code: u for u in allowed_units(actor, wider).filter(code__in=codes)}


def _miss(actor: Any, purpose: Purpose, text: str) -> str:
    """Why *text* matched no allowed unit: outside the narrowed subtree, or not found."""
    if purpose.within:
        wider = search(actor, replace(purpose, within=""), text, limit=2)
        exact = [u for u in wider if u.rank <= _EXACT]  # type: ignore[attr-defined]
        named = exact or wider
        if len(named) == 1:
            return _outside(named[0], purpose)
    return _not_found(text, purpose)


def _ambiguous(text: str, rows: Sequence[Unit], more: bool) -> str:
    count = len(rows)
    if more:
        return str(
            _("Có hơn %(count)s đơn vị khớp với “%(text)s”, hãy chọn một hoặc gõ thêm tên cho rõ.")
            % {"count": count, "text": text}
        )
    return ngettext(
        "Có %(count)s đơn vị khớp với “%(text)s”, hãy chọn một.",
        "Có %(count)s đơn vị khớp với “%(text)s”, hãy chọn một.",
        count,
    ) % {"count": count, "text": text}


def _consistent(unit: Unit, text: str) -> bool:
    """Does *text* still name *unit* (the label the picker filled in, its name or code)?"""
    folded = fold(text)
    return text == unit.code or folded in (fold(label(unit)), unit.name_folded)


def resolve(actor: Any, purpose: Purpose, text: str, picks: Sequence[str] = ()) -> Resolution:
    """The one unit *text* (and a picked code, if any) names among the allowed ones.

    A picked code counts when the text still names that unit (the script filled
    both in) or when it is one of the text's matches (a choice from the short list).
    At most two queries, and up to three more to explain a miss in a narrowed field.
    """
    text = text.strip()
    why = refusal(text)
    if why:
        return Resolution(error=why)
    codes = _clean_codes(picks)
    picked = None
    if codes:
        picked = allowed_units(actor, purpose).filter(code=codes[-1]).first()
        if picked is not None and (not text or _consistent(picked, text)):
            return Resolution(unit=picked)
        if picked is None:
            for unit in _outside_units(actor, purpose, codes[-1:]).values():
                if not text or _consistent(unit, text):
                    return Resolution(error=_outside(unit, purpose))
    if not text:
        return Resolution()
    rows = search(actor, purpose, text, limit=CHOICE_LIMIT + 1)
    if picked is not None and any(u.pk == picked.pk for u in rows):
        return Resolution(unit=picked)
    exact = [u for u in rows if u.rank <= _EXACT]  # type: ignore[attr-defined]
    pool = exact or rows
    if len(pool) == 1:
        return Resolution(unit=pool[0])
    if not pool:
        return Resolution(error=_miss(actor, purpose, text))
    more = not exact and len(rows) > CHOICE_LIMIT
    choices = pool[:CHOICE_LIMIT]
    return Resolution(choices=choices, error=_ambiguous(text, choices, more))


# -- the form field --------------------------------------------------------------------


@dataclass
class Typed:
    """What the browser sent for a picker: the visible text and the picked codes."""

    text: str
    picks: list[str]


class UnitPickerWidget(forms.Widget):
    """A text input with suggestions (the ARIA combobox of unitpicker.js), a hidden
    input for the picked code, and the short list of choices after an ambiguous search."""

    template_name = "units/picker/widget.html"

    def __init__(
        self,
        purpose: Purpose,
        *,
        multiple: bool = False,
        compact: bool = False,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__({"class": "form-control", **(attrs or {})})
        self.purpose, self.multiple, self.compact = purpose, multiple, compact
        # Filled in by the field when it cleans: the units to choose among, and the
        # ones already chosen (multiple pickers).
        self.choices: Sequence[Unit] = ()

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Typed:
        text = data.get(name) or ""
        getlist = getattr(data, "getlist", None)
        raw = getlist(f"{name}_pick") if getlist else [data.get(f"{name}_pick") or ""]
        return Typed(text=str(text), picks=[str(p) for p in raw if p])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_pick" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        widget = context["widget"]
        text, code, chosen = "", "", []
        if isinstance(value, Typed):
            text = value.text
        elif isinstance(value, Unit):
            text, code = label(value), value.code
        elif isinstance(value, list):
            chosen = [u for u in value if isinstance(u, Unit)]
            text = "; ".join(str(t) for t in value if isinstance(t, str))
        chosen_pks = {u.pk for u in chosen}
        widget.update(
            {
                "text": text,
                "code": code,
                "chosen": [(u.code, label(u)) for u in chosen],
                "choices": [(u.code, label(u)) for u in self.choices if u.pk not in chosen_pks],
                "multiple": self.multiple,
                "compact": self.compact,
                "listbox_id": f"{widget['attrs'].get('id') or name}_listbox",
                "suggest_url": f"{reverse('units:suggest')}?{urlencode(self.purpose.query())}",
                "max_length": MAX_TEXT,
            }
        )
        return context


def _units_by_codes(codes: Sequence[str]) -> list[Unit]:
    """Units for codes the server itself put in a form (initial values), in order."""
    found = {u.code: u for u in Unit.objects.filter(code__in=codes).select_related("parent")}
    return [found[c] for c in codes if c in found]


class UnitField(forms.Field):
    """One unit, picked by name or code among those the actor may use for *purpose*.

    Cleans to a Unit (None when empty and not required). Call ``bind(form, actor)``
    in the form's ``__init__``. The initial value may be a Unit or a code.
    """

    default_error_messages = {"required": _("Chọn một đơn vị: gõ tên (không cần dấu) hoặc mã.")}

    def __init__(
        self,
        *,
        purpose: Perm,
        anywhere: bool = False,
        kinds: Sequence[str] = (),
        history: bool = False,
        compact: bool = False,
        **kwargs: Any,
    ) -> None:
        self.purpose = Purpose(perm=purpose, anywhere=anywhere, kinds=tuple(kinds), history=history)
        kwargs["widget"] = UnitPickerWidget(self.purpose, compact=compact)
        kwargs.setdefault("help_text", _("Gõ tên đơn vị (không cần dấu) hoặc mã, rồi chọn."))
        super().__init__(**kwargs)
        self.actor: Any = None
        self._resolved: Unit | None = None

    def clean(self, value: Any) -> Unit | None:
        if self.actor is None:
            raise RuntimeError("UnitField needs units.picker.bind(form, actor) before cleaning")
        typed = value if isinstance(value, Typed) else Typed(text=str(value or ""), picks=[])
        result = resolve(self.actor, self.purpose, typed.text, typed.picks)
        if result.error:
            self._picker_widget().choices = result.choices
            raise forms.ValidationError(result.error, code="unit")
        if result.unit is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        self._resolved = result.unit
        return result.unit

    def _picker_widget(self) -> UnitPickerWidget:
        widget = self.widget
        assert isinstance(widget, UnitPickerWidget)
        return widget

    def show(self, unit: Unit) -> None:
        """Show *unit* in the field although it was left empty (a filter's default)."""
        self._resolved = unit

    def bound_data(self, data: Any, initial: Any) -> Any:
        # Once resolved, show the unit (its name, with the code in the hidden input),
        # not what was typed: the page then reads as the unit it is about.
        return self._resolved if self._resolved is not None else data

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            found = _units_by_codes([value.strip()])
            return found[0] if found else Typed(text=value, picks=[])
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True


class UnitMultipleField(forms.Field):
    """Several units (co-units, the units of a merge): chosen ones as check boxes,
    more typed in the text input, separated by “;” (or “,”).

    Cleans to a list of Units in the order chosen, without repeats.
    """

    default_error_messages = {"required": _("Chọn ít nhất một đơn vị.")}

    def __init__(
        self,
        *,
        purpose: Perm,
        anywhere: bool = False,
        kinds: Sequence[str] = (),
        history: bool = False,
        **kwargs: Any,
    ) -> None:
        self.purpose = Purpose(perm=purpose, anywhere=anywhere, kinds=tuple(kinds), history=history)
        kwargs["widget"] = UnitPickerWidget(self.purpose, multiple=True)
        kwargs.setdefault(
            "help_text",
            _("Gõ tên đơn vị (không cần dấu) hoặc mã rồi chọn; nhiều đơn vị cách nhau dấu “;”."),
        )
        super().__init__(**kwargs)
        self.actor: Any = None
        self._shown: list[Any] | None = None

    def _entries(self, text: str) -> list[str]:
        entries: list[str] = []
        for part in _ENTRY_SPLIT.split(text):
            part = part.strip()
            tokens = part.split()
            # "01 02 03": codes separated by spaces, as the code fields took them.
            if len(tokens) > 1 and all(_looks_like_code(t) for t in tokens):
                entries.extend(tokens)
            elif part:
                entries.append(part)
        return entries

    def clean(self, value: Any) -> list[Unit]:
        if self.actor is None:
            raise RuntimeError("UnitMultipleField needs units.picker.bind(form, actor)")
        typed = value if isinstance(value, Typed) else Typed(text=str(value or ""), picks=[])
        why = refusal(typed.text)
        if why:
            raise forms.ValidationError(why, code="unit")
        entries = self._entries(typed.text)
        if len(entries) + len(typed.picks) > MAX_ENTRIES:
            raise forms.ValidationError(
                _("Chọn tối đa %(max)s đơn vị."), params={"max": MAX_ENTRIES}, code="unit"
            )
        allowed = allowed_units(self.actor, self.purpose)
        codes = _clean_codes(typed.picks)
        picked = {u.code: u for u in allowed.filter(code__in=codes)} if codes else {}
        chosen: list[Unit] = [picked[c] for c in codes if c in picked]
        errors: list[str] = []
        if len(picked) < len(set(typed.picks)):
            missing = [p for p in typed.picks if p not in picked]
            outside = _outside_units(self.actor, self.purpose, _clean_codes(missing))
            errors.extend(
                _outside(outside[p], self.purpose) if p in outside else _not_found(p[:40])
                for p in missing
            )
        left: list[str] = []
        choices: list[Unit] = []
        for entry in entries:
            result = resolve(self.actor, self.purpose, entry)
            if result.unit is not None:
                chosen.append(result.unit)
            elif any(u.code in picked for u in result.choices):
                continue  # the user picked one of this entry's choices
            else:
                errors.append(result.error)
                choices.extend(result.choices)
                left.append(entry)
        unique = list({u.pk: u for u in chosen}.values())
        if errors:
            self._picker_widget().choices = choices
            self._shown = [*unique, *left]
            raise forms.ValidationError(errors, code="unit")
        if not unique and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        self._shown = list(unique)
        return unique

    def _picker_widget(self) -> UnitPickerWidget:
        widget = self.widget
        assert isinstance(widget, UnitPickerWidget)
        return widget

    def bound_data(self, data: Any, initial: Any) -> Any:
        # Chosen units show as checked boxes; entries that did not resolve stay typed.
        return self._shown if self._shown is not None else data

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = _ENTRY_SPLIT.split(value)
        if isinstance(value, list | tuple) and any(isinstance(v, str) for v in value):
            codes = [v.strip() for v in value if isinstance(v, str) and v.strip()]
            return [v for v in value if isinstance(v, Unit)] + _units_by_codes(codes)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True


def _looks_like_code(token: str) -> bool:
    return bool(_CODE.match(token)) and any(c.isdigit() for c in token)


def bind(form: forms.BaseForm, actor: Any) -> None:
    """Tell the form's unit pickers who is picking (their choices depend on it)."""
    for field in form.fields.values():
        if isinstance(field, UnitField | UnitMultipleField):
            field.actor = actor


def narrow(field: forms.Field, unit: Unit) -> None:
    """Make a picker field offer only *unit* and the units under it (Purpose.within):
    its suggestions, its search without JavaScript and what it accepts when posted."""
    if not isinstance(field, UnitField | UnitMultipleField):
        raise TypeError("units.picker.narrow takes a UnitField or a UnitMultipleField")
    field.purpose = replace(field.purpose, within=unit.path)
    # The widget builds the suggestion URL from the purpose; keep its attrs (styling).
    field._picker_widget().purpose = field.purpose


# -- list filters ------------------------------------------------------------------------


class UnitFilterForm(forms.Form):
    """The unit a list page is about (with its subtree); empty: the user's working unit."""

    unit = UnitField(purpose=Perm.UNIT_VIEW, required=False, label=_("Đơn vị"))

    def __init__(
        self,
        *args: Any,
        actor: Any,
        purpose: Perm = Perm.UNIT_VIEW,
        kinds: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, UnitField)
        field.purpose = Purpose(perm=purpose, kinds=tuple(kinds))
        field.widget = UnitPickerWidget(field.purpose)
        field.help_text = _("Gồm cả các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã.")
        bind(self, actor)


def unit_filter(
    request: HttpRequest,
    *,
    purpose: Perm = Perm.UNIT_VIEW,
    kinds: Sequence[str] = (),
) -> tuple[UnitFilterForm, Unit | None]:
    """The list filter of a page that takes ``?unit=`` and the unit it names.

    Empty: the unit the user works in (None for a national user: the national view).
    When the typed unit is missing, out of reach or ambiguous, the unit is None and
    the form carries the message and choices (the view answers 400).
    """
    from danvan.accounts.selectors import current_unit

    bound = "unit" in request.GET or "unit_pick" in request.GET
    form = UnitFilterForm(
        request.GET if bound else None, actor=request.user, purpose=purpose, kinds=kinds
    )
    if not bound:
        unit = current_unit(request)
        form.initial = {"unit": unit} if unit is not None else {}
        return form, unit
    if not form.is_valid():
        return form, None
    unit = form.cleaned_data["unit"]
    if unit is None:
        # Left empty: the working unit, shown in the field as what the page is about.
        unit = current_unit(request)
        field = form.fields["unit"]
        if unit is not None and isinstance(field, UnitField):
            field.show(unit)
    return form, unit


# -- the top bar's unit switcher --------------------------------------------------------

# Up to this many granted units the switcher is a plain list; more, and it is a picker.
SWITCHER_LIST_MAX = 6


class UnitSwitchForm(forms.Form):
    """The working unit (top bar): any unit the user may see (accounts:switch_unit)."""

    unit = UnitField(
        purpose=Perm.UNIT_VIEW,
        compact=True,
        label=_("Đơn vị làm việc"),
        help_text="",
        error_messages={"required": _("Gõ tên (không cần dấu) hoặc mã đơn vị muốn làm việc.")},
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        # Its own ids: the page below may have a unit field of its own (id_unit).
        kwargs.setdefault("auto_id", "unit-switcher-%s")
        super().__init__(*args, **kwargs)
        widget = self.fields["unit"].widget
        widget.attrs.update(
            {"class": "form-control form-control-sm", "placeholder": _("Đơn vị làm việc…")}
        )
        bind(self, actor)


def national_view(user: Any, form: forms.BaseForm, unit: Unit | None, perm: Perm) -> bool:
    """Does a list page show the whole country: no unit picked (nor refused) for a user
    who holds *perm* nationally? Such a user then sees national figures, never an empty
    page asking for a unit."""
    return unit is None and not form.errors and policies.has_perm(user, perm, None)
