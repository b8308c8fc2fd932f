"""Poster rendering benchmark: ours (uncached and cached) against bare Pillow, same run.

Floor: bare Pillow drawing the same poster elements — decode and paste the
photo, draw the same text with the same font, make a `qrcode` image and paste
it, encode JPEG q85.  Ours: `posters.render` (layout, wrapping, fallback
routing, QR, encode) with a new QR content and a photo not in the fitted-photo
cache every time (uncached: the ratio and the posters/s use this), the same
with one product photo shared by all posters (many distributors, one product),
and `posters.render_cached` answering a repeat request from the local store.

Targets: uncached ≤ 1.5× floor (p50); cached ≤ 5 ms p50; ≥ 30 posters/s
sustained; peak RSS ≤ 250 MB over 500 posters; JPEG ≤ 300 KB.
Writes bench/results/posters.json.  Run: .venv/bin/python bench/posters.py
"""

from __future__ import annotations

import io
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qrcode  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from posters import LocalPosterStore, ProductPosterData, render, render_cached  # noqa: E402
from posters.fonts import DEFAULT_BOLD, DEFAULT_REGULAR  # noqa: E402

N_TIMED = int(os.environ.get("BENCH_N", "200"))
N_SUSTAINED = 500
NAME = "【产地直发】云南高原红心猕猴桃 12枚装 单果约90-110g 当季现摘新鲜水果 坏果包赔"
POINTS = ["酸甜多汁，维C满满", "坏果包赔，顺丰冷链", "当季现摘，48小时内发货"]


def make_photo(k: int = 0) -> bytes:
    img = Image.effect_mandelbrot((1000, 1000), (-2 + k * 0.01, -1.5, 1, 1.5), 60).convert("RGB")
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def qr_url(i: int) -> str:
    return f"http://weixin.qq.com/q/02{i:08d}aBcDeFgHiJk10000w03c"


def data(i: int, photo: bytes) -> ProductPosterData:
    return ProductPosterData(name=NAME, price_fen=3990, original_price_fen=5990, member_price_fen=3590,
                             qr_content=qr_url(i), distributor_name="小雨妈妈", shop_name="思语优选",
                             selling_points=POINTS, image=photo)


def floor_poster(i: int, photo: bytes, regular: dict[int, ImageFont.FreeTypeFont],
                 bold: dict[int, ImageFont.FreeTypeFont]) -> bytes:
    """The same elements as layouts/product.yml, drawn with bare Pillow calls at fixed positions."""
    img = Image.new("RGB", (750, 1334), "white")
    img.paste(Image.open(io.BytesIO(photo)).convert("RGB").resize((750, 750)), (0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((32, 32, 291, 87), radius=28, fill="#2B2B2B")
    draw.text((52, 42), "思语优选", font=regular[26], fill="#FFFFFF")
    draw.text((40, 776), NAME[:16], font=bold[40], fill="#1F1F1F")
    draw.text((40, 832), NAME[16:30] + "…", font=bold[40], fill="#1F1F1F")
    for k, point in enumerate(POINTS):
        draw.text((40, 894 + 39 * k), "•", font=regular[26], fill="#E4393C")
        draw.text((60, 894 + 39 * k), point, font=regular[26], fill="#666666")
    draw.text((40, 1080), "¥", font=bold[35], fill="#E4393C", anchor="ls")
    draw.text((62, 1080), "39.90", font=bold[64], fill="#E4393C", anchor="ls")
    draw.text((250, 1080), "¥59.90", font=regular[28], fill="#999999", anchor="ls")
    draw.line((250, 1070, 330, 1070), fill="#999999", width=2)
    draw.rounded_rectangle((355, 1048, 545, 1088), radius=8, fill="#2B2B2B")
    draw.text((367, 1080), "会员价 ¥35.90", font=bold[25], fill="#F3D48E", anchor="ls")
    draw.line((40, 1112, 710, 1112), fill="#EEEEEE", width=2)
    draw.ellipse((40, 1150, 128, 1238), fill="#F4B183")
    draw.text((84, 1194), "小", font=bold[44], fill="#FFFFFF", anchor="mm")
    draw.text((146, 1156), "小雨妈妈", font=bold[30], fill="#333333")
    draw.text((146, 1204), "为你推荐了一件好物", font=regular[24], fill="#999999")
    draw.text((40, 1266), "长按识别二维码，查看商品详情", font=regular[24], fill="#E4393C")
    code = qrcode.make(qr_url(i), error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4)
    img.paste(code.get_image().resize((180, 180)), (524, 1112))
    draw.text((580, 1296), "长按识别", font=regular[22], fill="#999999")
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def timed(fns: list[Callable[[int], bytes]], n: int, offset: int) -> list[tuple[list[float], int]]:
    """Time each function n times, interleaved, so a noisy machine slows them alike."""
    results: list[tuple[list[float], int]] = [([], 0) for _ in fns]
    for i in range(n):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            out = fn(offset + i)
            times, size = results[k]
            times.append((time.perf_counter() - start) * 1000)
            results[k] = (times, max(size, len(out)))
    return results


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"ms_p50": round(statistics.median(ordered), 2), "ms_p99": round(ordered[int(len(ordered) * 0.99) - 1], 2),
            "ms_mean": round(statistics.fmean(ordered), 2)}


def main() -> None:
    photo = make_photo()
    photos = [make_photo(k) for k in range(1, 17)]  # round-robin over more than the photo cache holds
    regular = {s: ImageFont.truetype(str(DEFAULT_REGULAR), s) for s in (22, 24, 26, 28)}
    bold = {s: ImageFont.truetype(str(DEFAULT_BOLD), s) for s in (25, 30, 35, 40, 44, 64)}
    floor_fn = lambda i: floor_poster(i, photo, regular, bold)  # noqa: E731
    ours_fn = lambda i: render("product", data(i, photos[i % len(photos)]))  # noqa: E731
    same_photo_fn = lambda i: render("product", data(i, photo))  # noqa: E731
    for i in range(10):  # warm-up: font loading, caches of glyph widths
        floor_fn(10_000_000 + i), ours_fn(10_000_000 + i)

    (floor_times, floor_size), (ours_times, ours_size), (same_photo_times, _) = timed(
        [floor_fn, ours_fn, same_photo_fn], N_TIMED, 0)

    with tempfile.TemporaryDirectory() as tmp:
        store = LocalPosterStore(tmp)
        repeat = data(42, photo)
        render_cached(store, "product", repeat, qr_url(42))
        [(cached_times, _)] = timed([lambda _: render_cached(store, "product", repeat, qr_url(42))[0]], N_TIMED, 0)

    start = time.perf_counter()
    for i in range(N_SUSTAINED):
        ours_fn(2_000_000 + i)
    per_second = N_SUSTAINED / (time.perf_counter() - start)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    floor = {**summary(floor_times), "jpeg_kb": round(floor_size / 1024, 1),
             "posters_per_s_from_mean": round(1000 / statistics.fmean(floor_times), 1)}  # context for the 30/s target
    ours = {"uncached": summary(ours_times), "uncached_same_product_photo": summary(same_photo_times),
            "cached": summary(cached_times), "posters_per_s": round(per_second, 1),
            "peak_rss_mb": round(peak_rss_mb, 1), "jpeg_kb_max": round(ours_size / 1024, 1), "n": N_TIMED,
            "n_sustained": N_SUSTAINED}
    ratio = round(ours["uncached"]["ms_p50"] / floor["ms_p50"], 3)
    checks = {"uncached <= 1.5x floor": ratio <= 1.5, "cached p50 <= 5 ms": ours["cached"]["ms_p50"] <= 5,
              ">= 30 posters/s": per_second >= 30, "peak RSS <= 250 MB": peak_rss_mb <= 250,
              "JPEG <= 300 KB": ours_size <= 300 * 1024}
    result = {"name": "posters", "ours": ours, "floor": floor, "ratio": ratio,
              "target": "<= 1.5 (uncached p50 / floor p50); cached p50 <= 5 ms; >= 30/s; RSS <= 250 MB",
              "meets_target": all(checks.values()), "checks": checks,
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                          "processor": platform.processor() or platform.machine()}}

    print(f"{'':28}{'p50 ms':>9}{'p99 ms':>9}")
    print(f"{'floor (bare Pillow+qrcode)':28}{floor['ms_p50']:>9}{floor['ms_p99']:>9}")
    print(f"{'ours uncached':28}{ours['uncached']['ms_p50']:>9}{ours['uncached']['ms_p99']:>9}")
    print(f"{'ours, same photo, new QR':28}{ours['uncached_same_product_photo']['ms_p50']:>9}"
          f"{ours['uncached_same_product_photo']['ms_p99']:>9}")
    print(f"{'ours cached':28}{ours['cached']['ms_p50']:>9}{ours['cached']['ms_p99']:>9}")
    print(f"ratio {ratio} | {per_second:.1f} posters/s (floor ~{floor['posters_per_s_from_mean']}/s) | peak RSS {peak_rss_mb:.0f} MB | JPEG ≤ {ours_size / 1024:.0f} KB")
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {name}")
    out = ROOT / "bench" / "results" / "posters.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
