"""``make papers``: the first page of each generated paper (``builders.PAPERS``) as a PNG under docs/papers/, so
a reader sees the papers as printed without opening them. Run by the make target, not by the suite (its name
is not test_*.py): ``pytest tests/papers/gallery.py``; ``PAPERS_DIR`` names another folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 — runs pdftoppm on a file this module wrote
import tempfile
from pathlib import Path

import pytest

from .builders import PAPERS, build
from .pdf import to_pdf

RESOLUTION = "60"  # dpi: an A4 page of about 500 × 700 pixels, readable and small


def first_page_png(pdf: bytes, target: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is missing: make test-deps installs poppler-utils from Debian")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "paper.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603  # nosec B603 — fixed program and arguments, no shell
            [
                pdftoppm,
                "-png",
                "-r",
                RESOLUTION,
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(target.with_suffix("")),
            ],
            check=True,
            capture_output=True,
        )


@pytest.mark.parametrize(("name", "builder", "suffix"), PAPERS, ids=[p[0] for p in PAPERS])
def test_first_page_picture(db, name, builder, suffix):
    folder = Path(os.environ.get("PAPERS_DIR", "docs/papers"))
    folder.mkdir(parents=True, exist_ok=True)
    data = build(builder)
    pdf = to_pdf(data, suffix)
    if os.environ.get("PAPERS_PDF"):  # keep the whole PDF too, to read every page
        (folder / f"{name}.pdf").write_bytes(pdf)
    first_page_png(pdf, folder / f"{name}.png")
    assert (folder / f"{name}.png").stat().st_size > 0
