"""Share material end to end through the real /wechat protocol and the WeChat sandbox.

A distributor asks for a poster after a product list; the passive reply says it is being
made and the image then arrives by customer-service message (the eager demo path: the
task runs in a background thread after the reply).  The poster's QR decodes to the URL
the sandbox issued, which resolves to the distributor's referral scene; a new user who
scans it is bound to that distributor.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import texts
from commerce.customers.services import get_or_create
from commerce.distribution.binding import bound_distributor
from tests.e2e.poster_delivery.site import PosterSite, of_type
from tests.integration.poster_delivery.shop import make_distributor, seed

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[PosterSite]:
    with PosterSite(tmp_path) as running:
        running.products = seed(running.container.db, tmp_path / "media")  # type: ignore[attr-defined]
        yield running


def test_a_distributor_gets_a_poster_whose_qr_binds_the_friend_who_scans_it(site: PosterSite) -> None:
    code = make_distributor(site.container.db, "o-dist")
    orange = site.products["P-ORANGE"]  # type: ignore[attr-defined]
    assert "赣南脐橙" in site.say("o-dist", "脐橙")
    assert site.say("o-dist", "给我生成第一个商品的海报") == texts.SHARE_POSTER_GENERATING

    messages = site.wait_outbox("o-dist", lambda m: bool(of_type(m, "image")) and bool(of_type(m, "text")))
    assert [m["msgtype"] for m in messages] == ["image", "text"]  # the image first, then its copy
    qr_url = site.poster_qr(messages[0])
    assert site.resolve(qr_url) == f"d_{code}_p{orange}"
    assert messages[1]["content"].endswith(f"/p/{orange}?ref={code}")

    site.scan("o-friend", qr_url)  # a new user scans the poster: subscribe with the scene
    with site.container.db.uow() as uow:
        bound = bound_distributor(uow, get_or_create(uow, "o-friend").id)
        assert bound is not None and bound.code == code


def test_shop_poster_and_copy_work_and_a_repeat_request_reuses_the_upload(site: PosterSite) -> None:
    code = make_distributor(site.container.db, "o-dist")
    assert site.say("o-dist", "店铺海报") == texts.SHARE_SHOP_POSTER_GENERATING
    first = site.wait_outbox("o-dist", lambda m: len(of_type(m, "image")) == 1)
    assert site.resolve(site.poster_qr(of_type(first, "image")[0])) == f"d_{code}"

    site.say("o-dist", "店铺海报")
    again = site.wait_outbox("o-dist", lambda m: len(of_type(m, "image")) == 2)
    images = of_type(again, "image")
    assert images[0]["media_id"] == images[1]["media_id"]  # cached poster, cached upload

    site.say("o-dist", "脐橙")
    copy = site.say("o-dist", "第一个的朋友圈文案")
    assert "赣南脐橙" in copy and copy.endswith(f"?ref={code}")


def test_a_customer_who_is_not_a_distributor_is_asked_to_join_first(site: PosterSite) -> None:
    site.say("o-shopper", "脐橙")
    assert site.say("o-shopper", "给我生成第一个商品的海报") == texts.SHARE_JOIN_FIRST
    assert site.outbox("o-shopper") == []


def test_the_promo_video_arrives_as_a_video_message(site: PosterSite) -> None:
    make_distributor(site.container.db, "o-dist")
    site.say("o-dist", "脐橙")
    site.say("o-dist", "第一个")
    assert site.say("o-dist", "要视频") == texts.SHARE_VIDEO_GENERATING
    video = of_type(site.wait_outbox("o-dist", lambda m: bool(of_type(m, "video"))), "video")[0]
    data = site.media(video)
    assert data[4:8] == b"ftyp" and len(data) < 10 * 1024 * 1024
    assert "赣南脐橙" in video["title"]


def test_a_duplicate_task_delivery_sends_one_image(site: PosterSite) -> None:
    from worker.tasks.posters import deliver_poster

    make_distributor(site.container.db, "o-dist")
    site.say("o-dist", "你好")  # opens the customer-service window
    site.container.celery_app  # noqa: B018 - installs the container as the worker runtime
    for _ in range(2):  # the broker redelivers, or the same request is enqueued twice
        deliver_poster.apply(args=("o-dist", "shop", "", "req-dup-1"))
    assert [m["msgtype"] for m in site.outbox("o-dist")] == ["image", "text"]
