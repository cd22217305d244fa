"""Write the Simplified Chinese faces of Debian's Noto CJK collections as fonts of their own.

Debian's fonts-noto-cjk ships each Noto CJK family as one collection (.ttc) whose faces — JP, KR, SC, TC, HK —
share a single CFF table named after the Japanese face. LibreOffice (7.4) writes that shared name into every PDF
it prints, so a paper set in the SC face still names "NotoSerifCJKjp" fonts. This script takes the SC face out
of each collection and names its CFF table (and each of its font dicts) after the SC face itself; the papers'
font configuration (``tests/papers/fonts.conf``) then uses these files and not the collections.

    python scripts/cjk_sc_fonts.py <folder>     (make test-deps runs it once, into /usr/local/share/fonts)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

NOTO = Path("/usr/share/fonts/opentype/noto")
COLLECTIONS = (
    "NotoSerifCJK-Regular.ttc",
    "NotoSansCJK-Regular.ttc",
)  # 仿宋/宋/楷/小标宋 and 黑体; bold is synthesised


def sc_face(collection: Path, folder: Path) -> Path:
    faces = TTCollection(str(collection)).fonts
    # e.g. NotoSerifCJKsc-Regular (the Sans collection also holds the Mono faces: NotoSansMonoCJKsc-Regular)
    want = collection.name.replace("CJK-", "CJKsc-").removesuffix(".ttc")
    [face] = [f for f in faces if f["name"].getDebugName(6) == want]
    name = want
    cff = face["CFF "].cff
    cff.fontNames = [name]
    for font_dict in getattr(cff.topDictIndex[0], "FDArray", []):
        font_dict.FontName = name
    target = folder / f"{name}.otf"
    partial = target.with_suffix(".part")
    face.save(str(partial))
    partial.replace(target)  # never a half-written font where fontconfig looks
    return target


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for collection in COLLECTIONS:
        print(sc_face(NOTO / collection, out))


if __name__ == "__main__":
    main(sys.argv[1])
