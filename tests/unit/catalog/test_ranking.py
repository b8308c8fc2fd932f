"""Query parsing and relevance tiers, on in-memory search entries."""

from __future__ import annotations

from commerce.catalog.indexing import entry_for, generic_aliases, short_name
from commerce.catalog.query import parse_query
from commerce.catalog.ranking import ALIAS, BODY, INITIALS, NAME, PINYIN, relevance
from commerce.catalog.views import ProductView, SkuView


def entry(name: str, *, tags: tuple[str, ...] = (), description: str = "", category: str = "",
          spec: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    sku = SkuView(1, "S1", spec or {}, "", 1000, None, None, 1, True)
    view = ProductView(1, "P1", name, "", description, (), (), category, tags, "normal", (sku,), 1000, None, 1,
                       0, True)
    return entry_for(view)


def score(name: str, query: str, **kw: object) -> tuple[int, int]:
    return relevance(entry(name, **kw), parse_query(query))  # type: ignore[arg-type]


class TestQuery:
    def test_filler_words_are_dropped(self) -> None:
        assert [t.text for t in parse_query("我想买点橙子吗？")] == ["橙子"]

    def test_traditional_and_full_width_are_normalised(self) -> None:
        assert [t.text for t in parse_query("臍橙 ＸＬ")] == ["脐橙", "xl"]

    def test_empty_or_only_filler_means_browse(self) -> None:
        assert parse_query("") == () and parse_query("有什么推荐的吗") == ()

    def test_chinese_terms_carry_their_pinyin(self) -> None:
        assert parse_query("脐澄")[0].sound == "qicheng"


class TestTiers:
    def test_name_match_beats_description_match(self) -> None:
        assert score("血橙", "橙") == (1, NAME)
        assert score("果汁", "橙", description="橙汁") == (1, BODY)

    def test_everyday_name_is_an_alias_of_the_product_word(self) -> None:
        assert score("赣南脐橙", "橙子") == (1, ALIAS)
        assert "橙子" in generic_aliases("赣南脐橙 5斤装")

    def test_colour_words_do_not_make_oranges(self) -> None:
        assert "橙子" not in generic_aliases("橙色卫衣")

    def test_pinyin_must_start_on_a_syllable(self) -> None:
        assert score("赣南脐橙", "qicheng") == (1, PINYIN)
        assert score("赣南脐橙", "anqi") == (0, 0)

    def test_initials_match(self) -> None:
        assert score("赣南脐橙", "gnqc") == (1, INITIALS)

    def test_homophone_typo_matches_by_sound(self) -> None:
        assert score("赣南脐橙", "脐澄") == (1, PINYIN)

    def test_one_wrong_character_in_a_longer_word_is_a_fuzzy_match(self) -> None:
        matched, _ = score("赣南脐橙", "赣南脐桔")
        assert matched == 1

    def test_more_matched_terms_rank_higher(self) -> None:
        hoodie = score("纯棉卫衣", "红色 卫衣", spec={"颜色": "红"})
        plain = score("纯棉卫衣", "红色 卫衣", spec={"颜色": "蓝"})
        assert hoodie > plain

    def test_short_name_is_the_first_chunk(self) -> None:
        assert short_name("赣南脐橙 5斤装") == "赣南脐橙"
        assert short_name("橙") == "橙"
