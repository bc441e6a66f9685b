"""The gallery part of the demo (issue 14, deliverable 6): photos for the movement's good
examples, drawn here with Pillow (no download), uploaded and shown on the portal through
the movement's services.

For up to *limit* public entries of the demo province (exemplary first, then the latest
recognized) without a public photo yet: one or two pictures each (a village road, a
meeting hall, fields), each with a Vietnamese caption, marked public.

Idempotent: an entry that already has a public photo is left alone; each entry's photos
are added in one transaction.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from PIL import Image, ImageDraw

from danvan.accounts.policies import subtree_q
from danvan.movement import services
from danvan.movement.models import Attachment, Entry
from danvan.movement.selectors import PUBLIC_STATUSES
from danvan.units.demo import PROVINCE_CODE
from danvan.units.models import Unit

CAPTIONS = (
    "Nhân dân góp công làm đường bê tông liên thôn",
    "Hội nghị sơ kết mô hình tại nhà văn hóa thôn",
    "Cánh đồng sau khi dồn điền, đổi thửa",
    "Đoàn viên thanh niên ra quân vệ sinh môi trường",
)


@dataclass
class GalleryDemoResult:
    entries: int = 0
    photos: int = 0


def _picture(rng: random.Random, kind: int) -> bytes:
    """A 1200 × 800 landscape: sky, hills, and a road, a hall or fields (kind 0–3)."""
    sky = (150 + rng.randint(0, 40), 195 + rng.randint(0, 30), 235)
    image = Image.new("RGB", (1200, 800), sky)
    draw = ImageDraw.Draw(image)
    green = (60 + rng.randint(0, 40), 130 + rng.randint(0, 40), 60)
    draw.polygon(
        [(0, 420), (300, 300), (650, 400), (900, 320), (1200, 410), (1200, 800), (0, 800)],
        fill=green,
    )
    if kind == 0:  # a concrete road to the horizon
        draw.polygon([(520, 420), (680, 420), (1000, 800), (200, 800)], fill=(190, 190, 185))
    elif kind == 1:  # a meeting hall with a red roof and a flag
        draw.rectangle((430, 430, 770, 640), fill=(235, 225, 200))
        draw.polygon([(400, 430), (600, 320), (800, 430)], fill=(180, 50, 40))
        draw.line((860, 300, 860, 640), fill=(90, 90, 90), width=8)
        draw.rectangle((864, 300, 980, 370), fill=(218, 37, 29))
    elif kind == 2:  # rice fields in rows
        for row in range(8):
            y = 440 + row * 45
            draw.rectangle((0, y, 1200, y + 20), fill=(110, 170 + row * 5, 70))
    else:  # trees along a river
        draw.rectangle((0, 600, 1200, 680), fill=(90, 140, 200))
        for x in range(60, 1200, 140):
            draw.ellipse((x - 40, 470, x + 40, 560), fill=(40, 110, 50))
    draw.ellipse((1000, 60, 1100, 160), fill=(255, 220, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def seed_gallery(*, limit: int = 12, seed: int = 14) -> GalleryDemoResult:
    """Photos for up to *limit* public entries of the demo province (module docstring)."""
    result = GalleryDemoResult()
    province = Unit.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        return result
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    # The same *limit* entries every run (the first by the gallery's order), of which those
    # still without a public photo get theirs: a second run adds nothing.
    chosen = list(
        Entry.objects.filter(subtree_q(province, "unit__"), status__in=PUBLIC_STATUSES)
        .order_by(
            F("exemplary_on").desc(nulls_last=True), F("recognized_on").desc(nulls_last=True), "id"
        )
        .values_list("pk", flat=True)[:limit]
    )
    with_photo = Attachment.objects.filter(is_public=True).values("entry_id")
    entries = list(Entry.objects.filter(pk__in=chosen).exclude(pk__in=with_photo).order_by("id"))
    for entry in entries:
        with transaction.atomic():
            for n in range(1 + rng.randint(0, 1)):
                kind = rng.randint(0, 3)
                upload = SimpleUploadedFile(f"anh-{n + 1}.jpg", _picture(rng, kind), "image/jpeg")
                item = services.attachment_add(
                    actor=None, entry=entry, upload=upload, caption=CAPTIONS[kind]
                )
                services.attachment_set_public(actor=None, attachment=item, is_public=True)
                result.photos += 1
        result.entries += 1
    return result
