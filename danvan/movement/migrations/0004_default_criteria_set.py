"""Data: an example national criteria set for evaluation rounds (domain.md §4).

The eight criteria are those of the provincial guidance quoted in domain.md §4; the
weights and maximum points are EXAMPLE values (each criterion out of 10, weights
summing to 10, so the weighted maximum is 100), marked as such in ``source``. A
province enters its own guidance as a new set from the criteria pages, without a deploy.
"""

from decimal import Decimal

from django.db import migrations

NAME = "Bộ tiêu chí mẫu phong trào “Dân vận khéo” (toàn quốc)"
SOURCE = "Dữ liệu ví dụ — chưa phải văn bản hướng dẫn chính thức; hãy điều chỉnh theo hướng dẫn của địa phương"

# (name, guidance, weight, max points)
CRITERIA = [
    (
        "Có tên gọi, địa chỉ cụ thể",
        "Mô hình, điển hình có tên gọi rõ ràng, gắn với một địa bàn, cơ quan, đơn vị cụ thể.",
        "1.00",
    ),
    (
        "Thuộc một trong các lĩnh vực của phong trào",
        "Kinh tế; văn hóa – xã hội; quốc phòng – an ninh; xây dựng hệ thống chính trị"
        " (hoặc lĩnh vực địa phương bổ sung).",
        "0.50",
    ),
    (
        "Đăng ký với cơ quan phát động",
        "Đã đăng ký với cấp ủy, Ban Dân vận hoặc cơ quan phát động phong trào.",
        "0.50",
    ),
    (
        "Huy động được nhiều lực lượng tham gia",
        "Số lực lượng, đoàn thể, hộ gia đình, người dân cùng tham gia thực hiện.",
        "1.50",
    ),
    (
        "Hiệu quả thiết thực, được nhân dân đồng tình, ủng hộ",
        "Kết quả đo đếm được (kinh phí, ngày công, đất hiến …) và mức độ đồng thuận của người dân.",
        "2.50",
    ),
    (
        "Giải quyết được vấn đề của địa phương",
        "Giải quyết được một vấn đề cụ thể, bức xúc hoặc khó khăn của địa phương, đơn vị.",
        "1.50",
    ),
    (
        "Được cấp có thẩm quyền ghi nhận",
        "Được cấp ủy, chính quyền hoặc cơ quan có thẩm quyền đánh giá, ghi nhận.",
        "1.00",
    ),
    (
        "Bền vững, có khả năng nhân rộng",
        "Duy trì được lâu dài và có thể áp dụng, nhân rộng ở nơi khác.",
        "1.50",
    ),
]
MAX_POINTS = Decimal("10.00")


def forwards(apps, schema_editor):
    CriteriaSet = apps.get_model("movement", "CriteriaSet")
    Criterion = apps.get_model("movement", "Criterion")
    if CriteriaSet.objects.filter(name=NAME, owner__isnull=True).exists():
        return
    criteria_set = CriteriaSet.objects.create(name=NAME, owner=None, source=SOURCE, is_active=True)
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            order=index,
            name=name,
            description=guidance,
            weight=Decimal(weight),
            max_points=MAX_POINTS,
        )
        for index, (name, guidance, weight) in enumerate(CRITERIA, start=1)
    )


def backwards(apps, schema_editor):
    CriteriaSet = apps.get_model("movement", "CriteriaSet")
    EvaluationRound = apps.get_model("movement", "EvaluationRound")
    # A set a round has used stays: its scores point at its criteria.
    unused = CriteriaSet.objects.filter(name=NAME, owner__isnull=True).exclude(
        pk__in=EvaluationRound.objects.values("criteria_set")
    )
    for criteria_set in unused:
        criteria_set.criteria.all().delete()
        criteria_set.delete()


class Migration(migrations.Migration):
    dependencies = [("movement", "0003_evaluation_confirmation")]

    operations = [migrations.RunPython(forwards, backwards)]
