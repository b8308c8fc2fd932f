"""The custom menu (自定义菜单): validated against WeChat's limits before it is pushed.

1–3 top buttons, each either an action or a parent of 1–5 sub-buttons; names ≤16
bytes (top) / ≤60 bytes (sub), `key` ≤128 bytes, `url` ≤1024 bytes (UTF-8), and
each type's required fields.  All problems are reported at once, by position.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_TOP, MAX_SUB = 3, 5
TOP_NAME_BYTES, SUB_NAME_BYTES, KEY_BYTES, URL_BYTES = 16, 60, 128, 1024
_KEYED = ("scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin",
          "location_select", "click")
REQUIRED: dict[str, tuple[str, ...]] = {
    **{t: ("key",) for t in _KEYED},
    "view": ("url",),
    "miniprogram": ("url", "appid", "pagepath"),
    "media_id": ("media_id",),
    "view_limited": ("media_id",),
    "article_id": ("article_id",),
    "article_view_limited": ("article_id",),
}
_LIMITS = {"key": KEY_BYTES, "url": URL_BYTES}


class MenuInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid menu / 菜单配置有误:\n  - " + "\n  - ".join(problems))
        self.problems = problems


def validate_menu(menu: Mapping[str, Any]) -> dict[str, Any]:
    """`{"button": [...]}` ready for `menu/create`, or MenuInvalid listing every problem."""
    problems: list[str] = []
    buttons = menu.get("button") if isinstance(menu, Mapping) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_TOP:
        raise MenuInvalid([f"menu needs 1-{MAX_TOP} top buttons under `button`"])
    cleaned = [_top(i, b, problems) for i, b in enumerate(buttons, 1)]
    if problems:
        raise MenuInvalid(problems)
    return {"button": cleaned}


def _top(index: int, button: Any, problems: list[str]) -> dict[str, Any]:
    where = f"button {index}"
    if not isinstance(button, Mapping):
        problems.append(f"{where}: must be a mapping")
        return {}
    _name(where, button, TOP_NAME_BYTES, problems)
    subs = button.get("sub_button")
    if not subs:
        return _action(where, button, problems)
    if not isinstance(subs, list) or len(subs) > MAX_SUB:
        problems.append(f"{where}: 1-{MAX_SUB} sub_button entries allowed")
        return {}
    if button.get("type"):
        problems.append(f"{where}: a button with sub_button has no type")
    children = []
    for j, sub in enumerate(subs, 1):
        sub_where = f"{where}.{j}"
        if not isinstance(sub, Mapping):
            problems.append(f"{sub_where}: must be a mapping")
            continue
        _name(sub_where, sub, SUB_NAME_BYTES, problems)
        children.append(_action(sub_where, sub, problems))
    return {"name": button.get("name"), "sub_button": children}


def _name(where: str, button: Mapping[str, Any], limit: int, problems: list[str]) -> None:
    name = button.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: name is required")
    elif len(name.encode()) > limit:
        problems.append(f"{where}: name {name!r} is {len(name.encode())} bytes (max {limit})")


def _action(where: str, button: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    kind = button.get("type")
    if kind not in REQUIRED:
        problems.append(f"{where}: type {kind!r} is not one of {sorted(REQUIRED)}")
        return dict(button)
    for field in REQUIRED[kind]:
        value = button.get(field)
        if not isinstance(value, str) or not value:
            problems.append(f"{where}: type {kind} needs `{field}`")
        elif field in _LIMITS and len(value.encode()) > _LIMITS[field]:
            problems.append(f"{where}: {field} is {len(value.encode())} bytes (max {_LIMITS[field]})")
    return {k: v for k, v in button.items() if k in ("type", "name", *REQUIRED[kind])}
