"""Generated papers as a reader sees them: converted to PDF by LibreOffice headless and read back with pdfplumber.

``render(data, suffix)`` converts a .docx or .xlsx to PDF (each call in its own LibreOffice profile, so the two
test workers never share one) and returns a ``Paper``: its pages, each page's text lines with their fonts and
positions and its horizontal rules, and the fonts embedded in the file — what a test needs to check a layout as printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 — runs LibreOffice on a file the test wrote
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

CONVERT_TIMEOUT = 120
#: the substitution of the office fonts by the Simplified Chinese Noto faces (see the file)
FONTS_CONF = Path(__file__).with_name("fonts.conf")


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice (soffice) is missing: make test-deps installs it from Debian")
    return path


def to_pdf(data: bytes, suffix: str) -> bytes:
    """``data`` (a .docx or .xlsx file's bytes) as LibreOffice prints it to PDF."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = folder / f"paper{suffix}"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603  # nosec B603 — fixed program and arguments, no shell
            [
                soffice(),
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
            env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)},
        )
        return (folder / "paper.pdf").read_bytes()


@dataclass(frozen=True)
class Line:
    """One printed line: its text, its characters' fonts and sizes, and where it sits on the page (pt)."""

    text: str
    fonts: frozenset[str]
    size: float
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Rule:
    """A horizontal line drawn on the page (a border, a 分隔线): from ``x0`` to ``x1`` at ``y``, ``weight`` thick."""

    x0: float
    x1: float
    y: float
    weight: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def empty(self) -> bool:
        return not any(line.text.strip() for line in self.lines)


@dataclass(frozen=True)
class Paper:
    pdf: bytes
    pages: tuple[Page, ...]

    @property
    def fonts(self) -> set[str]:
        """The base names of every font the PDF uses (subset prefixes such as ``ABCDEF+`` removed)."""
        return {font for page in self.pages for line in page.lines for font in line.fonts}

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def _lines(page, tolerance: float = 2.0) -> tuple[Line, ...]:
    rows: list[list[dict]] = []
    for char in sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"])):
        if rows and abs(rows[-1][0]["top"] - char["top"]) <= tolerance:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for chars in rows:
        chars.sort(key=lambda c: c["x0"])
        lines.append(
            Line(
                text="".join(c["text"] for c in chars),
                fonts=frozenset(c["fontname"].split("+", 1)[-1] for c in chars),
                size=max(c["size"] for c in chars),
                x0=min(c["x0"] for c in chars),
                x1=max(c["x1"] for c in chars),
                top=min(c["top"] for c in chars),
                bottom=max(c["bottom"] for c in chars),
            )
        )
    return tuple(lines)


def _rules(page) -> tuple[Rule, ...]:
    drawn = [(d["x0"], d["x1"], (d["top"] + d["bottom"]) / 2, d.get("linewidth") or 0) for d in page.lines]
    drawn += [
        (d["x0"], d["x1"], (d["top"] + d["bottom"]) / 2, d["height"]) for d in page.rects if d["height"] < 2
    ]
    return tuple(Rule(x0, x1, y, weight) for x0, x1, y, weight in drawn if abs(x1 - x0) > 2)


def read(pdf: bytes) -> Paper:
    with pdfplumber.open(BytesIO(pdf)) as document:
        pages = tuple(Page(float(p.width), float(p.height), _lines(p), _rules(p)) for p in document.pages)
    return Paper(pdf=pdf, pages=pages)


def render(data: bytes, suffix: str) -> Paper:
    """``data`` printed by LibreOffice and read back."""
    return read(to_pdf(data, suffix))
