"""Make the fallback fonts of the PDF export (``resources/fonts/Noto*``) from Noto releases.

The variable Noto fonts are cut to their regular instance; Noto Sans CJK SC
is cut down to the characters news text in Chinese, Japanese and Korean
uses (GB 2312, JIS X 0208, KS X 1001, Big5 level 1, CJK punctuation, kana,
full-width forms): about 14,500 characters, 5 MB instead of 16.

    python packaging/make_pdf_fonts.py --cjk NotoSansCJK-Regular.ttc --variable DIR --out resources/fonts

``DIR`` holds ``NotoSansArabic[wght].ttf``, ``NotoSansHebrew[wght].ttf``,
``NotoSansSymbols[wght].ttf`` and ``NotoEmoji[wght].ttf``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

VARIABLE = {
    "NotoSansArabic[wght].ttf": "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew[wght].ttf": "NotoSansHebrew-Regular.ttf",
    "NotoSansSymbols[wght].ttf": "NotoSansSymbols-Regular.ttf",
    "NotoEmoji[wght].ttf": "NotoEmoji-Regular.ttf",
}
CJK_OUT = "NotoSansCJKsc-Subset.otf"
SC_FACE = "Noto Sans CJK SC"


def _charset(codec: str, lead, trail) -> set[str]:
    out = set()
    for a in lead:
        for b in trail:
            try:
                out.update(bytes([a, b]).decode(codec))
            except UnicodeDecodeError:
                pass
    return out


def cjk_characters() -> set[str]:
    chars = _charset("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    chars |= _charset("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF))
    chars |= _charset("euc_kr", range(0xA1, 0xFE), range(0xA1, 0xFF))
    chars |= _charset("big5", range(0xA4, 0xC7), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))
    for first, last in ((0x3000, 0x3100), (0x3130, 0x3190), (0xFF00, 0xFFF0)):
        chars |= {chr(c) for c in range(first, last)}
    return {c for c in chars if c.strip()}


def make_cjk(ttc: Path, out: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = next(f for f in TTCollection(str(ttc)).fonts if f["name"].getDebugName(4) == SC_FACE)
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in cjk_characters()])
    sub.subset(font)
    font.save(str(out / CJK_OUT))


def make_static(folder: Path, out: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    for source, target in VARIABLE.items():
        static = instancer.instantiateVariableFont(TTFont(str(folder / source)), {"wght": 400},
                                                   updateFontNames=True)
        static.save(str(out / target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cjk", type=Path, required=True, help="NotoSansCJK-Regular.ttc")
    parser.add_argument("--variable", type=Path, required=True, help="folder of the variable Noto fonts")
    parser.add_argument("--out", type=Path, default=Path("resources/fonts"))
    args = parser.parse_args()
    make_cjk(args.cjk, args.out)
    make_static(args.variable, args.out)
    for name in (CJK_OUT, *VARIABLE.values()):
        print(f"{name}: {(args.out / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
