from enum import StrEnum


class JobError(StrEnum):
    NOT_RETRYABLE = "job_not_retryable"
