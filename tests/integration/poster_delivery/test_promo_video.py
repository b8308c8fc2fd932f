"""The promo video: a short H.264 slideshow whose end card carries a scannable QR code."""

from __future__ import annotations

import io

import av
import pytest
import zxingcpp
from PIL import Image

from posters.video import MAX_BYTES, PromoVideoData, VideoSpec, render_video, slide_plan

QR = "http://weixin.qq.com/q/02videoTest0001"


def jpeg(size: tuple[int, int] = (800, 600), color: str = "#3a7") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def decoded(video: bytes) -> tuple[float, list[Image.Image], str]:
    with av.open(io.BytesIO(video)) as container:
        stream = container.streams.video[0]
        frames = [f.to_image() for f in container.decode(video=0)]
        return float(container.duration or 0) / 1e6, frames, stream.codec_context.name


def test_video_is_a_short_h264_mp4_whose_last_frame_scans_to_the_referral_url() -> None:
    data = PromoVideoData(name="赣南脐橙", price_fen=3990, qr_content=QR, photos=(jpeg(), jpeg(color="#e80")),
                          captions=("果园直发", "坏果包赔"), shop_name="思语优选", original_price_fen=4990)
    video = render_video(data)
    seconds, frames, codec = decoded(video)
    assert codec == "h264" and video[4:8] == b"ftyp"
    assert seconds <= 15.0 and len(video) < MAX_BYTES
    assert [r.text for r in zxingcpp.read_barcodes(frames[-1])] == [QR]


@pytest.mark.parametrize("photos", [(), (b"not an image",), (jpeg((5000, 5000)),)])
def test_missing_corrupt_or_huge_photos_still_make_a_video(photos: tuple[bytes, ...]) -> None:
    data = PromoVideoData(name="没有图片的商品🍊" + "很长的名字" * 40, price_fen=100, qr_content=QR, photos=photos)
    seconds, frames, _ = decoded(render_video(data, VideoSpec(fps=4)))
    assert 0 < seconds <= 15.0
    assert [r.text for r in zxingcpp.read_barcodes(frames[-1])] == [QR]


def test_many_photos_are_cut_to_fit_fifteen_seconds() -> None:
    slides, per_slide = slide_plan(9)
    assert slides * per_slide + VideoSpec().end_seconds <= 15.0
    seconds, _, _ = decoded(render_video(PromoVideoData("多图", 990, QR, photos=(jpeg(),) * 9), VideoSpec(fps=4)))
    assert seconds <= 15.0
