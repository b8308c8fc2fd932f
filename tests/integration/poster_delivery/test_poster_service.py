"""PosterService: real shop data, referral scenes, QR tickets cached until near expiry, copy with links."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from commerce.catalog.errors import ProductOffShelf
from commerce.db import Database
from posters.copy import Tone
from siyu.referral_qr import RENEW_BEFORE_SECONDS, ReferralQrCodes, share_scene
from tests.integration.poster_delivery.shop import (
    BASE_URL,
    FakeQrApi,
    make_distributor,
    poster_service,
    seed,
)


def qr_text(jpeg_bytes: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(jpeg_bytes)))]


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> dict[str, int]:
    return seed(db, tmp_path / "media")


class TestProductPoster:
    def test_poster_qr_encodes_the_url_issued_for_the_distributors_product_scene(
        self, db: Database, tmp_path: Path, shop: dict[str, int]
    ) -> None:
        code = make_distributor(db, "o-dist")
        api = FakeQrApi()
        poster = poster_service(db, tmp_path, api).render_for("o-dist", "product", str(shop["P-ORANGE"]))
        assert api.created == [(f"d_{code}_p{shop['P-ORANGE']}", 2_592_000)]
        assert qr_text(poster.data) == ["http://weixin.qq.com/q/02fake0001"]
        assert poster.copy is not None and poster.copy.endswith(f"{BASE_URL}/p/{shop['P-ORANGE']}?ref={code}")
        assert "原价¥49.90" in poster.copy  # the merchant's real previous price
        assert len(poster.data) < 300 * 1024

    def test_a_repeat_request_reuses_the_qr_ticket_and_the_stored_file(
        self, db: Database, tmp_path: Path, shop: dict[str, int]
    ) -> None:
        make_distributor(db, "o-dist")
        api = FakeQrApi()
        service = poster_service(db, tmp_path, api)
        first = service.render_for("o-dist", "product", str(shop["P-ORANGE"]))
        again = service.render_for("o-dist", "product", str(shop["P-ORANGE"]))
        assert len(api.created) == 1 and first.cache_key == again.cache_key and first.data == again.data
        assert len(list((tmp_path / "posters").glob("*.jpg"))) == 1

    def test_long_emoji_name_and_corrupt_photo_still_render_a_scannable_poster(
        self, db: Database, tmp_path: Path, shop: dict[str, int]
    ) -> None:
        make_distributor(db, "o-dist")
        poster = poster_service(db, tmp_path, FakeQrApi()).render_for("o-dist", "product", str(shop["P-TEA"]))
        assert qr_text(poster.data) == ["http://weixin.qq.com/q/02fake0001"]

    def test_banned_words_in_the_merchants_facts_drop_the_copy_but_not_the_poster(
        self, db: Database, tmp_path: Path, shop: dict[str, int]
    ) -> None:
        make_distributor(db, "o-dist")
        poster = poster_service(db, tmp_path, FakeQrApi()).render_for("o-dist", "product", str(shop["P-CREAM"]))
        assert poster.copy is None and qr_text(poster.data)

    def test_off_shelf_product_is_refused_with_a_domain_error(
        self, db: Database, tmp_path: Path, shop: dict[str, int]
    ) -> None:
        from commerce.catalog import services as catalog

        make_distributor(db, "o-dist")
        with db.uow() as uow:
            catalog.set_shelf(uow, "P-ORANGE", False, actor="test")
            uow.commit()
        with pytest.raises(ProductOffShelf):
            poster_service(db, tmp_path, FakeQrApi()).render_for("o-dist", "product", str(shop["P-ORANGE"]))


class TestShopAndEventPosters:
    def test_shop_poster_carries_the_distributors_own_scene(
        self, db: Database, tmp_path: Path, shop: dict[str, int]
    ) -> None:
        code = make_distributor(db, "o-dist")
        api = FakeQrApi()
        service = poster_service(db, tmp_path, api)
        poster = service.render_for("o-dist", "shop", "")
        event = service.render_for("o-dist", "event", "")
        assert [scene for scene, _ in api.created] == [f"d_{code}"]  # one ticket for both
        assert qr_text(poster.data) == qr_text(event.data) == ["http://weixin.qq.com/q/02fake0001"]
        assert poster.cache_key.startswith("shop-") and event.cache_key.startswith("event-")
        assert poster.copy and "测试小店" in poster.copy

    def test_with_distribution_off_everyone_gets_a_plain_shop_qr(
        self, db: Database, tmp_path: Path, shop: dict[str, int]
    ) -> None:
        api = FakeQrApi()
        service = poster_service(db, tmp_path, api, distribution=False)
        assert service.may_share("o-anyone")
        service.render_for("o-anyone", "product", str(shop["P-ORANGE"]))
        assert api.created[0][0] == f"s_p{shop['P-ORANGE']}"

    def test_a_customer_who_is_not_a_distributor_may_not_share(self, db: Database, tmp_path: Path,
                                                                shop: dict[str, int]) -> None:
        assert not poster_service(db, tmp_path, FakeQrApi()).may_share("o-customer")


class TestPromoCopy:
    @pytest.mark.parametrize("tone", list(Tone))
    def test_copy_in_every_tone_ends_with_the_short_link(self, db: Database, tmp_path: Path,
                                                         shop: dict[str, int], tone: Tone) -> None:
        code = make_distributor(db, "o-dist")
        text = poster_service(db, tmp_path, FakeQrApi()).copy_for("o-dist", shop["P-ORANGE"], tone, 1)
        assert "赣南脐橙" in text and text.endswith(f"/p/{shop['P-ORANGE']}?ref={code}")


class TestQrTicketCache:
    def test_ticket_is_reused_until_a_week_before_expiry_then_renewed(self) -> None:
        from bot.kv import MemoryKV

        now = [1_000_000.0]
        api = FakeQrApi()
        codes = ReferralQrCodes(api, MemoryKV(), clock=lambda: now[0])
        first = codes.for_scene("d_ABCD12_p7")
        now[0] += 2_592_000 - RENEW_BEFORE_SECONDS - 60
        assert codes.for_scene("d_ABCD12_p7") == first
        now[0] += 120
        assert codes.for_scene("d_ABCD12_p7").ticket == "ticket-2"

    def test_scene_strings_fit_wechats_64_characters(self) -> None:
        assert share_scene("ABCDEFGHJKLMNPQR", 10**17) == "d_ABCDEFGHJKLMNPQR_p100000000000000000"
        assert share_scene(None) == "s_shop"
