"""Doing a side effect once per key, even when the broker delivers a task twice."""

from __future__ import annotations

from collections.abc import Callable

from worker.ports import KV

DEFAULT_TTL = 7 * 24 * 3600.0


def once(kv: KV, key: str, action: Callable[[], object], ttl: float = DEFAULT_TTL) -> bool:
    """Run `action` unless `key` was already claimed; True if it ran.

    The key is claimed with `SET NX` before the side effect and released if
    the action raises, so a retry can try again.  A worker killed mid-action
    leaves the claim in place: we prefer a lost message to a duplicate one
    (a re-delivered task after a crash does not send a second image).
    """
    if not kv.set_nx(key, "claimed", ttl):
        return False
    try:
        action()
    except BaseException:
        kv.delete(key)
        raise
    kv.set(key, "done", ttl)
    return True
