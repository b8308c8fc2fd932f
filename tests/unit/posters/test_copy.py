from __future__ import annotations

import pytest

from posters.copy import CopyFacts, Tone, all_templates, category_key, promo_copies, promo_copy
from posters.forbidden_words import ForbiddenCopy, check_forbidden, ensure_allowed

LINK = "https://s.siyu.cn/a1B2"


def facts(**overrides: object) -> CopyFacts:
    fields: dict[str, object] = {"name": "云南红心猕猴桃 12枚装", "price_fen": 3990, "short_link": LINK,
                                 "category": "水果生鲜", "selling_points": ["酸甜多汁", "坏果包赔"]}
    fields.update(overrides)
    return CopyFacts(**fields)  # type: ignore[arg-type]


class TestPromoCopy:
    @pytest.mark.parametrize("category", ["水果生鲜", "美妆护肤", "女装", "家居日用", "母婴用品", "数码家电", "其他"])
    def test_every_category_has_three_or_more_templates_across_the_three_tones(self, category):
        copies = promo_copies(facts(category=category))
        assert set(copies) == {Tone.MOMENTS, Tone.GROUP, Tone.PRIVATE}
        assert sum(len(v) for v in copies.values()) >= 3
        assert all(copies[tone] for tone in Tone)

    def test_each_copy_is_filled_with_the_product_facts_and_ends_with_the_short_link(self):
        for text in sum(promo_copies(facts()).values(), []):
            assert text.endswith("\n" + LINK)
            assert "云南红心猕猴桃" in text and "¥39.90" in text
            assert "{" not in text

    def test_the_original_price_is_mentioned_only_when_given(self):
        assert "原价" not in promo_copy(facts(), Tone.GROUP)
        assert "原价¥59.90" in promo_copy(facts(original_price_fen=5990), Tone.GROUP)

    def test_categories_map_to_template_groups_by_keyword(self):
        assert category_key("水果生鲜") == "food"
        assert category_key("精品女装") == "apparel"
        assert category_key("不认识的类目") == "default"

    def test_merchant_facts_with_a_banned_claim_are_refused(self):
        with pytest.raises(ForbiddenCopy) as refused:
            promo_copy(facts(selling_points=["全网最低价", "根治失眠"]))
        assert {"最", "全网最低", "根治"} <= set(refused.value.words)


class TestForbiddenWords:
    def test_every_shipped_template_passes_the_check(self):
        templates = all_templates()
        assert len(templates) >= 21
        for template in templates:
            assert check_forbidden(template) == [], template

    @pytest.mark.parametrize("text", ["全网最低价", "销量第一", "国家级品质", "顶级工艺", "独一无二", "100%纯棉",
                                      "１００％有效", "NO.1 爆款", "根治脱发", "特效美白", "万能清洁剂"])
    def test_banned_claims_are_found(self, text):
        assert check_forbidden(text)

    def test_the_check_is_strict_about_any_zui_even_in_harmless_words(self):
        assert check_forbidden("最近上新") == ["最"]

    def test_ordinary_copy_passes(self):
        assert ensure_allowed("酸甜多汁，坏果包赔") == "酸甜多汁，坏果包赔"
