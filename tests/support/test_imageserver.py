"""Tests of the local test image server (tests/support/imageserver.py)."""

from __future__ import annotations

import contextlib
import io
import re
import socket
import struct
import threading
import time
import uuid
import zlib
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import urllib3
from PIL import Image, UnidentifiedImageError

from support.imageserver import (
    AVIF_SUPPORTED,
    HUGE_SIZE,
    LAST_MODIFIED_TS,
    STATIC_FORMATS,
    ImageServer,
    local_image_url,
    serve_lecture_images,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def get(server: ImageServer, path: str, **kwargs: object) -> requests.Response:
    """GET *path* on *server* with a short default timeout."""
    kwargs.setdefault("timeout", 5)
    return requests.get(server.url(path), **kwargs)  # type: ignore[arg-type]


def unique() -> str:
    """A fresh token for URLs whose server-side state must be new."""
    return uuid.uuid4().hex[:12]


# --------------------------------------------------------------------------- generated images


@pytest.mark.parametrize("ext", sorted(STATIC_FORMATS - {"svg"}))
def test_static_formats_decode(image_server: ImageServer, ext: str) -> None:
    resp = get(image_server, f"img/sample.{ext}")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("image/")
    with Image.open(io.BytesIO(resp.content)) as img:
        assert img.size == (800, 450)
        img.load()


def test_size_query_and_determinism(image_server: ImageServer) -> None:
    first = get(image_server, "img/sized.jpg?w=120&h=80").content
    assert get(image_server, "img/sized.jpg?w=120&h=80").content == first
    with Image.open(io.BytesIO(first)) as img:
        assert img.size == (120, 80)
        assert img.format == "JPEG"


def test_svg(image_server: ImageServer) -> None:
    resp = get(image_server, "img/diagram.svg?w=300&h=200")
    assert resp.headers["Content-Type"] == "image/svg+xml"
    assert b"<svg" in resp.content and b'width="300"' in resp.content and b"diagram" in resp.content


def test_avif_only_if_supported(image_server: ImageServer) -> None:
    resp = get(image_server, "img/modern.avif?w=64&h=64")
    assert resp.status_code == (200 if AVIF_SUPPORTED else 404)


def test_png_alpha_and_jpeg_smaller(image_server: ImageServer) -> None:
    with Image.open(io.BytesIO(get(image_server, "img/logo.png?alpha=1").content)) as img:
        assert img.mode == "RGBA"
        assert img.getchannel("A").getextrema()[0] == 0
    png = get(image_server, "img/photo.png").content
    jpg = get(image_server, "img/photo.jpg").content
    assert len(jpg) * 2 < len(png)


@pytest.mark.parametrize("ext", ["gif", "webp"])
def test_animations(image_server: ImageServer, ext: str) -> None:
    resp = get(image_server, f"img/anim.{ext}")
    with Image.open(io.BytesIO(resp.content)) as img:
        assert img.is_animated and img.n_frames == 5


def test_noext_and_wrongtype(image_server: ImageServer) -> None:
    resp = get(image_server, "noext/figure1")
    assert resp.headers["Content-Type"] == "application/octet-stream"
    assert resp.content.startswith(PNG_MAGIC)
    resp = get(image_server, "wrongtype/figure2.png")
    assert resp.headers["Content-Type"] == "text/html"
    assert resp.content.startswith(JPEG_MAGIC)


def test_youtube_thumbnail(image_server: ImageServer) -> None:
    resp = get(image_server, "vi/dQw4w9WgXcQ/hqdefault.jpg")
    assert resp.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(resp.content)) as img:
        assert img.size == (480, 360) and img.format == "JPEG"


def test_github_blob_and_raw(image_server: ImageServer) -> None:
    page = get(image_server, "github/u/r/blob/main/x.png")
    assert page.status_code == 200 and page.content.lower().startswith(b"<!doctype html")
    hop = get(image_server, "github/u/r/blob/main/x.png?raw=true", allow_redirects=False)
    assert hop.status_code == 302 and urlsplit(hop.headers["Location"]).path == "/img/x.png"
    assert get(image_server, "github/u/r/blob/main/x.png?raw=true").content.startswith(PNG_MAGIC)
    assert get(image_server, "github/u/r/raw/main/figs/x.png").content.startswith(PNG_MAGIC)


# --------------------------------------------------------------------------- caching, logs, delay


def test_conditional_requests(image_server: ImageServer) -> None:
    resp = get(image_server, "img/cached.png?w=50&h=50")
    etag, modified = resp.headers["ETag"], resp.headers["Last-Modified"]
    again = get(image_server, "img/cached.png?w=50&h=50", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    weak = get(image_server, "img/cached.png?w=50&h=50", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    assert get(image_server, "img/cached.png?w=50&h=50", headers={"If-None-Match": '"x"'}).status_code == 200
    assert (
        get(image_server, "img/cached.png?w=50&h=50", headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    older = formatdate(LAST_MODIFIED_TS - 3600, usegmt=True)
    assert (
        get(image_server, "img/cached.png?w=50&h=50", headers={"If-Modified-Since": older}).status_code == 200
    )


def test_hits_and_request_log(image_server: ImageServer) -> None:
    image_server.reset_log()
    path = f"/img/{unique()}.png"
    get(image_server, path + "?w=10&h=10", headers={"X-Probe": "1"})
    get(image_server, path + "?w=10&h=10")
    assert image_server.hits[path] == 2
    assert image_server.hits["/never"] == 0
    method, logged, headers = image_server.requests[0]
    assert (method, logged) == ("GET", path + "?w=10&h=10")
    assert headers["x-probe"] == "1" and headers["X-Probe"] == "1" and "user-agent" in headers
    image_server.reset_log()
    assert image_server.requests == [] and image_server.hits[path] == 0


def test_head(image_server: ImageServer) -> None:
    resp = requests.head(image_server.url("img/head.png?w=20&h=20"), timeout=5)
    assert resp.status_code == 200 and int(resp.headers["Content-Length"]) > 0 and resp.content == b""


def test_delay() -> None:
    with ImageServer(delay=0.15) as server:
        waits: list[float | None] = []
        stopping = server._stopping
        real_wait = stopping.wait

        def wait(timeout: float | None = None) -> bool:
            waits.append(timeout)
            return real_wait(timeout)

        stopping.wait = wait  # type: ignore[method-assign]
        resp = get(server, "img/late.png?w=10&h=10")
        assert resp.status_code == 200 and waits == [0.15]  # each answer waits ``delay`` first


# --------------------------------------------------------------------------- faults


def test_fault_html_png(image_server: ImageServer) -> None:
    resp = get(image_server, "fault/html.png")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "image/png"
    assert resp.content.lower().startswith(b"<!doctype html")


def test_fault_truncated(image_server: ImageServer) -> None:
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)):
        get(image_server, "fault/truncated.png")
    resp = get(image_server, "fault/truncated.png", stream=True)
    announced = int(resp.headers["Content-Length"])
    received = b"".join(_read_until_error(resp))
    assert received.startswith(PNG_MAGIC) and len(received) == announced // 2


def _read_until_error(resp: requests.Response) -> list[bytes]:
    """Raw body bytes up to the point where the connection broke."""
    parts: list[bytes] = []
    with contextlib.suppress(urllib3.exceptions.HTTPError, OSError):
        while chunk := resp.raw.read(4096, decode_content=False):
            parts.append(chunk)
    resp.close()
    return parts


def test_fault_truncated_nolen(image_server: ImageServer) -> None:
    resp = get(image_server, "fault/truncated-nolen.png")
    assert resp.status_code == 200 and int(resp.headers["Content-Length"]) == len(resp.content)
    assert resp.content.startswith(PNG_MAGIC)
    with pytest.raises(OSError), Image.open(io.BytesIO(resp.content)) as img:
        img.load()


def test_fault_corrupt(image_server: ImageServer) -> None:
    resp = get(image_server, "fault/corrupt.jpg")
    assert resp.headers["Content-Type"] == "image/jpeg" and not resp.content.startswith(JPEG_MAGIC)
    with pytest.raises(UnidentifiedImageError):
        Image.open(io.BytesIO(resp.content))


def test_fault_bomb(image_server: ImageServer) -> None:
    data = get(image_server, "fault/bomb.png").content
    assert data.startswith(PNG_MAGIC) and len(data) < 2000
    length, tag = struct.unpack(">I4s", data[8:16])
    assert (length, tag) == (13, b"IHDR")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (width, height, depth, colour) == (60000, 60000, 8, 0)
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(data[12:29])
    assert data.endswith(b"IEND\xaeB`\x82")
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(data))


def test_fault_redirects(image_server: ImageServer) -> None:
    hop = get(image_server, "fault/loop", allow_redirects=False)
    assert hop.status_code == 302 and urlsplit(hop.headers["Location"]).path == "/fault/loop"
    with pytest.raises(requests.exceptions.TooManyRedirects):
        get(image_server, "fault/loop")
    resp = get(image_server, "fault/redirect-chain/3")
    assert len(resp.history) == 3 and resp.content.startswith(PNG_MAGIC)


@pytest.mark.parametrize("path", ["fault/huge.png", "fault/huge-nolen.png"])
def test_fault_huge(image_server: ImageServer, path: str) -> None:
    resp = get(image_server, path, stream=True)
    if path.endswith("nolen.png"):
        assert "Content-Length" not in resp.headers
    else:
        assert int(resp.headers["Content-Length"]) == HUGE_SIZE == 314572800
    seen = 0
    for chunk in resp.iter_content(1 << 20):
        assert chunk.count(0) == len(chunk)
        seen += len(chunk)
        if seen >= 4 << 20:
            break
    resp.close()
    assert get(image_server, "img/after-huge.png?w=10&h=10").status_code == 200


def test_fault_hang(image_server: ImageServer) -> None:
    with pytest.raises(requests.exceptions.Timeout):
        get(image_server, "fault/hang.png", timeout=1)


def test_stop_does_not_wait_for_hanging_handler() -> None:
    server = ImageServer()
    ready = threading.Event()

    def client() -> None:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b"GET /fault/hang.png HTTP/1.1\r\nHost: x\r\n\r\n")
            ready.set()
            try:
                sock.recv(10)
            except OSError:
                pass

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    ready.wait(2)
    deadline = time.monotonic() + 2
    while server.hits["/fault/hang.png"] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.stop()
    thread.join(30)  # a hang guard: the handler would otherwise sleep HANG_SECONDS
    assert not thread.is_alive()  # stop() woke the handler and dropped the connection
    assert not server.running


def test_fault_status_codes(image_server: ImageServer) -> None:
    assert get(image_server, "fault/404.png").status_code == 404
    assert get(image_server, "fault/500.png").status_code == 500
    assert get(image_server, "fault/500.png").status_code == 500


def test_fault_flaky(image_server: ImageServer) -> None:
    token = unique()
    assert get(image_server, f"fault/flaky.png?k={token}").status_code == 500
    second = get(image_server, f"fault/flaky.png?k={token}")
    assert second.status_code == 200 and second.content.startswith(PNG_MAGIC)
    assert get(image_server, f"fault/flaky.png?k={token}&other=1").status_code == 500


def test_fault_slow(image_server: ImageServer) -> None:
    resp = get(image_server, "fault/slow.png?interval=0.02")
    assert resp.content.startswith(PNG_MAGIC)
    Image.open(io.BytesIO(resp.content)).load()
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        get(image_server, "fault/slow.png", timeout=(1, 0.3))


# --------------------------------------------------------------------------- Markdown rewriting

SAMPLE = """\
# Title

![](https://miro.medium.com/v2/resize:fit:4800/format:webp/0*U-7GJqBZ2tY1W5Iu)
![chart](https://example.com/a/chart.JPEG "A title") and again ![](https://example.com/a/chart.JPEG)
![](https://qianwen-res.oss-accelerate-overseas.aliyuncs.com/assets/blog/qwen1.5/sft.jpg#center)
![](https://cdn.openai.com/chatgpt/draft-20221129c/ChatGPT_Diagram.svg)
![](https://en.wikipedia.org/wiki/File:Foo_(bar).gif)
<img src="https://s4.itho.me/files/orca-600.png" width="50%" height="50%">
![](https://github.com/rkuo2000/AI-course/blob/main/images/Gemini.png?raw=true)
[![](https://img.youtube.com/vi/abc123/hqdefault.jpg)](https://www.youtube.com/watch?v=abc123)
See [the paper](https://arxiv.org/abs/2401.13601) and <https://example.com/page.png>.
![ref image][fig]

[fig]: https://example.com/figs/ref.webp
[paper]: https://example.com/paper.png

```
![](https://example.com/in-code.png)
```
"""


def test_serve_lecture_images(image_server: ImageServer) -> None:
    out = serve_lecture_images(image_server, SAMPLE)
    local = image_server.url("")
    for kept in (
        "https://img.youtube.com/vi/abc123/hqdefault.jpg",
        "https://www.youtube.com/watch?v=abc123",
        "https://arxiv.org/abs/2401.13601",
        "<https://example.com/page.png>",
        "[paper]: https://example.com/paper.png",
        "![](https://example.com/in-code.png)",
    ):
        assert kept in out
    for gone in (
        "miro.medium.com",
        "chart.JPEG",
        "aliyuncs",
        "cdn.openai.com",
        "wikipedia",
        "s4.itho.me",
        "github.com",
        "figs/ref.webp",
    ):
        assert gone not in out
    chart = local_image_url(image_server, "https://example.com/a/chart.JPEG")
    assert chart is not None and out.count(chart) == 2 and chart.split("?")[0].endswith(".jpeg")
    assert re.search(r"\?w=\d+&h=\d+$", chart)  # a lecture-like shape, the same every run
    assert '"A title")' in out
    assert local_image_url(image_server, "https://example.com/a/other/chart.JPEG") != chart
    assert local_image_url(image_server, "https://img.youtube.com/vi/x/hqdefault.jpg") is None
    expected = {
        "https://miro.medium.com/v2/resize:fit:4800/format:webp/0*U-7GJqBZ2tY1W5Iu": "image/png",
        "https://cdn.openai.com/chatgpt/draft-20221129c/ChatGPT_Diagram.svg": "image/svg+xml",
        "https://qianwen-res.oss-accelerate-overseas.aliyuncs.com/assets/blog/qwen1.5/sft.jpg#center": "image/jpeg",
        "https://en.wikipedia.org/wiki/File:Foo_(bar).gif": "image/gif",
        "https://s4.itho.me/files/orca-600.png": "image/png",
        "https://github.com/rkuo2000/AI-course/blob/main/images/Gemini.png?raw=true": "image/png",
        "https://example.com/figs/ref.webp": "image/webp",
    }
    for url, ctype in expected.items():
        mapped = local_image_url(image_server, url)
        assert mapped is not None and mapped.startswith(local) and mapped in out
        resp = requests.get(mapped, timeout=5)
        assert resp.status_code == 200 and resp.headers["Content-Type"] == ctype


def test_serve_lecture_images_on_real_post(image_server: ImageServer) -> None:
    posts = sorted((Path(__file__).resolve().parents[2] / "lecture").glob("*.md"))
    if not posts:
        pytest.skip("no lecture posts")
    text = posts[0].read_text(encoding="utf-8")
    out = serve_lecture_images(image_server, text)
    assert out.count(image_server.url("")) >= text.count("![](http")
    leftovers = [
        u
        for u in re.findall(r"!\[[^\]]*\]\((https?://[^)\s]+)", out)
        if not u.startswith(image_server.url("")) and "img.youtube.com" not in u
    ]
    assert leftovers == []
