"""The unit picker: how typed text resolves, and the suggestions it offers."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from danvan.accounts.models import Role
from danvan.accounts.policies import Perm
from danvan.accounts.testing import login_verified, make_user
from danvan.units import picker
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

PHAN_DINH_PHUNG = "05443"  # Phường Phan Đình Phùng, Thái Nguyên (the package's tree)


class OneUnitForm(forms.Form):
    unit = picker.UnitField(purpose=Perm.CASE_HANDLE, label="Đơn vị")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)


class AnywhereForm(OneUnitForm):
    unit = picker.UnitField(purpose=Perm.CASE_HANDLE, anywhere=True, label="Đơn vị")


class ManyUnitsForm(OneUnitForm):
    unit = picker.UnitMultipleField(purpose=Perm.CASE_HANDLE, label="Đơn vị")  # type: ignore[assignment]


@pytest.fixture
def ppd() -> Unit:
    return Unit.objects.select_related("parent").get(code=PHAN_DINH_PHUNG)


@pytest.fixture
def province_officer(thai_nguyen: Unit):
    return make_user("tn-officer", Role.OFFICER, thai_nguyen)


def test_a_name_typed_without_diacritics_resolves(province_officer, ppd: Unit) -> None:
    form = OneUnitForm({"unit": "phan dinh phung"}, actor=province_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == ppd


def test_a_code_and_the_label_the_picker_shows_resolve(province_officer, ppd: Unit) -> None:
    for text in (PHAN_DINH_PHUNG, "Phường Phan Đình Phùng — Thái Nguyên", "PHUONG PHAN DINH PHUNG"):
        form = OneUnitForm({"unit": text}, actor=province_officer)
        assert form.is_valid(), (text, form.errors)
        assert form.cleaned_data["unit"] == ppd


def test_the_hidden_code_counts_while_the_text_still_names_it(province_officer, ppd) -> None:
    data = {"unit": picker.label(ppd), "unit_pick": ppd.code}
    form = OneUnitForm(data, actor=province_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == ppd
    # The user typed something else after picking: the text wins.
    other = Unit.objects.filter(parent=ppd.parent).exclude(pk=ppd.pk).order_by("code").first()
    assert other is not None
    form = OneUnitForm({"unit": other.code, "unit_pick": ppd.code}, actor=province_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == other


def test_an_ambiguous_name_comes_back_with_choices(system_admin) -> None:
    # "Tân Lập" is a commune in several provinces.
    namesakes = Unit.objects.filter(name_folded__contains="tan lap", valid_to__isnull=True)
    assert namesakes.count() > 1
    form = OneUnitForm({"unit": "tan lap"}, actor=system_admin)
    assert not form.is_valid()
    message = form.errors["unit"][0]
    assert "đơn vị khớp với “tan lap”, hãy chọn một" in message
    html = str(form["unit"])
    assert 'type="radio"' in html
    assert 'value="tan lap"' in html
    chosen = namesakes.order_by("code").first()
    assert chosen is not None
    assert f'value="{chosen.code}"' in html
    # Choosing one of the listed units resolves, the text left as typed.
    form = OneUnitForm({"unit": "tan lap", "unit_pick": chosen.code}, actor=system_admin)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == chosen


def test_nothing_found_is_said_and_the_text_kept(province_officer) -> None:
    form = OneUnitForm({"unit": "khong co xa nao"}, actor=province_officer)
    assert not form.is_valid()
    assert form.errors["unit"] == [
        "Không tìm thấy đơn vị “khong co xa nao” trong phạm vi bạn được thao tác."
    ]
    assert 'value="khong co xa nao"' in str(form["unit"])


def test_a_unit_out_of_scope_is_refused_like_a_missing_one(commune, sibling_commune) -> None:
    officer = make_user("commune-officer", Role.OFFICER, commune)
    for data in (
        {"unit": sibling_commune.code},
        {"unit": sibling_commune.name},
        {"unit": picker.label(sibling_commune), "unit_pick": sibling_commune.code},
        {"unit": "", "unit_pick": sibling_commune.code},
    ):
        form = OneUnitForm(data, actor=officer)
        assert not form.is_valid(), data
        assert str(form.errors["unit"][0]).startswith(("Không tìm thấy đơn vị", "Chọn một đơn vị"))
    # ...while the same officer may pick it as a transfer target (any current unit).
    form = AnywhereForm({"unit": sibling_commune.code}, actor=officer)
    assert form.is_valid(), form.errors


def test_ended_units_are_offered_only_when_the_purpose_says_history(system_admin) -> None:
    ended = Unit.objects.filter(valid_to__isnull=False).first()
    assert ended is not None
    assert not OneUnitForm({"unit": ended.code}, actor=system_admin).is_valid()
    purpose = picker.Purpose(perm=Perm.UNIT_VIEW, history=True)
    assert picker.resolve(system_admin, purpose, ended.code).unit == ended


@pytest.mark.parametrize("text", ["ph\x00an", "x" * 1000])
def test_bad_text_is_an_error_not_a_crash(province_officer, text: str) -> None:
    form = OneUnitForm({"unit": text, "unit_pick": text}, actor=province_officer)
    assert not form.is_valid()
    assert form.errors["unit"]


def test_required_and_empty(province_officer) -> None:
    form = OneUnitForm({"unit": ""}, actor=province_officer)
    assert not form.is_valid()
    assert "Chọn một đơn vị" in form.errors["unit"][0]


def test_a_bound_field_shows_the_resolved_unit(province_officer, ppd: Unit) -> None:
    form = OneUnitForm({"unit": "phan dinh phung"}, actor=province_officer)
    assert form.is_valid()
    html = str(form["unit"])
    assert 'value="Phường Phan Đình Phùng — Thái Nguyên"' in html
    assert f'name="unit_pick" value="{ppd.code}"' in html
    assert 'role="combobox"' in html
    assert 'aria-expanded="false"' in html
    assert "aria-controls=" in html
    assert 'role="listbox"' in html


def test_multiple_picker(province_officer, ppd: Unit) -> None:
    others = list(Unit.objects.filter(parent=ppd.parent).exclude(pk=ppd.pk).order_by("code")[:2])
    typed = f"phan dinh phung; {others[0].code}"
    data = MultiValueDict({"unit": [typed], "unit_pick": [others[1].code]})
    form = ManyUnitsForm(data, actor=province_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == [others[1], ppd, others[0]]
    html = str(form["unit"])
    assert html.count("checked") == 3
    # Codes separated by spaces, as the old code fields took them.
    form = ManyUnitsForm({"unit": f"{ppd.code} {others[0].code}"}, actor=province_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == [ppd, others[0]]


def test_multiple_picker_refuses_out_of_scope_and_keeps_the_rest(commune, sibling_commune):
    officer = make_user("commune-officer", Role.OFFICER, commune)
    data = MultiValueDict({"unit": [""], "unit_pick": [commune.code, sibling_commune.code]})
    form = ManyUnitsForm(data, actor=officer)
    assert not form.is_valid()
    assert "Không tìm thấy đơn vị" in form.errors["unit"][0]
    html = str(form["unit"])
    assert f'value="{commune.code}"' in html
    assert f'value="{sibling_commune.code}"' not in html


# -- the suggestion endpoint --------------------------------------------------------------


def _suggest(client: Client, q: str, **params: str):
    return client.get(reverse("units:suggest"), {"q": q, **params})


def test_suggestions_are_the_units_the_purpose_allows(commune, sibling_commune) -> None:
    officer = make_user("commune-officer", Role.OFFICER, commune)
    client = Client()
    login_verified(client, officer)
    # An edit purpose: the officer's commune only, never a sibling.
    edit = {"perm": Perm.CASE_HANDLE.value}
    response = _suggest(client, sibling_commune.name_folded, **edit)
    assert response.status_code == 200
    assert f'data-code="{sibling_commune.code}"' not in response.content.decode()
    response = _suggest(client, commune.name_folded, **edit)
    assert f'data-code="{commune.code}"' in response.content.decode()
    # A transfer target: any current unit.
    response = _suggest(client, sibling_commune.name_folded, anywhere="1", **edit)
    assert f'data-code="{sibling_commune.code}"' in response.content.decode()


def test_suggestions_show_the_parent_and_are_bounded(system_admin) -> None:
    client = Client()
    login_verified(client, system_admin)
    response = _suggest(client, "phan dinh phung", perm=Perm.UNIT_VIEW.value)
    body = response.content.decode()
    assert 'data-label="Phường Phan Đình Phùng — Thái Nguyên"' in body
    response = _suggest(client, "xa", perm=Perm.UNIT_VIEW.value)
    assert response.content.decode().count('role="option"') == picker.SUGGEST_LIMIT


def test_suggestions_take_the_text_under_the_fields_name(system_admin) -> None:
    client = Client()
    login_verified(client, system_admin)
    url = reverse("units:suggest")
    response = client.get(url, {"perm": "unit.view", "field": "to_unit", "to_unit": "thai nguyen"})
    assert 'data-code="19"' in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"perm": "nope", "q": "xa"}, {"perm": "unit.view", "q": "x\x00a"}, {"q": ""}]
)
def test_suggestions_for_bad_requests_are_empty(system_admin, params) -> None:
    client = Client()
    login_verified(client, system_admin)
    response = client.get(reverse("units:suggest"), params)
    # A NUL byte may be refused before the view (400, the site's bad-request page);
    # never a 500, never a suggestion.
    assert response.status_code in (200, 400)
    assert 'data-code="' not in response.content.decode()


def test_anonymous_is_sent_to_sign_in() -> None:
    response = Client().get(reverse("units:suggest"), {"perm": "unit.view", "q": "xa"})
    assert response.status_code == 302


def test_suggestions_run_constant_queries(system_admin, commune) -> None:
    officer = make_user("commune-officer", Role.OFFICER, commune)
    for user in (system_admin, officer):
        client = Client()
        login_verified(client, user)
        _suggest(client, "a", perm="unit.view")  # the session settles on the first request
        counts, unit_reads = [], []
        for q in ("a", "xa", "phuong", "khong co"):
            with CaptureQueriesContext(connection) as ctx:
                _suggest(client, q, perm="case.handle")
            counts.append(len(ctx.captured_queries))
            unit_reads.append(sum('"units_unit"' in c["sql"] for c in ctx.captured_queries))
        assert len(set(counts)) == 1, counts
        # The grants (with their units), their inherited history, and the search itself.
        assert max(unit_reads) <= 3, unit_reads
