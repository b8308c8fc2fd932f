from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.menu import MenuInvalid, validate_menu


def click(name: str = "购物车", key: str = "MENU_CART") -> dict[str, str]:
    return {"type": "click", "name": name, "key": key}


def test_the_shipped_config_menu_is_valid() -> None:
    config = yaml.safe_load((Path(__file__).resolve().parents[3] / "config.yml").read_text())
    menu = validate_menu(config["wechat"]["menu"])
    assert len(menu["button"]) == 3


def test_a_valid_menu_keeps_only_wechat_fields() -> None:
    menu = validate_menu({"button": [{**click(), "comment": "x"}, {"name": "更多", "sub_button": [
        {"type": "view", "name": "官网", "url": "https://example.com"}]}]})
    assert menu["button"][0] == click()
    assert menu["button"][1]["sub_button"][0]["url"] == "https://example.com"


@pytest.mark.parametrize(("menu", "problem"), [
    ({"button": []}, "1-3 top buttons"),
    ({"button": [click()] * 4}, "1-3 top buttons"),
    ({}, "1-3 top buttons"),
    ({"button": [click(name="超过十六个字节的名字")]}, "bytes (max 16)"),
    ({"button": [{"name": "更多", "sub_button": [click()] * 6}]}, "1-5 sub_button"),
    ({"button": [{"name": "更多", "sub_button": [click(name="长" * 21)]}]}, "bytes (max 60)"),
    ({"button": [click(key="k" * 129)]}, "key is 129 bytes"),
    ({"button": [{"type": "view", "name": "站", "url": "https://x/" + "a" * 1020}]}, "url is 1030 bytes"),
    ({"button": [{"type": "teleport", "name": "x"}]}, "type 'teleport'"),
    ({"button": [{"type": "click", "name": "x"}]}, "needs `key`"),
    ({"button": [{"type": "click", "key": "K"}]}, "name is required"),
    ({"button": [{"type": "click", "name": "p", "key": "K", "sub_button": [click()]}]}, "has no type"),
    ({"button": ["not a mapping"]}, "must be a mapping"),
])
def test_invalid_menus_are_refused_with_a_clear_reason(menu: dict[str, object], problem: str) -> None:
    with pytest.raises(MenuInvalid) as err:
        validate_menu(menu)
    assert problem in str(err.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(MenuInvalid) as err:
        validate_menu({"button": [{"type": "click", "name": "x"}, {"type": "view", "name": "y"}]})
    assert len(err.value.problems) == 2
