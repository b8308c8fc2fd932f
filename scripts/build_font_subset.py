"""Rebuild the CJK font subset shipped in `posters/fonts/`.

Posters must render Chinese on a machine with no system fonts, so the repo
ships Noto Sans CJK SC (SIL OFL 1.1), cut down with fontTools to what a shop
needs: GB2312 level 1 + 2 hanzi, ASCII, Latin-1, full-width forms, CJK
punctuation, ¥ and a few symbols.  Regular and Bold, a few MB together.

Upstream: Debian's `fonts-noto-cjk` (`apt-get install -y fonts-noto-cjk`),
whose `.ttc` collections hold the SC face at index 2.  Usage:

    .venv/bin/python scripts/build_font_subset.py [--src-dir /usr/share/fonts/opentype/noto]

Only this script needs fontTools (a dev dependency); the runtime only reads
the resulting `.otf` files with Pillow.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "posters" / "fonts"
DEFAULT_SRC_DIR = Path("/usr/share/fonts/opentype/noto")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
SC_INDEX = 2  # JP, KR, SC, TC, HK, then the Mono faces
FACES = {"NotoSansCJKsc-Regular": "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Bold": "NotoSansCJK-Bold.ttc"}

EXTRA_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (¥ is U+00A5, × ÷ · …)
    (0x2010, 0x2027),  # dashes, quotes, ellipsis
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2100, 0x2199),  # ℃ № ™, arrows
    (0x2460, 0x249B),  # ①–⑳ ⑴
    (0x25A0, 0x25FF),  # geometric shapes ■ □ ▲ ● ○ ★ is below
    (0x2605, 0x2606),  # ★ ☆
    (0x3000, 0x303F),  # CJK punctuation 、。〈〉《》「」【】
    (0x3040, 0x30FF),  # kana (brand names)
    (0xFF01, 0xFF5E),  # full-width forms ！（），：；？￥ is U+FFE5
    (0xFFE0, 0xFFE6),  # ￠￡￢￣￤￥
]


def gb2312_hanzi() -> list[str]:
    """Level 1 (rows 16–55) and level 2 (rows 56–87) hanzi of GB2312: 6,763 characters."""
    chars: list[str] = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the 5 unassigned cells at the end of row 55
    return chars


def gb2312_symbols() -> list[str]:
    """Rows 1–9 of GB2312: punctuation, symbols, full-width Latin, kana, Greek, Cyrillic."""
    chars: list[str] = []
    for row in range(0xA1, 0xAA):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_codepoints() -> set[int]:
    points = {ord(c) for c in gb2312_hanzi() + gb2312_symbols()}
    for lo, hi in EXTRA_RANGES:
        points.update(range(lo, hi + 1))
    return points


def build_face(src: Path, out: Path, unicodes: set[int]) -> None:
    font = TTCollection(str(src)).fonts[SC_INDEX]
    options = subset.Options()
    options.layout_features = ["kern", "palt", "halt", "locl"]
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    font.save(str(out))


LICENCE_HEADER = """\
Noto Sans CJK SC (Regular, Bold) — subset for Siyu posters
Copyright 2014-2021 Adobe (http://www.adobe.com/), Google and contributors.
Upstream: https://github.com/googlefonts/noto-cjk (via Debian fonts-noto-cjk).
Subset (GB2312 hanzi + Latin + punctuation) made with scripts/build_font_subset.py;
the subset is a Modified Version under the licence below.

"""


def licence_text(debian_copyright: str) -> str:
    """The SIL OFL 1.1 block of a Debian copyright file, un-indented."""
    block = debian_copyright.split("License: SIL-1.1\n", 2)[-1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith(" "):
            break
        lines.append("" if line.strip() == "." else line[1:])
    return LICENCE_HEADER + "\n".join(lines).strip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src-dir", type=Path, default=DEFAULT_SRC_DIR)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    unicodes = wanted_codepoints()
    for name, ttc in FACES.items():
        out = args.out_dir / f"{name}.otf"
        build_face(args.src_dir / ttc, out, unicodes)
        print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {out.stat().st_size / 1e6:.2f} MB")
    if DEBIAN_COPYRIGHT.exists():
        (args.out_dir / "OFL.txt").write_text(licence_text(DEBIAN_COPYRIGHT.read_text("utf-8")), "utf-8")
    print(f"{len(unicodes)} code points requested")


if __name__ == "__main__":
    main()
