"""The register's pages through HTTP: scoping, forms that keep what was typed, the
upload-first flow, links, file download, and constant queries on the list."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, walk
from danvan.directives import services
from danvan.directives.models import Document, DocumentLink
from danvan.units.models import Unit

from .documents import state_docx, upload
from .factories import document_data, register

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def test_pages_are_scoped(access_cast: Any, commune: Unit) -> None:
    cast: Cast = access_cast(commune)
    doc = services.document_register(
        actor=None, unit=commune, data=document_data(), file=upload("qd.docx", state_docx())
    )
    walk(cast, reverse("directives:detail", args=[doc.public_id]), expect=READ_SCOPED)
    walk(cast, reverse("directives:file", args=[doc.public_id]), expect=READ_SCOPED)
    walk(cast, reverse("directives:edit", args=[doc.public_id]), expect=READ_SCOPED)
    walk(cast, f"{reverse('directives:create')}?unit={commune.code}", expect=READ_SCOPED)
    walk(
        cast,
        f"{reverse('directives:list')}?unit={commune.code}",
        expect={**READ_SCOPED, "sibling": 400},
    )


def test_list_runs_constant_queries(thai_nguyen: Unit, commune: Unit, officer: User) -> None:
    client = client_of(officer)
    url = f"{reverse('directives:list')}?unit={commune.code}"
    register(commune)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(2, 12):
        register(commune, number=f"{i}/KH-UBND")
        register(thai_nguyen, number=f"{i}/QĐ-UBND", issuer_name="UBND tỉnh")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    assert "11/QĐ-UBND" in text(response)
    assert 'id="summary"' in text(response)


def test_list_filters(commune: Unit, officer: User) -> None:
    register(commune, excerpt="Kế hoạch dân vận khéo")
    register(commune, number="20-KH/ĐU", issuer_name="Đảng ủy xã", party_term="2025-2030")
    client = client_of(officer)
    base = f"{reverse('directives:list')}?unit={commune.code}"
    page = text(client.get(f"{base}&q=dan+van+kheo"))
    assert "15/QĐ-UBND" in page
    assert "20-KH/ĐU" not in page
    page = text(client.get(f"{base}&family=party"))
    assert "15/QĐ-UBND" not in page
    assert "20-KH/ĐU" in page
    page = text(client.get(f"{base}&year=2026&type=KH"))
    assert "20-KH/ĐU" in page
    assert "15/QĐ-UBND" not in page


def test_register_form_keeps_what_was_typed(commune: Unit, officer: User) -> None:
    client = client_of(officer)
    url = f"{reverse('directives:create')}?unit={commune.code}"
    data = {
        "number": "15/QĐ UBND",
        "issued_on": "05/01/2026",
        "issuer_name": "UBND xã",
        "excerpt": "Trích yếu đã gõ",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = text(response)
    assert "Trích yếu đã gõ" in page
    assert "15/QĐ UBND" in page
    assert 'id="error-summary"' in page
    assert not Document.objects.exists()
    data["number"] = "Số: 15/QĐ-UBND"
    response = client.post(url, data)
    assert response.status_code == 302
    doc = Document.objects.get()
    assert doc.number == "15/QĐ-UBND"
    # The same again: refused, with a link to the one already recorded.
    response = client.post(url, data)
    assert response.status_code == 400
    assert reverse("directives:detail", args=[doc.public_id]) in text(response)


def test_upload_first_flow(commune: Unit, officer: User) -> None:
    client = client_of(officer)
    url = f"{reverse('directives:create')}?unit={commune.code}"
    response = client.post(
        url, {"prefill": "1", "file": upload("qd.docx", state_docx()), "signer_name": "Ông B"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["number"] == "15/QĐ-UBND"
    assert form.initial["issued_on"] == dt.date(2017, 3, 8)
    assert form.initial["signer_name"] == "Ông B"  # what was typed is kept
    assert 'id="staged-file"' in text(response)
    assert not Document.objects.exists()
    staged = form.initial["staged"]
    # Pressed again without choosing another file: the staged one is read again.
    again = client.post(url, {"prefill": "1", "staged": staged})
    assert again.status_code == 200
    assert again.context["form"].initial["staged"] == staged
    response = client.post(
        url,
        {
            "staged": staged,
            "number": form.initial["number"],
            "issued_on": "08/03/2017",
            "issuer_name": form.initial["issuer_name"],
            "excerpt": form.initial["excerpt"],
        },
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    assert doc.file_name == "qd.docx"
    assert doc.file.read().startswith(b"PK")


def test_upload_of_a_file_not_what_its_name_says(commune: Unit, officer: User) -> None:
    client = client_of(officer)
    url = f"{reverse('directives:create')}?unit={commune.code}"
    bad = upload("qd.docx", b"%PDF-1.4 fake", "application/pdf")
    response = client.post(url, {"prefill": "1", "file": bad, "number": "9/QĐ-UBND"})
    assert response.status_code == 400
    assert 'id="prefill-error"' in text(response)
    assert "9/QĐ-UBND" in text(response)


def test_staged_token_of_another_user_is_ignored(
    commune: Unit, officer: User, province_officer: User
) -> None:
    url = f"{reverse('directives:create')}?unit={commune.code}"
    response = client_of(officer).post(
        url, {"prefill": "1", "file": upload("qd.docx", state_docx())}
    )
    staged = response.context["form"].initial["staged"]
    data = {**document_data(issued_on="05/01/2026"), "staged": staged}
    response = client_of(province_officer).post(url, data)
    assert response.status_code == 302
    assert not Document.objects.get().file


def test_invisible_document_is_404(commune: Unit, sibling_officer: User) -> None:
    doc = register(commune)
    client = client_of(sibling_officer)
    assert client.get(reverse("directives:detail", args=[doc.public_id])).status_code == 404


def test_detail_links_and_replaced_note(thai_nguyen: Unit, commune: Unit, officer: User) -> None:
    old = register(commune, number="1/QĐ-UBND")
    new = register(commune, number="2/QĐ-UBND")
    plan = register(thai_nguyen, number="20-KH/TU", issuer_name="Tỉnh ủy", party_term="2025-2030")
    client = client_of(officer)
    link_url = reverse("directives:link_add", args=[new.public_id])
    assert old.number in text(client.get(f"{link_url}?q=1/QĐ"))
    response = client.post(
        link_url, {"q": "1/QĐ", "target": str(old.public_id), "kind": "replaces"}
    )
    assert response.status_code == 302
    response = client.post(
        link_url, {"q": "20-KH", "target": str(plan.public_id), "kind": "implements"}
    )
    assert response.status_code == 302
    page = text(client.get(reverse("directives:detail", args=[old.public_id])))
    assert 'id="replaced-by"' in page
    assert new.number in page
    page = text(client.get(reverse("directives:detail", args=[plan.public_id])))
    assert new.number in page  # the province's plan shows the commune's plan implementing it
    # A duplicate link comes back with the message, nothing added.
    response = client.post(
        link_url, {"q": "1/QĐ", "target": str(old.public_id), "kind": "replaces"}
    )
    assert response.status_code == 400
    assert DocumentLink.objects.count() == 2
    link = DocumentLink.objects.get(kind="replaces")
    response = client.post(reverse("directives:link_remove", args=[link.pk]))
    assert response.status_code == 302
    assert DocumentLink.objects.count() == 1


def test_edit_keeps_what_was_typed(commune: Unit, officer: User) -> None:
    doc = register(commune)
    client = client_of(officer)
    url = reverse("directives:edit", args=[doc.public_id])
    response = client.post(
        url,
        {
            "number": doc.number,
            "issued_on": "05/01/2027",
            "issuer_name": doc.issuer_name,
            "excerpt": "Trích yếu sửa",
        },
    )
    assert response.status_code == 400
    assert "Trích yếu sửa" in text(response)
    doc.refresh_from_db()
    assert doc.excerpt != "Trích yếu sửa"
    response = client.post(
        url,
        {
            "number": doc.number,
            "issued_on": "05/01/2026",
            "issuer_name": doc.issuer_name,
            "excerpt": "Trích yếu sửa",
        },
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.excerpt == "Trích yếu sửa"


def test_menu_pages_answer_without_403(officer: User, province_officer: User) -> None:
    for user in (officer, province_officer):
        assert client_of(user).get(reverse("directives:list")).status_code == 200


def test_stale_staged_files_are_swept(commune: Unit, officer: User, settings: Any) -> None:
    import os
    from pathlib import Path

    client = client_of(officer)
    url = f"{reverse('directives:create')}?unit={commune.code}"
    client.post(url, {"prefill": "1", "file": upload("a.docx", state_docx())})
    staged = list(Path(settings.MEDIA_ROOT, "directives", "staged").iterdir())
    assert len(staged) == 1
    os.utime(staged[0], (0, 0))  # left long ago
    client.post(url, {"prefill": "1", "file": upload("b.docx", state_docx())})
    left = list(Path(settings.MEDIA_ROOT, "directives", "staged").iterdir())
    assert len(left) == 1
    assert left[0] != staged[0]


def test_record_a_document_implementing_a_superior_one(
    thai_nguyen: Unit, commune: Unit, officer: User
) -> None:
    plan = register(thai_nguyen, number="20-KH/TU", issuer_name="Tỉnh ủy", party_term="2025-2030")
    client = client_of(officer)
    page = text(client.get(reverse("directives:detail", args=[plan.public_id])))
    assert 'id="implement-link"' in page
    url = f"{reverse('directives:create')}?unit={commune.code}&implements={plan.public_id}"
    assert 'id="implements"' in text(client.get(url))
    response = client.post(url, {**document_data(issued_on="05/01/2026"), "number": "4/KH-UBND"})
    assert response.status_code == 302
    link = DocumentLink.objects.get()
    assert (link.source.number, link.target, link.kind) == ("4/KH-UBND", plan, "implements")
    # A document out of sight cannot be named.
    other = f"{reverse('directives:create')}?unit={commune.code}&implements={uuid.uuid4()}"
    assert client.get(other).status_code == 404


def test_link_search_answers_htmx_with_the_results_only(commune: Unit, officer: User) -> None:
    old = register(commune, number="1/QĐ-UBND")
    new = register(commune, number="2/QĐ-UBND")
    url = reverse("directives:link_add", args=[new.public_id])
    response = client_of(officer).get(
        f"{url}?q=1/qd", headers={"HX-Request": "true", "HX-Target": "link-results"}
    )
    page = text(response)
    assert old.number in page
    assert "<html" not in page


def test_a_reversed_term_is_a_message_not_an_error(commune: Unit, officer: User) -> None:
    url = f"{reverse('directives:create')}?unit={commune.code}"
    data = {
        **document_data(issued_on="05/01/2026", signer_name="", signer_position=""),
        "number": "20-KH/ĐU",
        "party_term": "2030-2025",
    }
    response = client_of(officer).post(url, data)
    assert response.status_code == 400
    assert "2030-2025" in text(response)
    assert not Document.objects.exists()
