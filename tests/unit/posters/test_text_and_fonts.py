from __future__ import annotations

import pytest

from posters.fonts import DEFAULT_REGULAR, default_fontset, load_fontset
from posters.text import TextStyle, wrap

FALLBACK = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
STYLE = TextStyle(40, bold=True)


class TestWrapping:
    def test_a_200_character_chinese_name_is_cut_to_two_lines_ending_with_an_ellipsis(self):
        fonts = default_fontset()
        lines = wrap("红" * 200, fonts, STYLE, 670, max_lines=2)
        assert len(lines) == 2 and lines[-1].endswith("…")
        assert all(fonts.width(line, 40, True) <= 670 for line in lines)

    def test_latin_words_break_at_spaces_not_inside_words(self):
        lines = wrap("Apple iPhone 15 Pro Max 256GB", default_fontset(), STYLE, 400)
        assert all(not line.startswith(" ") for line in lines)
        assert "".join(lines).replace(" ", "") == "AppleiPhone15ProMax256GB"
        assert lines[0] == "Apple iPhone 15 Pro"

    def test_closing_punctuation_never_starts_a_line(self):
        fonts = default_fontset()
        width = fonts.width("好好好好", 40, True)
        lines = wrap("好好好好，好", fonts, STYLE, width)
        assert not any(line.startswith("，") for line in lines)

    def test_short_text_is_one_line_without_ellipsis(self):
        assert wrap("猕猴桃", default_fontset(), STYLE, 670, max_lines=2) == ["猕猴桃"]


class TestGlyphCoverage:
    def test_the_shipped_subset_covers_gb2312_hanzi_latin_and_the_yuan_sign(self):
        fonts = default_fontset()
        for ch in "猕猴桃赣脐橙鳖齄Aa0¥，。【】":
            assert fonts.face_for(ch) is fonts.regular, ch
        assert DEFAULT_REGULAR.stat().st_size < 4_000_000

    def test_characters_no_font_has_are_dropped_instead_of_drawn_as_tofu(self):
        assert default_fontset().clean("好👍🏻物\u200d𠀀") == "好物"

    def test_a_configured_fallback_font_draws_what_the_primary_lacks(self):
        pytest.importorskip("pathlib").Path(FALLBACK).exists() or pytest.skip("DejaVu not installed")
        fonts = load_fontset(fallback_font_file=FALLBACK)
        assert fonts.face_for("Ж") is fonts.regular  # GB2312 has Cyrillic
        assert fonts.face_for("∯") is fonts.fallback
        runs = fonts.runs("好∯物", 30)
        assert [text for _, text in runs] == ["好", "∯", "物"]

    def test_an_unusable_fallback_font_is_ignored_with_a_log_line(self, tmp_path, caplog):
        broken = tmp_path / "broken.ttf"
        broken.write_bytes(b"not a font")
        assert load_fontset(fallback_font_file=str(broken)).fallback is None
        assert "unusable" in caplog.text
