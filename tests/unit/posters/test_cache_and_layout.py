from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from posters import LocalPosterStore, ProductPosterData, cache_key, load_layout, render_cached
from posters.display import date_range, price_text
from posters.layout import LayoutError, parse_layout

DATA = ProductPosterData(name="猕猴桃", price_fen=3990, qr_content="http://weixin.qq.com/q/x", image=b"\x01")


class TestCacheKey:
    def test_is_stable_for_the_same_layout_data_and_ticket(self):
        assert cache_key("product", DATA, "t1") == cache_key("product", replace(DATA), "t1")

    def test_changes_with_the_qr_ticket_the_data_the_image_bytes_and_the_layout(self):
        base = cache_key("product", DATA, "t1")
        layout = load_layout("product")
        variants = [
            cache_key("product", DATA, "t2"),
            cache_key("product", replace(DATA, price_fen=3980), "t1"),
            cache_key("product", replace(DATA, image=b"\x02"), "t1"),
            cache_key(replace(layout, version=layout.version + 1), DATA, "t1"),
            cache_key("product", DATA, "t1", size=(1080, 1920)),
        ]
        assert len({base, *variants}) == 6

    def test_names_the_layout_and_is_safe_as_a_file_name(self):
        key = cache_key("product", DATA, "t1")
        assert key.startswith("product-") and key.replace("-", "").isalnum()


class TestLocalPosterStore:
    def test_a_repeat_request_is_answered_from_the_stored_file(self, tmp_path):
        store = LocalPosterStore(tmp_path)
        data = replace(DATA, image=None)
        first, key, hit = render_cached(store, "product", data, "t1")
        again, key2, hit2 = render_cached(store, "product", data, "t1")
        assert (hit, hit2, key2, again) == (False, True, key, first)
        assert (tmp_path / "posters" / f"{key}.jpg").read_bytes() == first

    def test_refuses_keys_that_would_escape_its_directory(self, tmp_path):
        with pytest.raises(ValueError):
            LocalPosterStore(tmp_path).get("../../etc/passwd")


class TestLayouts:
    def test_scaling_maps_boxes_and_font_sizes(self):
        scaled = load_layout("product").scaled(375, 667)
        text = next(e for e in scaled.elements if e["type"] == "text" and e["text"] == "{name}")
        assert text["box"] == [20, 388, 335, 56] and text["size"] == 20

    def test_a_malformed_layout_is_a_clear_error(self):
        with pytest.raises(LayoutError, match="malformed"):
            parse_layout({"name": "x"})
        with pytest.raises(LayoutError, match="no poster layout"):
            load_layout("nope")


class TestDisplay:
    def test_yuan_are_formatted_from_fen(self):
        assert [price_text(f) for f in (3990, 1200, 5, 0)] == ["¥39.90", "¥12", "¥0.05", "¥0"]

    def test_date_ranges_show_years_only_across_years(self):
        assert date_range(date(2025, 6, 1), date(2025, 6, 18)) == "6月1日 - 6月18日"
        assert date_range(date(2025, 12, 30), date(2026, 1, 2)) == "2025年12月30日 - 2026年1月2日"
