from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from posters import LayoutError, ProductPosterData, QRContentTooLong, layout_names, render
from posters.render import MAX_BYTES
from tests.integration.posters.conftest import QR_URL, decode_qr, event_data, photo, product_data, shop_data


def _open(jpeg: bytes) -> Image.Image:
    return Image.open(io.BytesIO(jpeg))


class TestEveryLayout:
    @pytest.mark.parametrize(("layout", "builder"), [("product", product_data), ("shop", shop_data),
                                                     ("event", event_data)])
    def test_renders_a_750x1334_jpeg_under_300_kb_whose_qr_decodes_to_the_exact_content(self, layout, builder):
        jpeg = render(layout, builder())
        image = _open(jpeg)
        assert (image.format, image.size) == ("JPEG", (750, 1334))
        assert len(jpeg) <= MAX_BYTES
        assert decode_qr(jpeg) == [QR_URL]

    def test_the_three_designs_ship(self):
        assert {"product", "shop", "event"} <= set(layout_names())

    def test_the_same_data_renders_the_same_bytes(self):
        assert render("product", product_data()) == render("product", product_data())

    def test_another_size_scales_the_design_and_keeps_the_qr_readable(self):
        jpeg = render("product", product_data(), size=(1080, 1920))
        assert _open(jpeg).size == (1080, 1920)
        assert decode_qr(jpeg) == [QR_URL]

    def test_a_layout_given_the_wrong_kind_of_data_is_refused(self):
        with pytest.raises(LayoutError, match="product"):
            render("product", shop_data())


class TestBadInput:
    def test_a_product_without_image_gets_a_drawn_placeholder(self):
        jpeg = render("product", product_data(image=None, avatar=None))
        photo_area = _open(jpeg).crop((0, 0, 750, 750)).convert("L")
        assert photo_area.getextrema()[0] < 230  # the placeholder icon is drawn, not a blank area
        assert decode_qr(jpeg) == [QR_URL]

    def test_a_200_character_name_fits_in_two_lines_with_an_ellipsis(self):
        jpeg = render("product", product_data(name="超长的商品名称" * 29))
        assert decode_qr(jpeg) == [QR_URL]

    def test_emoji_and_rare_characters_in_names_do_not_crash_or_draw_tofu(self):
        name = "🍊爆甜👍🏻赣南脐橙 𠀀𪚥 ❤️‍🔥 ﷺ"
        jpeg = render("product", product_data(name=name, distributor_name="🌸小雨🌸"))
        assert decode_qr(jpeg) == [QR_URL]

    def test_a_corrupt_image_is_rejected_with_a_log_line_and_a_placeholder(self, caplog):
        with caplog.at_level(logging.WARNING):
            jpeg = render("product", product_data(image=b"\xff\xd8\xff\xe0 not really a jpeg"))
        assert "image rejected" in caplog.text
        assert decode_qr(jpeg) == [QR_URL]

    def test_a_truncated_jpeg_is_rejected_too(self, caplog):
        truncated = photo((1000, 1000))[:2000]
        with caplog.at_level(logging.WARNING):
            render("product", product_data(image=truncated))
        assert "image rejected" in caplog.text

    def test_an_image_over_the_pixel_limit_is_rejected_from_its_header(self, caplog):
        huge = photo((8000, 8000), fmt="PNG")
        with caplog.at_level(logging.WARNING):
            render("product", product_data(image=huge))
        assert "pixel limit" in caplog.text

    def test_a_5000x5000_photo_is_downscaled_and_drawn(self):
        jpeg = render("product", product_data(image=photo((5000, 5000), "#C0392B")))
        r, g, b = _open(jpeg).convert("RGB").getpixel((375, 600))
        assert r > 150 and g < 90 and b < 90

    def test_qr_content_too_long_for_any_version_is_a_clear_error(self):
        with pytest.raises(QRContentTooLong, match="does not fit"):
            render("product", product_data(qr_content="x" * 3000))

    def test_an_original_price_is_struck_through_only_when_given(self):
        with_original = render("product", product_data(original_price_fen=5990))
        without = render("product", product_data())
        assert with_original != without
        assert render("product", ProductPosterData(name="a", price_fen=1, qr_content=QR_URL))


class TestMemoryBounds:
    def test_a_5000x5000_jpeg_is_decoded_at_a_reduced_scale(self):
        from posters.images import decode

        assert decode(photo((5000, 5000)), (750, 750)).size == (1250, 1250)

    def test_the_default_fonts_ship_in_the_repo_not_the_system(self):
        from pathlib import Path

        import posters
        from posters.fonts import default_fontset

        package = Path(posters.__file__).parent
        fonts = default_fontset()
        assert all(Path(face.path).is_relative_to(package / "fonts") for face in (fonts.regular, fonts.bold))
        assert fonts.fallback is None
