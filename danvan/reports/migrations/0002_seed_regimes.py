"""Data: the report regimes and templates of grassroots democracy and "Dân vận khéo".

The State regimes follow Decree 09/2019/NĐ-CP (art. 7: what a regime names; art. 12:
data periods, half-year 15/12 of the previous year → 14/6, annual 15/12 → 14/12). The
Party regime is the half-year review Party committees ask of their units; Party bodies
set their own periods and deadlines, so its figures here copy the State's until the
issuing body's guidance is checked. Every regime is flagged "to verify" (domain.md §10),
and so are the deadlines per level, which are this seed's choice, not the law's.
The templates follow the real reports of domain.md §8.
"""

import datetime as dt

from django.db import migrations

_CONTENT = (
    "Kết quả thực hiện dân chủ ở cơ sở (Luật 10/2022/QH15) và phong trào thi đua "
    "“Dân vận khéo” trong kỳ: lãnh đạo, chỉ đạo; công khai thông tin; tiếp công dân, "
    "giải quyết khiếu nại, tố cáo, đối thoại; mô hình, điển hình; kiểm tra, giám sát; "
    "nhiệm vụ kỳ tới."
)
_STATE = {
    "issuer_kind": "state",
    "content": _CONTENT,
    "reporters": "Ủy ban nhân dân cấp xã; Ủy ban nhân dân cấp tỉnh (tổng hợp).",
    "receivers": "Ủy ban nhân dân cấp trên trực tiếp; Bộ Nội vụ (cấp tỉnh).",
    "sending_method": "Văn bản điện tử có ký số gửi qua Hệ thống thông tin báo cáo; "
    "văn bản giấy khi chưa có điều kiện gửi điện tử.",
    "citation": "Nghị định 09/2019/NĐ-CP quy định chế độ báo cáo của cơ quan hành chính "
    "nhà nước, Điều 7, Điều 12; Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15",
    "to_verify": True,
}
REGIMES = [
    {
        "code": "nd09-6-thang-dan-chu-co-so",
        "name": "Báo cáo 6 tháng kết quả thực hiện dân chủ ở cơ sở và phong trào thi đua "
        "“Dân vận khéo”",
        "frequency": "half_year",
        "period": (12, 15, 6, 14),
        **_STATE,
    },
    {
        "code": "nd09-nam-dan-chu-co-so",
        "name": "Báo cáo năm kết quả thực hiện dân chủ ở cơ sở và phong trào thi đua "
        "“Dân vận khéo”",
        "frequency": "annual",
        "period": (12, 15, 12, 14),
        **_STATE,
    },
    {
        "code": "dang-so-ket-6-thang-dan-chu-dan-van-kheo",
        "name": "Báo cáo sơ kết 6 tháng thực hiện dân chủ ở cơ sở và phong trào thi đua "
        "'Dân vận khéo'",
        "issuer_kind": "party",
        "content": _CONTENT,
        "reporters": "Đảng ủy cấp xã; các đảng bộ, chi bộ trực thuộc cấp ủy cấp tỉnh.",
        "receivers": "Ban Tuyên giáo và Dân vận cấp ủy cấp trên (tổng hợp báo cáo "
        "Ban Thường vụ cấp ủy).",
        "sending_method": "Văn bản theo thể thức văn bản của Đảng, gửi qua mạng thông tin "
        "diện rộng của Đảng hoặc văn bản giấy.",
        "frequency": "half_year",
        "period": (12, 15, 6, 14),
        "citation": "Hướng dẫn của Ban Tuyên giáo và Dân vận cấp ủy cấp trên về chế độ "
        "báo cáo (kỳ số liệu, thời hạn do cơ quan Đảng quy định)",
        "to_verify": True,
    },
]
# Working days after the cut-off, per level: the commune reports first, the province
# merges after it (at least one working day, Decree 09/2019/NĐ-CP art. 12) [to verify].
DEADLINES = {"commune": 2, "province": 5}

SECTIONS = [
    (
        "lanh-dao",
        "Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện dân chủ ở cơ sở của cấp ủy, "
        "chính quyền, Mặt trận Tổ quốc và các đoàn thể",
        "Nêu các văn bản lãnh đạo, chỉ đạo đã ban hành; việc quán triệt, tuyên truyền; "
        "vai trò của cấp ủy, chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội.",
    ),
    (
        "cong-khai",
        "Công khai thông tin và cải cách hành chính",
        "Những nội dung đã công khai, hình thức và thời gian công khai; nội dung bắt buộc "
        "chưa công khai và lý do; kết quả cải cách thủ tục hành chính.",
    ),
    (
        "tiep-cong-dan",
        "Tiếp công dân, giải quyết khiếu nại, tố cáo, phản ánh, kiến nghị và đối thoại",
        "Số buổi tiếp công dân, số vụ việc tiếp nhận và giải quyết, các cuộc đối thoại "
        "với Nhân dân và việc thực hiện các cam kết sau đối thoại.",
    ),
    (
        "mo-hinh",
        "Phong trào thi đua “Dân vận khéo”: mô hình, điển hình theo lĩnh vực",
        "Số mô hình, điển hình đăng ký, được công nhận, tiêu biểu; nêu các mô hình tiêu "
        "biểu theo lĩnh vực (kinh tế, văn hóa - xã hội, quốc phòng - an ninh, xây dựng "
        "hệ thống chính trị).",
    ),
    (
        "kiem-tra",
        "Công tác kiểm tra, giám sát",
        "Các cuộc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở; kết quả, kiến nghị.",
    ),
    (
        "nhiem-vu",
        "Nhiệm vụ trọng tâm kỳ tới",
        "Nêu các nhiệm vụ kỳ tới và văn bản chỉ đạo làm căn cứ (ví dụ Kế hoạch "
        "771-KH/BDVTƯ ngày 08/3/2017; Kế hoạch 20-KH/TU ngày 12/8/2016); nhiệm vụ quá hạn "
        "và biện pháp khắc phục.",
    ),
]
# (section, code, label, unit of measure, source, query, aggregation)
INDICATORS = [
    ("lanh-dao", "van-ban-chi-dao", "Văn bản lãnh đạo, chỉ đạo đã ban hành", "văn bản",
     "manual", "", "sum"),
    ("cong-khai", "cong-khai-chua-thuc-hien", "Nội dung bắt buộc chưa công khai",
     "nội dung", "manual", "", "sum"),
    ("tiep-cong-dan", "buoi-tiep-cong-dan", "Buổi tiếp công dân", "buổi", "manual", "", "sum"),
    ("tiep-cong-dan", "vu-viec-tiep-nhan", "Vụ việc tiếp nhận trong kỳ", "vụ việc",
     "computed", "cases_received", "recompute"),
    ("tiep-cong-dan", "vu-viec-dung-han", "Vụ việc tiếp nhận trong kỳ đã giải quyết đúng hạn",
     "vụ việc", "computed", "cases_settled_on_time", "recompute"),
    ("tiep-cong-dan", "hoi-nghi-doi-thoai", "Hội nghị đối thoại với Nhân dân", "cuộc",
     "manual", "", "sum"),
    ("mo-hinh", "mo-hinh-dang-ky", "Mô hình, điển hình đăng ký trong kỳ", "mô hình",
     "computed", "movement_registered", "recompute"),
    ("mo-hinh", "mo-hinh-cong-nhan", "Mô hình, điển hình được công nhận trong kỳ", "mô hình",
     "computed", "movement_recognized", "recompute"),
    ("mo-hinh", "mo-hinh-tieu-bieu", "Mô hình, điển hình tiêu biểu trong kỳ", "mô hình",
     "computed", "movement_exemplary", "recompute"),
    ("kiem-tra", "cuoc-kiem-tra", "Cuộc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở",
     "cuộc", "manual", "", "sum"),
    ("nhiem-vu", "nhiem-vu-qua-han", "Nhiệm vụ quá hạn chưa hoàn thành tại ngày chốt số liệu",
     "nhiệm vụ", "computed", "tasks_overdue", "recompute"),
]
RULES = [
    ("mo-hinh-cong-nhan", "le", "mo-hinh-dang-ky",
     "Số mô hình được công nhận lớn hơn số mô hình đăng ký: kiểm tra lại hoặc giải thích."),
    ("mo-hinh-tieu-bieu", "le", "mo-hinh-cong-nhan",
     "Số mô hình tiêu biểu lớn hơn số mô hình được công nhận: kiểm tra lại hoặc giải thích."),
    ("vu-viec-dung-han", "le", "vu-viec-tiep-nhan",
     "Số vụ việc giải quyết đúng hạn lớn hơn số vụ việc tiếp nhận: kiểm tra lại."),
]
# (regime code, template name, the last section's title for this frequency)
TEMPLATES = [
    ("nd09-6-thang-dan-chu-co-so",
     "Sơ kết 6 tháng thực hiện dân chủ ở cơ sở và phong trào thi đua “Dân vận khéo”",
     "Nhiệm vụ trọng tâm 6 tháng cuối năm"),
    ("nd09-nam-dan-chu-co-so",
     "Tổng kết năm thực hiện dân chủ ở cơ sở và phong trào thi đua “Dân vận khéo”",
     "Nhiệm vụ trọng tâm năm tới"),
    ("dang-so-ket-6-thang-dan-chu-dan-van-kheo",
     "Sơ kết 6 tháng thực hiện dân chủ ở cơ sở và phong trào thi đua 'Dân vận khéo' "
     "(cấp ủy)",
     "Nhiệm vụ trọng tâm 6 tháng cuối năm"),
]


def forwards(apps, schema_editor):
    Regime = apps.get_model("reports", "Regime")
    RegimeDeadline = apps.get_model("reports", "RegimeDeadline")
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    Section = apps.get_model("reports", "Section")
    Indicator = apps.get_model("reports", "Indicator")
    ValidationRule = apps.get_model("reports", "ValidationRule")
    for row in REGIMES:
        figures = dict(row)
        sm, sd, em, ed = figures.pop("period")
        regime, created = Regime.objects.get_or_create(
            code=figures.pop("code"),
            defaults={
                **figures,
                "period_start_month": sm,
                "period_start_day": sd,
                "period_end_month": em,
                "period_end_day": ed,
            },
        )
        if created:
            for kind, days in DEADLINES.items():
                RegimeDeadline.objects.create(regime=regime, unit_kind=kind, working_days=days)
    for regime_code, name, last_title in TEMPLATES:
        regime = Regime.objects.get(code=regime_code)
        template, created = ReportTemplate.objects.get_or_create(
            regime=regime,
            version=1,
            defaults={"name": name, "effective_from": dt.date(2026, 1, 1), "active": True},
        )
        if not created:
            continue
        sections = {}
        for order, (key, title, guidance) in enumerate(SECTIONS, start=1):
            if key == "nhiem-vu":
                title = last_title
            sections[key] = Section.objects.create(
                template=template, order=order, title=title, guidance=guidance
            )
        indicators = {}
        for order, (key, code, label, uom, source, query, aggregation) in enumerate(
            INDICATORS, start=1
        ):
            indicators[code] = Indicator.objects.create(
                template=template,
                section=sections[key],
                order=order,
                code=code,
                label=label,
                unit_of_measure=uom,
                kind="number",
                source=source,
                query=query,
                aggregation=aggregation,
                allow_negative=False,
                outlier_pct=50 if source == "computed" else None,
            )
        for left, operator, right, message in RULES:
            ValidationRule.objects.create(
                template=template,
                left=indicators[left],
                operator=operator,
                right=indicators[right],
                message=message,
            )


def backwards(apps, schema_editor):
    # Children first, each by its regime's code: the deletion collector's cascade
    # compares historical model classes that differ when unapplying to zero.
    codes = [row["code"] for row in REGIMES]
    for model, lookup in (
        ("ValidationRule", "template__regime__code__in"),
        ("Indicator", "template__regime__code__in"),
        ("Section", "template__regime__code__in"),
        ("ReportTemplate", "regime__code__in"),
        ("RegimeDeadline", "regime__code__in"),
        ("Regime", "code__in"),
    ):
        apps.get_model("reports", model).objects.filter(**{lookup: codes})._raw_delete(
            schema_editor.connection.alias
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
