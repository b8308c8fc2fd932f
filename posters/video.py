"""Short promo video: an MP4 slideshow of a product's photos with captions, price and a QR end card.

Pure like the rest of `posters`: data in, MP4 bytes out.  Encoded with PyAV
(FFmpeg ships inside its wheel) as H.264 baseline/yuv420p so every phone plays
it, at a small size and a low frame rate (a slideshow needs no more), so a
15-second video is a few hundred KB — far under WeChat's 10 MB video limit.

Memory stays bounded: one slide is kept as a decoded frame at a time and
photos are decoded no larger than the frame (`posters.images.decode`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from fractions import Fraction

import av
from PIL import Image, ImageDraw

from posters.display import price_text
from posters.fonts import FontSet, default_fontset
from posters.images import cover, load_or_none, photo_placeholder
from posters.qr import qr_image
from posters.text import TextStyle, draw_line, wrap

MAX_SECONDS = 15.0
MAX_BYTES = 10 * 1024 * 1024  # WeChat: video media ≤ 10 MB
MAX_PHOTOS = 4
SIZE = (540, 960)
FPS = 12
BACKGROUND, INK, ACCENT, MUTED = "#fff7f0", "#222222", "#e4393c", "#888888"


class VideoTooLarge(ValueError):
    """The encoded video is over WeChat's limit (never expected at these settings)."""


@dataclass(frozen=True)
class PromoVideoData:
    name: str
    price_fen: int
    qr_content: str
    photos: tuple[bytes, ...] = field(default=(), repr=False)  # encoded images; bad ones become placeholders
    captions: tuple[str, ...] = ()  # one per slide (selling points); the name when missing
    shop_name: str = ""
    original_price_fen: int | None = None  # only a real previous price
    end_caption: str = "长按识别二维码 立即购买"


@dataclass(frozen=True)
class VideoSpec:
    size: tuple[int, int] = SIZE
    fps: int = FPS
    slide_seconds: float = 3.0
    end_seconds: float = 3.0
    max_seconds: float = MAX_SECONDS


def slide_plan(photo_count: int, spec: VideoSpec = VideoSpec()) -> tuple[int, float]:
    """(photo slides, seconds per photo slide) so that photos + end card fit `max_seconds`."""
    slides = max(1, min(photo_count, MAX_PHOTOS))
    budget = spec.max_seconds - spec.end_seconds
    return slides, min(spec.slide_seconds, budget / slides)


def render_video(data: PromoVideoData, spec: VideoSpec = VideoSpec(), fonts: FontSet | None = None) -> bytes:
    """The MP4 bytes: one slide per photo (caption + price), then the QR end card."""
    fonts = fonts or default_fontset()
    slides, seconds = slide_plan(len(data.photos), spec)
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=spec.fps)
        stream.width, stream.height = spec.size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, spec.fps)
        stream.options = {"preset": "veryfast", "crf": "28", "profile": "baseline", "movflags": "+faststart"}
        index = 0
        for i in range(slides):
            photo = data.photos[i] if i < len(data.photos) else None
            index = _emit(container, stream, _photo_slide(data, photo, i, spec.size, fonts), seconds, index)
        _emit(container, stream, _end_card(data, spec.size, fonts), spec.end_seconds, index)
        for packet in stream.encode(None):
            container.mux(packet)
    video = out.getvalue()
    if len(video) > MAX_BYTES:
        raise VideoTooLarge(f"promo video is {len(video)} bytes, over {MAX_BYTES}")
    return video


def _emit(container: av.container.OutputContainer, stream: av.video.stream.VideoStream, image: Image.Image,
          seconds: float, start: int) -> int:
    frame = av.VideoFrame.from_image(image)
    count = max(1, round(seconds * stream.codec_context.framerate))
    for pts in range(start, start + count):
        frame.pts = pts
        for packet in stream.encode(frame):
            container.mux(packet)
    return start + count


def _photo_slide(data: PromoVideoData, photo: bytes | None, i: int, size: tuple[int, int],
                 fonts: FontSet) -> Image.Image:
    w, h = size
    canvas = Image.new("RGB", size, BACKGROUND)
    box = (w, w)
    img = load_or_none(photo, box, f"video photo {i + 1}")
    canvas.paste(cover(img, box) if img is not None else photo_placeholder(box, "#f0e6dc", "#c8b8a8"), (0, 0))
    draw = ImageDraw.Draw(canvas)
    caption = data.captions[i] if i < len(data.captions) and data.captions[i].strip() else data.name
    y = w + 40
    y = _text_block(draw, caption, fonts, TextStyle(44, bold=True), (40, y), w - 80, 2, INK)
    if caption != data.name:
        y = _text_block(draw, data.name, fonts, TextStyle(30), (40, y + 10), w - 80, 1, MUTED)
    _price(draw, data, fonts, (40, h - 150))
    return canvas


def _end_card(data: PromoVideoData, size: tuple[int, int], fonts: FontSet) -> Image.Image:
    w, h = size
    canvas = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    y = _text_block(draw, data.shop_name or data.name, fonts, TextStyle(40, bold=True), (40, 90), w - 80, 2, INK)
    _text_block(draw, data.name, fonts, TextStyle(32), (40, y + 16), w - 80, 2, MUTED)
    qr_side = 360
    qr = qr_image(data.qr_content, qr_side).convert("RGB")
    left, top = (w - qr.width) // 2, 330
    canvas.paste(qr, (left, top))
    _price(draw, data, fonts, (40, top + qr.height + 40))
    _text_block(draw, data.end_caption, fonts, TextStyle(34, bold=True), (40, h - 130), w - 80, 1, ACCENT)
    return canvas


def _price(draw: ImageDraw.ImageDraw, data: PromoVideoData, fonts: FontSet, xy: tuple[int, int]) -> None:
    x, y = xy
    x += draw_line(draw, (x, y), price_text(data.price_fen), fonts, TextStyle(64, bold=True), ACCENT) + 24
    was = data.original_price_fen
    if was is not None and was > data.price_fen:
        style = TextStyle(32)
        width = draw_line(draw, (x, y + 26), price_text(was), fonts, style, MUTED)
        draw.line((x, y + 26 + style.size * 0.72, x + width, y + 26 + style.size * 0.72), fill=MUTED, width=2)


def _text_block(draw: ImageDraw.ImageDraw, text: str, fonts: FontSet, style: TextStyle, xy: tuple[int, int],
                width: int, max_lines: int, fill: str) -> int:
    """Wrapped text from `xy`; returns the y below it."""
    x, y = xy
    for line in wrap(text, fonts, style, width, max_lines):
        draw_line(draw, (x, y), line, fonts, style, fill)
        y += int(style.size * 1.35)
    return y
