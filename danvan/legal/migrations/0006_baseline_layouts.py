"""Data: the two layouts of domain.md §6b, one value chosen within each legal range.

State: Decree 30/2020/NĐ-CP, Appendix I (checked). Party: Regulation 399-QĐ/TW of
9 January 2026 and its guidance, reported to be 05-HD/VPTW of 27 May 2026 (to verify).
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

STATE = {
    "family": "state",
    "valid_from": dt.date(2020, 3, 5),  # Decree 30/2020/NĐ-CP takes effect on signing
    "citation": "Nghị định 30/2020/NĐ-CP về công tác văn thư, Phụ lục I "
    "(thể thức, kỹ thuật trình bày văn bản hành chính)",
    "to_verify": False,
    "note": "",
    "margin_top_mm": 20,  # 20–25
    "margin_bottom_mm": 20,  # 20–25
    "margin_left_mm": 30,  # 30–35
    "margin_right_mm": 15,  # 15–20
    "font_name": "Times New Roman",
    "issuer_column_pct": 40,
    "heading_title": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "heading_title_size": 13,  # 12–13, upper case, bold
    "heading_motto": "Độc lập - Tự do - Hạnh phúc",
    "heading_motto_size": 14,  # 13–14, bold, full-length rule
    "superior_size": 13,  # 12–13, upper case
    "issuer_size": 13,  # 12–13, upper case, bold, short rule
    "issuer_rule": True,
    "issuer_mark": "",
    "number_label": "Số",
    "number_colon": True,
    "number_size": 13,
    "date_size": 14,  # 13–14, italic
    "doc_type_size": 14,  # 13–14, bold
    "excerpt_size": 14,  # 13–14, bold
    "excerpt_rule": True,  # a short rule under the excerpt
    "body_size": 14,  # 13–14, justified
    "first_line_indent_cm": Decimal("1.27"),  # 1–1.27
    "paragraph_spacing_pt": 6,  # at least 6
    "sign_on_behalf": "TM.",
    "sign_deputy": "KT.",
    "sign_by_order": "TL.",
    "signature_size": 14,  # 13–14, upper case, bold
    "recipients_label": "Nơi nhận:",
    "recipients_label_size": 12,  # bold italic
    "recipients_size": 11,
    "page_number_from": 2,
}

PARTY = {
    "family": "party",
    "valid_from": dt.date(2026, 1, 9),
    "citation": "Quy định 399-QĐ/TW ngày 09/01/2026 (thay Quy định 66-QĐ/TW) và Hướng dẫn "
    "05-HD/VPTW ngày 27/5/2026 (thay Hướng dẫn 36-HD/VPTW) về thể loại, thể thức văn bản "
    "của Đảng",
    "to_verify": True,
    "note": "Cần đối chiếu với bản chính thức: số, ngày của Hướng dẫn 05-HD/VPTW; ngày bắt "
    "đầu áp dụng; lề trang 20/20/30/15 mm; cỡ chữ từng thành phần (tiêu đề 15, tên loại 16, "
    "các thành phần khác 14, nơi nhận 14/12).",
    "margin_top_mm": 20,
    "margin_bottom_mm": 20,
    "margin_left_mm": 30,
    "margin_right_mm": 15,
    "font_name": "Times New Roman",
    "issuer_column_pct": 50,
    "heading_title": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "heading_title_size": 15,
    "heading_motto": "",
    "heading_motto_size": 0,
    "superior_size": 14,
    "issuer_size": 14,
    "issuer_rule": False,
    "issuer_mark": "*",
    "number_label": "Số",
    "number_colon": False,
    "number_size": 14,
    "date_size": 14,
    "doc_type_size": 16,
    "excerpt_size": 14,
    "excerpt_rule": False,
    "body_size": 14,
    "first_line_indent_cm": Decimal("1.27"),
    "paragraph_spacing_pt": 6,
    "sign_on_behalf": "T/M",
    "sign_deputy": "K/T",
    "sign_by_order": "T/L",
    "signature_size": 14,
    "recipients_label": "Nơi nhận:",
    "recipients_label_size": 14,
    "recipients_size": 12,
    "page_number_from": 2,
}


def forwards(apps, schema_editor):
    DocumentLayout = apps.get_model("legal", "DocumentLayout")
    for row in (STATE, PARTY):
        figures = dict(row)
        DocumentLayout.objects.get_or_create(
            family=figures.pop("family"), valid_from=figures.pop("valid_from"), defaults=figures
        )


def backwards(apps, schema_editor):
    apps.get_model("legal", "DocumentLayout").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0005_document_layouts")]

    operations = [migrations.RunPython(forwards, backwards)]
