"""A warm build (every picture in the cache, reveal.js verified before, the slide maps remembered)
does not import what only a cold one needs: the drawing of pictures, downloads, the cache's
tidying, reading a tarball, the quick look of a folder build, reading slides back, QR codes,
code highlighting, Pillow's fonts and the allocator's tuning are loaded by the code that uses them (issue 20: a warm build's time is much of
it imports). Structural: which modules a real ``deckgen build`` process loaded, never how long."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support.imageserver import ImageServer

# what a warm build of a post without code, QR code or site leaves unloaded (and what pulls it in)
LAZY = (
    "deckgen.assets.vips",  # libvips' drawing, and logging: a picture drawn
    "deckgen.assets.encode",  # Pillow's drawing: a picture drawn
    "deckgen.assets.cachetidy",  # deckgen cache info / clear / prune
    "socket",  # a download (deckgen.assets.fetch loads it with requests)
    "concurrent.futures",  # a download, a picture drawn
    "deckgen.assets.npmtarball",  # reveal.js read from a tarball, npm pack
    "tarfile",
    "subprocess",
    "deckgen.quick",  # a folder build looking for current posts
    "deckgen.pull.slideread",  # a slide whose map is not remembered
    "deckgen.layout.qrcode",  # a deck with an address
    "deckgen.qr",
    "deckgen.highlight",  # a code block
    "pygments.lexers",
    "PIL.Image",  # Pillow: a picture drawn, a character's width not remembered (deckgen.widthmemo)
    "PIL.ImageFont",
    "ctypes",  # the allocator's tuning: a build's first thread (deckgen.malloc)
)

# the build in a process of its own, which writes down the modules it loaded
DRIVER = """
import json, sys
from deckgen.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""

POST = """---
title: Warm
---

## Pictures

![a photo]({photo})

Some text with <b>raw HTML</b> and a [link](https://example.org/).

---

## A list and a table

- one
- two

| a | b |
|---|---|
| 1 | 2 |

![a diagram]({diagram})
"""


def build(post: Path, out: Path, cache: Path, reveal: Path, *extra: str) -> tuple[int, set[str]]:
    written = out.parent / f"{out.name}-modules.json"
    command = [sys.executable, "-c", DRIVER, str(written), "build", str(post), "--out", str(out)]
    command += ["--cache-dir", str(cache), "--reveal-js", str(reveal), "-q", *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    found = json.loads(written.read_text("utf-8"))
    return found["code"], set(found["modules"])


def test_a_warm_build_loads_none_of_what_only_a_cold_one_needs(tmp_path: Path, reveal_source: Path) -> None:
    with ImageServer() as server:
        photo, diagram = server.image_url("photo", "jpg", w=1600, h=900), server.image_url("diagram", "png", w=800, h=450)
        post = tmp_path / "warm.md"
        post.write_text(POST.format(photo=photo, diagram=diagram), "utf-8")
        out, cache = tmp_path / "out", tmp_path / "cache"
        code, cold = build(post, out, cache, reveal_source)  # downloads, draws, reads the tarball
        assert code == 0 and {"deckgen.assets.vips", "deckgen.pull.slideread"} <= cold
        code, warm = build(post, out, cache, reveal_source, "--offline")
    assert code == 0 and (out / "warm.pptx").is_file() and (out / "warm" / "index.html").is_file()
    # it did build the decks (parse, layout, the .pptx writer and its map)...
    assert {"deckgen.parse.walker", "deckgen.layout.deck", "deckgen.writers.pptx", "deckgen.pull.deckmap"} <= warm
    # ...without loading what it did not use
    assert sorted(set(LAZY) & warm) == []
