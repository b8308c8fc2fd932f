"""Picking the SKU a shopper names (`红色 XL`, `500克`, `10斤`) — or refusing to guess."""

from __future__ import annotations

from commerce.catalog.services import match_sku
from commerce.catalog.views import ProductView, SkuView, assemble


def sku(i: int, spec: dict[str, str]) -> SkuView:
    return SkuView(i, f"S{i}", spec, " ".join(spec.values()), 1000, None, None, 5, True)


def product(*specs: dict[str, str]) -> ProductView:
    skus = tuple(sku(i, s) for i, s in enumerate(specs, 1))
    base = ProductView(1, "P", "商品", "", "", (), (), "", (), "normal", skus, 0, None, 0, 0, True)
    return assemble(base, skus, 0)


HOODIE = product(*({"颜色": c, "尺码": s} for c in ("红", "蓝") for s in ("S", "M", "L", "XL", "XXL")))
ORANGE = product({"规格": "5斤"}, {"规格": "10斤"}, {"规格": "15斤"})


def spec_of(p: ProductView, hint: str | None) -> dict[str, str] | None:
    found = match_sku(p, hint)
    return found.spec if found else None


def test_colour_and_size_together_pick_one_sku() -> None:
    assert spec_of(HOODIE, "红色 XL") == {"颜色": "红", "尺码": "XL"}


def test_colour_and_size_written_together_without_space_pick_one_sku() -> None:
    assert spec_of(HOODIE, "蓝xxl") == {"颜色": "蓝", "尺码": "XXL"}


def test_size_alone_is_ambiguous_when_there_are_two_colours() -> None:
    assert spec_of(HOODIE, "XL") is None


def test_xl_never_matches_xxl_or_l() -> None:
    single_colour = product({"尺码": "L"}, {"尺码": "XL"}, {"尺码": "XXL"})
    assert spec_of(single_colour, "xl") == {"尺码": "XL"}
    assert spec_of(single_colour, "L") == {"尺码": "L"}


def test_5_jin_does_not_match_15_jin() -> None:
    assert spec_of(ORANGE, "5斤") == {"规格": "5斤"}
    assert spec_of(ORANGE, "要10斤的") == {"规格": "10斤"}


def test_grams_written_in_chinese_match_g() -> None:
    tea = product({"规格": "250g"}, {"规格": "500g"})
    assert spec_of(tea, "500克") == {"规格": "500g"}


def test_a_longer_colour_name_beats_its_suffix() -> None:
    lipstick = product({"色号": "红"}, {"色号": "枫叶红"})
    assert spec_of(lipstick, "枫叶红") == {"色号": "枫叶红"}


def test_size_words_map_to_letters() -> None:
    one_colour = product({"尺码": "M"}, {"尺码": "L"})
    assert spec_of(one_colour, "大号") == {"尺码": "L"}


def test_unknown_value_matches_nothing() -> None:
    assert spec_of(HOODIE, "绿色") is None


def test_no_hint_on_a_multi_sku_product_matches_nothing() -> None:
    assert spec_of(HOODIE, None) is None and spec_of(HOODIE, "  ") is None


def test_a_single_sku_product_returns_its_sku_whatever_the_hint() -> None:
    single = product({"规格": "500g"})
    assert match_sku(single, None) is single.skus[0]
    assert match_sku(single, "XL") is single.skus[0]


def test_sku_code_selects_that_sku() -> None:
    assert match_sku(HOODIE, "S3") is HOODIE.skus[2]
