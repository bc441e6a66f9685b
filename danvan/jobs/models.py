from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class Job(TimeStampedModel):
    """One background job and what became of it (see the package docstring).

    States (docs/operations.md, "Background jobs"):
    queued → running → succeeded | failed; running → queued when the worker died and an
    attempt is left (the reaper resumes it); failed → queued when a user retries it.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Hoàn tất")
        FAILED = "failed", _("Thất bại")

    # The idempotency key: the effect the job has, unique, so the same effect is never
    # queued twice ("cases.digest:2026-12-07:12" is one leader's digest of one day).
    key = models.CharField(_("khóa chống chạy trùng"), max_length=200, unique=True)
    kind = models.CharField(_("loại tác vụ"), max_length=100, db_index=True)
    # The Celery task that runs it and its arguments, so that the reaper and a retry can
    # send it again (kombu's filesystem broker keeps no message once it is delivered).
    task = models.CharField(_("tác vụ Celery"), max_length=200)
    args = models.JSONField(_("tham số"), default=list, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("số lần chạy tối đa"), default=2)
    # When the worker running it last said it was alive (on SQLite the beats go to a
    # file instead while the job writes: see heartbeat.py).
    heartbeat_at = models.DateTimeField(_("lần báo còn chạy gần nhất"), null=True, blank=True)
    progress = models.PositiveIntegerField(_("số dòng đã xử lý"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # host:pid of the worker of the last attempt (for the operator reading the logs).
    worker = models.CharField(_("tiến trình xử lý"), max_length=200, blank=True)
    # What happened, in Vietnamese, for the user: empty unless failed (or resumed).
    error = models.TextField(_("lỗi"), blank=True)
    retryable = models.BooleanField(_("được chạy lại"), default=False)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_beat")]

    def __str__(self) -> str:
        return self.key

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
