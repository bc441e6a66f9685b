from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError
from danvan.demo import services
from danvan.demo.accounts import AccountsDemoResult


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn: tỉnh Thái Nguyên với cơ quan, đoàn thể, thôn/xóm, cán bộ,"
        " Ban Chỉ đạo và tài khoản cho mọi vai trò (chạy lại không tạo thêm gì)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Chạy cả khi DEBUG tắt (dữ liệu có mật khẩu công khai: không dùng khi vận hành)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "DEBUG đang tắt: seed_demo tạo tài khoản với mật khẩu công khai, không dùng"
                    " cho hệ thống thật. Thêm --force nếu chắc chắn đây là máy trình diễn."
                )
            )
        try:
            result = services.demo_seed()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        movement, cases, democracy = result.movement, result.cases, result.democracy
        disclosure, consultation = result.disclosure, result.consultation
        supervision = result.supervision

        created = result.base.units.created | result.base.accounts.created
        if result.base.total_created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Dữ liệu trình diễn: %(units)s đơn vị, %(officials)s cán bộ,"
                        " %(steering)s thành viên Ban Chỉ đạo, %(users)s tài khoản,"
                        " %(grants)s phân quyền, %(devices)s thiết bị TOTP được tạo mới."
                    )
                    % created
                )
            )
        elif not movement.total_created:
            self.stdout.write(_("Dữ liệu trình diễn đã có sẵn, không tạo thêm gì."))
        if movement.total_created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Dân vận khéo: %(entries)s mô hình, điển hình, %(decisions)s quyết định"
                        " và %(units)s đơn vị cũ của tỉnh Bắc Kạn được tạo mới."
                    )
                    % {
                        "entries": movement.entries,
                        "decisions": movement.decisions,
                        "units": movement.units,
                    }
                )
            )
        if cases.cases:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Tiếp dân, đơn thư: %(cases)s vụ việc trong một năm (%(overdue)s quá hạn),"
                        " %(sessions)s buổi tiếp công dân, %(dialogues)s hội nghị đối thoại."
                    )
                    % {
                        "cases": cases.cases,
                        "overdue": cases.overdue,
                        "sessions": cases.sessions,
                        "dialogues": cases.dialogues,
                    }
                )
            )
        if democracy.matters:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Dân chủ ở cơ sở: %(matters)s việc dân quyết định, %(votes)s lần biểu"
                        " quyết (%(invalid)s hội nghị không hợp lệ, đã biểu quyết lại)."
                    )
                    % {
                        "matters": democracy.matters,
                        "votes": democracy.votes,
                        "invalid": democracy.invalid,
                    }
                )
            )
        if disclosure.disclosures:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Công khai: %(disclosures)s nội dung công khai, %(channels)s hình thức"
                        " (%(public)s nội dung hiện trên cổng thông tin)."
                    )
                    % {
                        "disclosures": disclosure.disclosures,
                        "channels": disclosure.channels,
                        "public": disclosure.public,
                    }
                )
            )
        if consultation.consultations:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Lấy ý kiến Nhân dân: %(consultations)s đợt lấy ý kiến (%(reported)s đã"
                        " công khai kết quả), %(comments)s ý kiến (%(pending)s chờ kiểm duyệt)."
                    )
                    % {
                        "consultations": consultation.consultations,
                        "reported": consultation.reported,
                        "comments": consultation.comments,
                        "pending": consultation.pending,
                    }
                )
            )
        if supervision.boards:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Giám sát: %(boards)s ban (%(members)s thành viên), %(plans)s kế hoạch,"
                        " %(recommendations)s kiến nghị (%(overdue)s quá hạn),"
                        " %(conferences)s hội nghị của cơ quan, doanh nghiệp."
                    )
                    % {
                        "boards": supervision.boards,
                        "members": supervision.members,
                        "plans": supervision.plans,
                        "recommendations": supervision.recommendations,
                        "overdue": supervision.overdue,
                        "conferences": supervision.conferences,
                    }
                )
            )
        directives = result.directives
        if directives.total_created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Chỉ đạo, nhiệm vụ: %(documents)s văn bản, %(plans)s kế hoạch,"
                        " %(tasks)s nhiệm vụ (%(on_time)s hoàn thành đúng hạn, %(late)s hoàn"
                        " thành quá hạn, %(overdue)s chưa hoàn thành quá hạn); hội nghị sơ kết"
                        " với %(conference)s nhiệm vụ từ kết luận; %(inspections)s cuộc kiểm tra."
                    )
                    % {
                        "conference": directives.conference_tasks,
                        "inspections": directives.inspections,
                        "documents": directives.documents,
                        "plans": directives.history.plans,
                        "tasks": directives.history.tasks,
                        "on_time": directives.history.done_on_time,
                        "late": directives.history.done_late,
                        "overdue": directives.history.open_overdue,
                    }
                )
            )
        reports = result.reports
        if reports.total_created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Báo cáo định kỳ: %(campaigns)s đợt báo cáo, %(reports)s báo cáo của đơn"
                        " vị (%(returned)s bị trả lại rồi gửi lại, %(late)s gửi quá hạn), gồm"
                        " báo cáo năm 2018 của tỉnh Bắc Kạn."
                    )
                    % {
                        "campaigns": reports.campaigns,
                        "reports": reports.reports,
                        "returned": reports.returned,
                        "late": reports.late,
                    }
                )
            )
        if result.news.total_created:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Tin tức: %(n)s bài viết của tỉnh và hai xã.")
                    % {"n": result.news.total_created}
                )
            )
        if result.gallery.photos:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Cổng công dân: %(photos)s ảnh của %(entries)s mô hình, điển hình.")
                    % {"photos": result.gallery.photos, "entries": result.gallery.entries}
                )
            )
        self._print_accounts(result.base.accounts)

    def _print_accounts(self, result: AccountsDemoResult) -> None:
        rows = [(_("Tài khoản"), _("Vai trò"), _("Đơn vị"), _("Mật khẩu"), _("Khóa TOTP (base32)"))]
        rows += [
            (a.username, a.role_label, a.unit_label, result.password, a.totp_secret or "—")
            for a in result.accounts
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("\n" + _("TÀI KHOẢN TRÌNH DIỄN"))
        for i, row in enumerate(rows):
            cells = (cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
            if i == 0:
                self.stdout.write(line)
        self.stdout.write(
            "\n"
            + _(
                "Quản trị hệ thống và quản trị đơn vị phải nhập mã xác thực hai lớp (TOTP)."
                " Thêm khóa trên vào ứng dụng xác thực (Google Authenticator, FreeOTP...),"
                " quét liên kết otpauth dưới đây, hoặc lấy mã hiện tại bằng:"
                " python manage.py demo_totp <tài khoản>"
            )
        )
        for a in result.accounts:
            if a.otpauth_uri:
                self.stdout.write(f"  {a.username}: {a.otpauth_uri}")
