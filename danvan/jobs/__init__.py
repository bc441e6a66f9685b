"""Durable background jobs: the shared pattern every app's Celery tasks follow.

A job is a row (``Job``) keyed by an idempotency key that names the effect it has
("movement.import.run:42", "cases.sweep:2026-12-07"). The row, not the broker, is the
truth: it says whether the job is queued, running (with the heartbeat of the worker that
runs it), succeeded or failed (with a Vietnamese message), and how many attempts it took.
A worker that dies is found by its missing heartbeat (the reaper in the beat schedule, and
the next read of the job's status) and the job is resumed or marked failed, which the
user may retry. A job never runs twice to a double effect: its key is unique, a claim
locks its row, and the work itself checks it is not already done. See docs/operations.md,
"Background jobs".
"""
