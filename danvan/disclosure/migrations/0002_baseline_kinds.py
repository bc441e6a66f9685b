"""Data: the kinds of content to disclose (Law 10/2022/QH15, in force 1 July 2023).

The commune's 14 kinds of Điều 11 (domain.md §3): the count and items 1–3 are checked;
items 4–14 are to verify, and where domain.md leaves the list open ("…") the titles are
our best reading, marked to_verify so an administrator confirms them against the official
text. Items 7–12 must also go on the loudspeakers for at least 3 consecutive days
[checked]; posting lasts at least 30 consecutive days [to verify: posting_to_verify].
The agency and enterprise lists (Chương III and IV) are all to verify.
"""

import datetime as dt

from django.db import migrations

SINCE = dt.date(2023, 7, 1)
LAW = "Luật Thực hiện dân chủ ở cơ sở 2022 (10/2022/QH15)"
POSTING_DAYS = 30
LOUDSPEAKER_DAYS = 3

# (number, title, mandatory, checked)
COMMUNE = [
    (1, "Kế hoạch phát triển kinh tế - xã hội của cấp xã", True, True),
    (
        2,
        "Dự toán ngân sách; tình hình thực hiện, quyết toán ngân sách quý, 6 tháng, hằng năm "
        "của cấp xã",
        True,
        True,
    ),
    (
        3,
        "Dự án, công trình đầu tư; thu hồi đất, bồi thường, hỗ trợ, tái định cư; quy hoạch, "
        "kế hoạch sử dụng đất",
        True,
        True,
    ),
    (4, "Nhiệm vụ, quyền hạn của cán bộ, công chức cấp xã; thủ tục hành chính", True, False),
    (5, "Quản lý, sử dụng các quỹ, khoản đóng góp, huy động của nhân dân", True, False),
    (
        6,
        "Chính sách đối với hộ nghèo, trợ cấp xã hội, bảo hiểm y tế và các chính sách an sinh "
        "xã hội khác",
        True,
        False,
    ),
    (7, "Các loại phí, lệ phí và mức thu", True, False),
    (8, "Kết quả thanh tra, kiểm tra; việc xử lý vi phạm của cán bộ, công chức", True, False),
    (9, "Việc tiếp thu ý kiến của nhân dân về các nội dung được lấy ý kiến", True, False),
    (10, "Kết quả thực hiện các nội dung nhân dân bàn và quyết định", True, False),
    (11, "Kết quả giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh của công dân", True, False),
    (12, "Kết quả bầu, cho thôi làm trưởng thôn, tổ trưởng tổ dân phố", True, False),
    (
        13,
        "Đề án thành lập, nhập, chia, điều chỉnh địa giới đơn vị hành chính liên quan đến "
        "cấp xã",
        True,
        False,
    ),
    (
        14,
        "Các nội dung khác theo quy định của pháp luật, theo yêu cầu của cơ quan nhà nước có "
        "thẩm quyền hoặc chính quyền cấp xã thấy cần thiết",
        False,
        False,
    ),
]

AGENCY = [
    (1, "Chủ trương, chính sách, pháp luật liên quan đến hoạt động của cơ quan, đơn vị"),
    (2, "Kế hoạch công tác hằng năm của cơ quan, đơn vị"),
    (3, "Dự toán, quyết toán kinh phí hoạt động; quản lý, sử dụng tài sản công"),
    (4, "Tuyển dụng, sử dụng, đào tạo, bổ nhiệm, khen thưởng, kỷ luật cán bộ, công chức"),
    (5, "Kết quả thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo trong cơ quan, đơn vị"),
]

ENTERPRISE = [
    (1, "Tình hình sản xuất, kinh doanh của doanh nghiệp"),
    (2, "Nội quy, quy chế của doanh nghiệp liên quan đến người lao động"),
    (3, "Thỏa ước lao động tập thể; tiền lương, thưởng, chế độ đối với người lao động"),
    (4, "Trích nộp kinh phí công đoàn, bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp"),
    (5, "Kết quả hội nghị người lao động và đối thoại tại nơi làm việc"),
]


def forwards(apps, schema_editor):
    Kind = apps.get_model("disclosure", "DisclosureKind")
    for number, title, mandatory, checked in COMMUNE:
        Kind.objects.get_or_create(
            unit_kind="commune",
            number=number,
            valid_from=SINCE,
            defaults={
                "title": title,
                "mandatory": mandatory,
                "loudspeaker_min_days": LOUDSPEAKER_DAYS if 7 <= number <= 12 else 0,
                "posting_min_days": POSTING_DAYS,
                "posting_to_verify": True,
                "citation": f"{LAW}, Điều 11 khoản {number}; Điều 12",
                "to_verify": not checked,
            },
        )
    for unit_kind, rows, article in (("agency", AGENCY, 45), ("enterprise", ENTERPRISE, 63)):
        for number, title in rows:
            Kind.objects.get_or_create(
                unit_kind=unit_kind,
                number=number,
                valid_from=SINCE,
                defaults={
                    "title": title,
                    "mandatory": True,
                    "citation": f"{LAW}, Điều {article}",
                    "to_verify": True,
                },
            )


def backwards(apps, schema_editor):
    apps.get_model("disclosure", "DisclosureKind").objects.filter(valid_from=SINCE).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
