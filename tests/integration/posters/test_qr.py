from __future__ import annotations

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from posters import QRContentTooLong, qr_image


def _decode(content: str, size: int = 240, version: int | None = None) -> str:
    results = zxingcpp.read_barcodes(qr_image(content, size, version).convert("RGB"))
    assert len(results) == 1
    return results[0].text


class TestQrCodes:
    def test_a_wechat_qr_url_decodes_to_exactly_itself(self):
        url = "http://weixin.qq.com/q/02aBcDeFgHiJk10000w03c"
        assert _decode(url) == url

    @settings(max_examples=25, deadline=None)
    @given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=200))
    def test_any_printable_ascii_content_round_trips(self, content):
        assert _decode(content, 400) == content

    def test_the_code_uses_error_correction_m_and_a_quiet_zone(self):
        results = zxingcpp.read_barcodes(qr_image("scene:dist_42:sku_7", 200).convert("RGB"))
        assert results[0].ec_level == "M"
        image = qr_image("scene:dist_42:sku_7", 200)
        assert image.getpixel((0, 0)) == 255 and image.getpixel((10, 10)) == 255

    def test_a_fixed_version_too_small_for_the_content_is_a_clear_error(self):
        with pytest.raises(QRContentTooLong, match="version 1"):
            qr_image("x" * 100, 200, 1)

    def test_a_fixed_version_that_fits_is_used(self):
        assert _decode("short", 200, 5) == "short"

    def test_images_are_cached_per_content_and_size(self):
        assert qr_image("cached", 200) is qr_image("cached", 200)
