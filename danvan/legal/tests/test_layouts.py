"""The layouts of official documents are effective-dated rule data (domain.md §6b)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.forms import model_to_dict
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, PermissionDenied
from danvan.legal import services
from danvan.legal.forms import LAYOUT_FIGURES
from danvan.legal.layouts import layout_for
from danvan.legal.models import DocumentLayout
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def _new_version(family: str, valid_from: dt.date, **figures: object) -> DocumentLayout:
    """A copy of the seeded version of *family* starting on *valid_from*, the old one
    ended the day before (what an administrator's new version does)."""
    old = DocumentLayout.objects.get(family=family, valid_to__isnull=True)
    old.valid_to = valid_from - dt.timedelta(days=1)
    old.save()
    new = DocumentLayout.objects.get(pk=old.pk)
    new.pk = None
    new.valid_from, new.valid_to = valid_from, None
    for name, value in figures.items():
        setattr(new, name, value)
    new.save()
    return new


def test_the_seeded_state_layout_is_decree_30_and_checked() -> None:
    state = layout_for("state", dt.date(2026, 12, 7))
    assert "30/2020/NĐ-CP" in state.citation
    assert state.to_verify is False
    # One value within each range of Appendix I.
    assert 20 <= state.margin_top_mm <= 25
    assert 20 <= state.margin_bottom_mm <= 25
    assert 30 <= state.margin_left_mm <= 35
    assert 15 <= state.margin_right_mm <= 20
    assert state.font_name == "Times New Roman"
    assert 12 <= state.heading_title_size <= 13
    assert 13 <= state.heading_motto_size <= 14
    assert 12 <= state.issuer_size <= 13
    assert state.number_size == 13
    assert 13 <= state.body_size <= 14
    assert state.paragraph_spacing_pt >= 6
    assert 1 <= state.first_line_indent_cm <= 1.27
    assert (state.recipients_label_size, state.recipients_size) == (12, 11)
    assert state.number_prefix == "Số:"
    assert state.signing_words == ("TM.", "KT.", "TL.")
    assert state.page_number_from == 2


def test_the_seeded_party_layout_cites_399_and_is_flagged_for_checking() -> None:
    party = layout_for("party", dt.date(2026, 12, 7))
    assert "399-QĐ/TW" in party.citation
    assert "05-HD/VPTW" in party.citation
    assert party.to_verify is True
    assert "đối chiếu" in party.note
    assert party.heading_title == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert party.heading_motto == ""
    assert party.number_prefix == "Số"
    assert party.signing_words == ("T/M", "K/T", "T/L")
    assert party.issuer_mark == "*"
    assert (
        party.margin_top_mm,
        party.margin_bottom_mm,
        party.margin_left_mm,
        party.margin_right_mm,
    ) == (20, 20, 30, 15)


def test_layout_for_picks_the_version_in_force_on_the_day() -> None:
    seeded = layout_for("party", dt.date(2026, 6, 1))
    newer = _new_version("party", dt.date(2027, 3, 1), margin_top_mm=25, to_verify=False)
    assert layout_for("party", dt.date(2027, 2, 28)).pk == seeded.pk
    assert layout_for("party", dt.date(2027, 3, 1)).pk == newer.pk
    assert layout_for("party", dt.date(2030, 1, 1)).margin_top_mm == 25
    # The State layout is untouched by the Party's new version.
    assert layout_for("state", dt.date(2027, 3, 1)).family == "state"


def test_no_layout_in_force_is_a_clear_refusal() -> None:
    # Regulation 399-QĐ/TW dates from 9 January 2026: no Party layout is recorded before.
    with pytest.raises(DomainError) as refused:
        layout_for("party", dt.date(2025, 12, 31))
    assert refused.value.code == "layout_none_in_force"
    assert "31/12/2025" in refused.value.message
    with pytest.raises(DomainError) as unknown:
        layout_for("church", dt.date(2026, 12, 7))
    assert unknown.value.code == "layout_unknown_family"


def test_two_versions_of_a_family_cannot_start_the_same_day() -> None:
    state = DocumentLayout.objects.get(family="state")
    state.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        state.save()


# --- the rules page: reading the layouts, adding and checking versions ---------------------

RULES = reverse("legal:rules")
ADD = reverse("legal:layout_add")


def _client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def _form_data(layout: DocumentLayout, **changes: object) -> dict[str, object]:
    """The form as an administrator sends it after changing *changes* in the prefilled one."""
    data: dict[str, object] = {
        name: value
        for name, value in model_to_dict(layout, fields=["family", *LAYOUT_FIGURES]).items()
        if value is not False  # an unticked box is not sent
    }
    for name, value in data.items():
        if value is True:
            data[name] = "on"
    data.update(citation="Nghị định mới về công tác văn thư", valid_from="01/07/2027")
    data.update(changes)
    return data


def test_every_reader_sees_the_layouts_with_their_citations(thai_nguyen: Unit) -> None:
    officer = make_user("o", Role.OFFICER, thai_nguyen)
    html = _client(officer).get(RULES).content.decode()
    assert "Thể thức văn bản" in html
    assert "Nghị định 30/2020/NĐ-CP" in html
    assert "Quy định 399-QĐ/TW" in html
    assert "“Số:”" in html
    assert "T/M, K/T, T/L" in html
    assert ADD not in html
    party = DocumentLayout.objects.get(family="party")
    assert reverse("legal:layout_verified", args=[party.pk]) not in html


def test_an_administrator_adds_a_version_from_the_one_in_force(system_admin: User) -> None:
    client = _client(system_admin)
    state = DocumentLayout.objects.get(family="state")
    page = client.get(f"{RULES}")
    assert f"{ADD}?family=party" in page.content.decode()
    form = client.get(f"{ADD}?family=state")
    assert form.status_code == 200
    assert form.context["form"].initial["heading_title"] == state.heading_title
    response = client.post(ADD, _form_data(state, margin_top_mm=25, excerpt_rule=""))
    assert response.status_code == 302, response.context["form"].errors
    state.refresh_from_db()
    assert state.valid_to == dt.date(2027, 6, 30)
    new = layout_for("state", dt.date(2027, 7, 1))
    assert new.pk != state.pk
    assert (new.margin_top_mm, new.excerpt_rule, new.issuer_rule) == (25, False, True)
    assert layout_for("state", dt.date(2027, 6, 30)).pk == state.pk
    assert AuditEvent.objects.filter(
        model_label="legal.documentlayout", action="create", object_pk=str(new.pk)
    ).exists()


def test_bad_figures_are_all_refused_at_once_and_nothing_changes(system_admin: User) -> None:
    state = DocumentLayout.objects.get(family="state")
    count = DocumentLayout.objects.count()
    response = _client(system_admin).post(
        ADD,
        _form_data(state, margin_left_mm=300, body_size=50, sign_on_behalf=" ", page_number_from=3),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"margin_left_mm", "body_size", "sign_on_behalf", "page_number_from"} <= set(errors)
    assert "Giá trị phải từ 5 đến 60." in errors["margin_left_mm"]
    # What was typed is kept.
    assert response.context["form"]["margin_left_mm"].value() == "300"
    assert DocumentLayout.objects.count() == count
    state.refresh_from_db()
    assert state.valid_to is None


def test_a_version_cannot_start_before_the_latest(system_admin: User) -> None:
    party = DocumentLayout.objects.get(family="party")
    response = _client(system_admin).post(ADD, _form_data(party, valid_from="01/01/2026"))
    assert response.status_code == 400
    assert "09/01/2026" in response.context["form"].errors["valid_from"][0]


def test_only_system_administrators_add_or_check_layouts(thai_nguyen: Unit) -> None:
    party = DocumentLayout.objects.get(family="party")
    verified = reverse("legal:layout_verified", args=[party.pk])
    client = _client(make_user("ua", Role.UNIT_ADMIN, thai_nguyen))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _form_data(party)).status_code == 403
    assert client.post(verified).status_code == 403
    with pytest.raises(PermissionDenied):
        services.layout_mark_verified(actor=make_user("o", Role.OFFICER, thai_nguyen), layout=party)
    party.refresh_from_db()
    assert party.to_verify is True


def test_checking_the_party_layout_clears_its_flag_audited(system_admin: User) -> None:
    party = DocumentLayout.objects.get(family="party")
    client = _client(system_admin)
    verified = reverse("legal:layout_verified", args=[party.pk])
    assert verified in client.get(RULES).content.decode()
    assert client.get(verified).status_code == 405
    assert client.post(verified).status_code == 302
    party.refresh_from_db()
    assert party.to_verify is False
    event = AuditEvent.objects.get(
        model_label="legal.documentlayout", action="update", object_pk=str(party.pk)
    )
    assert event.changes == {"to_verify": [True, False]}
