"""Celery worker: the app factory, the beat schedule and small idempotent tasks.

Tasks take ids and primitives and find their collaborators through
`worker.runtime.runtime()`, installed by the composition root at boot.
Imports `commerce`, `posters` and `bot`'s WeChat client only; nothing
connects at import time.
"""
