"""qr.py: a web address as a QR code's modules: the size its version says, the three finder
patterns, dark runs that give back the grid, and a code zbarimg reads back (Debian's
zbar-tools; .ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from deckgen.qr import QUIET_ZONE, QrCode, qr_code

ADDRESS = "https://teacher.example.org/course/slides/2024-08-03-CNN/"


def finder_at(code: QrCode, top: int, left: int) -> bool:
    """A 7 x 7 finder pattern: a dark ring, a light ring, a dark 3 x 3 centre."""
    for dy in range(7):
        for dx in range(7):
            ring = max(abs(dy - 3), abs(dx - 3))
            if code.rows[top + dy][left + dx] != (ring != 2):
                return False
    return True


def test_the_code_is_as_large_as_its_version_with_its_quiet_zone() -> None:
    code = qr_code(ADDRESS)
    assert code.text == ADDRESS and code.error in ("L", "M", "Q", "H")
    assert code.size == 17 + 4 * code.version + 2 * QUIET_ZONE
    assert all(len(row) == code.size for row in code.rows)
    assert code.version <= 4  # a deck's address: small enough for 2 cm on a slide
    q = QUIET_ZONE
    assert not any(code.rows[0]) and not any(row[0] for row in code.rows)  # the light border
    assert finder_at(code, q, q) and finder_at(code, q, code.size - q - 7) and finder_at(code, code.size - q - 7, q)
    assert not finder_at(code, code.size - q - 7, code.size - q - 7)
    assert qr_code(ADDRESS, border=0).size == code.size - 2 * QUIET_ZONE


def test_a_better_level_is_taken_when_it_fits_in_the_same_version() -> None:
    boosted, asked = qr_code(ADDRESS, "L"), qr_code(ADDRESS, "H")
    assert boosted.error == "M"  # version 4 holds this address at M as well as at L
    assert asked.error == "H" and asked.version > boosted.version


def test_the_dark_runs_give_back_the_grid() -> None:
    code = qr_code(ADDRESS)
    grid = [[False] * code.size for _ in range(code.size)]
    runs = list(code.dark_runs())
    for row, col, length in runs:
        assert length > 0
        for x in range(col, col + length):
            grid[row][x] = True
    assert tuple(tuple(r) for r in grid) == code.rows
    assert len(runs) < sum(sum(r) for r in code.rows) / 2  # far fewer shapes than modules


@pytest.mark.parametrize("bad", ["", "x" * 8000])
def test_what_cannot_be_a_code_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        qr_code(bad)


def test_zbarimg_reads_the_address_back(tmp_path: Path) -> None:
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg is not installed (Debian: apt-get install zbar-tools)")
    code = qr_code(ADDRESS)
    scale = 4
    image = Image.new("L", (code.size * scale, code.size * scale), 255)
    for row, col, length in code.dark_runs():
        image.paste(0, (col * scale, row * scale, (col + length) * scale, (row + 1) * scale))
    image.save(tmp_path / "code.png")
    done = subprocess.run([zbarimg, "--quiet", "--raw", str(tmp_path / "code.png")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ADDRESS
