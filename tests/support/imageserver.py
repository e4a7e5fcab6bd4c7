"""A local HTTP image server for the deckgen test suite.

Everything is served from 127.0.0.1 on an ephemeral port; nothing here touches the internet.
Pictures are generated in memory with Pillow (deterministic, cached), and a set of fixed
``/fault/...`` paths reproduce the misbehaviour of real image hosts (lying types, truncated
transfers, decompression bombs, redirect loops, hangs, huge bodies, trickles, flaky 500s).

Typical use::

    with ImageServer() as server:
        url = server.url("img/cat.jpg?w=320&h=200")
        ...
        assert server.hits["/img/cat.jpg"] == 1
"""

from __future__ import annotations

import hashlib
import html
import io
import random
import re
import socket
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import NamedTuple, Self
from urllib.parse import parse_qs, quote, unquote, urlsplit

from PIL import Image, ImageDraw, ImageFont, features

__all__ = [
    "AVIF_SUPPORTED",
    "DEFAULT_SIZE",
    "HUGE_SIZE",
    "LAST_MODIFIED",
    "STATIC_FORMATS",
    "HeaderDict",
    "ImageServer",
    "RequestRecord",
    "build_bomb_png",
    "encode_image",
    "local_image_url",
    "serve_lecture_images",
]

DEFAULT_SIZE: tuple[int, int] = (800, 450)
MAX_SIDE = 8000
HUGE_SIZE = 300 * 1024 * 1024  # 314572800 bytes
HANG_SECONDS = 120.0
LAST_MODIFIED_TS = 1_700_000_000  # fixed, so If-Modified-Since tests are deterministic
LAST_MODIFIED = formatdate(LAST_MODIFIED_TS, usegmt=True)
AVIF_SUPPORTED: bool = bool(features.check("avif"))

CONTENT_TYPES: dict[str, str] = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "tiff": "image/tiff",
    "bmp": "image/bmp",
    "avif": "image/avif",
    "ppm": "image/x-portable-pixmap",
}
#: Extensions served under ``/img/<name>.<ext>`` (avif only when Pillow can encode it).
STATIC_FORMATS: frozenset[str] = frozenset(e for e in CONTENT_TYPES if e != "avif" or AVIF_SUPPORTED)

_PIL_FORMATS = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WEBP",
    "tiff": "TIFF",
    "bmp": "BMP",
    "avif": "AVIF",
    "ppm": "PPM",
}
_YOUTUBE_SIZES = {
    "default": (120, 90),
    "mqdefault": (320, 180),
    "hqdefault": (480, 360),
    "sddefault": (640, 480),
    "maxresdefault": (1280, 720),
}
_DISCONNECT_ERRORS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout)


# --------------------------------------------------------------------------- image generation


def _seed(text: str) -> int:
    """Stable integer seed for *text* (unlike ``hash()``, identical across runs)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at *size* (bitmap fallback without FreeType)."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):
        return ImageFont.load_default()


def _channel(gradient: Image.Image, size: tuple[int, int], scale: float, offset: int) -> Image.Image:
    """One colour channel: a resized gradient with a name-dependent tone curve."""
    lut = [max(0, min(255, int(v * scale + offset))) for v in range(256)]
    return gradient.resize(size).point(lut)


def render_picture(
    name: str, width: int, height: int, *, alpha: bool = False, noise: bool = True, frame: int | None = None
) -> Image.Image:
    """Deterministic picture: gradient background, shapes, fine noise and *name* as text."""
    rng = random.Random(_seed(f"{name}/{width}x{height}"))
    size = (width, height)
    linear = Image.linear_gradient("L")
    red = _channel(
        linear.rotate(rng.choice((0, 90, 180, 270))), size, rng.uniform(0.5, 1.0), rng.randint(0, 90)
    )
    green = _channel(
        linear.rotate(rng.choice((0, 90, 180, 270))), size, rng.uniform(0.4, 0.9), rng.randint(0, 90)
    )
    blue = _channel(Image.radial_gradient("L"), size, rng.uniform(-0.8, -0.3), 255)
    img = Image.merge("RGB", (red, green, blue))
    if noise:  # photo-like grain: PNG gets big, JPEG stays small
        grain = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
        img = Image.blend(img, grain, 0.07)
    draw = ImageDraw.Draw(img)
    unit = max(4, min(width, height) // 6)
    for _ in range(5):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        box = (x - unit, y - unit // 2, x + unit, y + unit // 2)
        shape = rng.randrange(3)
        if shape == 0:
            draw.ellipse(box, fill=colour, outline=(0, 0, 0), width=max(1, unit // 20))
        elif shape == 1:
            draw.rectangle(box, fill=colour)
        else:
            draw.polygon([(x, y - unit), (x + unit, y + unit), (x - unit, y + unit)], fill=colour)
    for _ in range(3):
        draw.line(
            [(rng.randrange(width), rng.randrange(height)) for _ in range(4)],
            fill=(255, 255, 255),
            width=max(1, unit // 15),
        )
    if frame is not None:  # a marker that moves from frame to frame
        cx = int((frame + 0.5) * width / 5)
        draw.ellipse(
            (cx - unit // 2, height // 2 - unit // 2, cx + unit // 2, height // 2 + unit // 2),
            fill=(255, 40, 40),
        )
    label = name if frame is None else f"{name} {frame + 1}"
    draw.text(
        (max(2, width // 20), max(2, height // 20)),
        label,
        fill=(255, 255, 255),
        font=_font(max(8, height // 8)),
        stroke_width=max(1, height // 200),
        stroke_fill=(0, 0, 0),
    )
    if alpha:
        mask = Image.radial_gradient("L").resize(size).point(lambda v: 0 if v > 200 else 255 - v)
        img.putalpha(mask)  # opaque centre, fully transparent corners
    return img


def _svg(name: str, width: int, height: int) -> bytes:
    """A small hand-written SVG with a gradient, shapes and the name."""
    rng = random.Random(_seed(f"svg/{name}"))

    def colour() -> str:
        return f"#{rng.randrange(0x1000000):06x}"

    shapes = []
    for _ in range(4):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randint(10, max(11, height // 4))
        shapes.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour()}" stroke="#000"/>')
    shapes.append(
        f'<rect x="{width // 3}" y="{height // 3}" width="{width // 4}" height="{height // 5}" '
        f'fill="{colour()}" opacity="0.8"/>'
    )
    text = html.escape(name)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">\n'
        f'<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{colour()}"/>'
        f'<stop offset="1" stop-color="{colour()}"/></linearGradient></defs>\n'
        '<rect width="100%" height="100%" fill="url(#bg)"/>\n'
        + "\n".join(shapes)
        + f'\n<text x="{width // 20}" y="{height // 6}" font-family="sans-serif" '
        f'font-size="{max(8, height // 8)}" fill="#fff" stroke="#000">{text}</text>\n</svg>\n'
    ).encode("utf-8")


@lru_cache(maxsize=256)
def encode_image(
    name: str, ext: str, width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1], alpha: bool = False
) -> bytes:
    """Bytes of the generated picture *name* in format *ext* (cached)."""
    ext = ext.lower()
    if ext == "svg":
        return _svg(name, width, height)
    if ext not in _PIL_FORMATS or (ext == "avif" and not AVIF_SUPPORTED):
        raise ValueError(f"unsupported format: {ext}")
    img = render_picture(name, width, height, alpha=alpha and ext in {"png", "webp", "tiff", "avif"})
    out = io.BytesIO()
    fmt = _PIL_FORMATS[ext]
    if fmt == "JPEG":
        img.convert("RGB").save(out, fmt, quality=85)
    elif fmt == "GIF":
        img.convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(out, fmt)
    elif fmt == "WEBP":
        img.save(out, fmt, quality=80)
    elif fmt == "AVIF":
        img.save(out, fmt, quality=60, speed=8)
    elif fmt == "TIFF":
        img.save(out, fmt, compression="tiff_deflate")
    elif fmt == "PNG":
        img.save(out, fmt, compress_level=3)
    else:
        img.save(out, fmt)
    return out.getvalue()


@lru_cache(maxsize=16)
def encode_animation(ext: str, width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1]) -> bytes:
    """A 5-frame animated GIF or WebP (a marker moves across the picture)."""
    frames = [render_picture("anim", width, height, noise=False, frame=i) for i in range(5)]
    out = io.BytesIO()
    if ext == "gif":
        pal = [f.quantize(colors=64, method=Image.Quantize.FASTOCTREE) for f in frames]
        pal[0].save(out, "GIF", save_all=True, append_images=pal[1:], duration=120, loop=0)
    elif ext == "webp":
        frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=120, loop=0, quality=70)
    else:
        raise ValueError(f"no animated {ext}")
    return out.getvalue()


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, tag, data, CRC over tag+data."""
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


@lru_cache(maxsize=4)
def build_bomb_png(width: int = 60000, height: int = 60000) -> bytes:
    """A tiny but well-formed PNG whose IHDR claims *width* x *height* 8-bit grayscale pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * ((width + 1) * 4), 9)  # just four rows of zeros
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _corrupt_bytes(size: int = 4096) -> bytes:
    """Deterministic garbage (not a JPEG)."""
    data = random.Random(1234).randbytes(size)
    return b"\x00garbage" + data[8:]


_HTML_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>\n'
    "<body><h1>{title}</h1><p>This is a web page, not an image.</p>{extra}</body></html>\n"
)


def _html(title: str, extra: str = "") -> bytes:
    """A small HTML document."""
    return _HTML_PAGE.format(title=html.escape(title), extra=extra).encode("utf-8")


# --------------------------------------------------------------------------- server


class HeaderDict(dict[str, str]):
    """A plain ``dict`` of request headers with lower-case keys and case-insensitive lookups."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__()
        for key, value in items:
            key = key.lower()
            super().__setitem__(key, f"{self[key]}, {value}" if key in self else value)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(key.lower(), default)


class RequestRecord(NamedTuple):
    """One logged request: ``(method, path_with_query, headers)``."""

    method: str
    path: str
    headers: HeaderDict


class _HTTPServer(ThreadingHTTPServer):
    """Threaded server that never waits for handler threads on close."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: ImageServer


class ImageServer:
    """Local image host on ``127.0.0.1:<ephemeral>``; see the module docstring for paths.

    Attributes: ``delay`` (seconds slept before every answer), ``port``, ``base_url``.
    Properties ``requests`` and ``hits`` return thread-safe snapshots.
    """

    def __init__(self, delay: float = 0.0, *, start: bool = True) -> None:
        self.delay: float = delay
        self._lock = threading.Lock()
        self._log: list[RequestRecord] = []
        self._hits: Counter[str] = Counter()
        self._flaky: Counter[str] = Counter()
        self._sockets: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port: int = 0
        if start:
            self.start()

    # -- lifecycle
    def start(self) -> Self:
        """Bind and serve in a daemon thread (idempotent)."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"imageserver-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping handlers and drop open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True between ``start()`` and ``stop()``."""
        return self._httpd is not None

    # -- URLs
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "") -> str:
        """Absolute URL for *path* (leading slash optional, may carry a query)."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def image_url(
        self, name: str, ext: str = "png", *, w: int | None = None, h: int | None = None, alpha: bool = False
    ) -> str:
        """URL of a generated picture, e.g. ``image_url("cat", "jpg", w=320, h=200)``."""
        query = [f"w={w}"] if w else []
        query += [f"h={h}"] if h else []
        query += ["alpha=1"] if alpha else []
        suffix = "?" + "&".join(query) if query else ""
        return self.url(f"img/{quote(name)}.{ext}{suffix}")

    # -- logs
    @property
    def requests(self) -> list[RequestRecord]:
        """Snapshot of received requests as ``(method, path_with_query, headers)`` tuples."""
        with self._lock:
            return list(self._log)

    @property
    def hits(self) -> Counter[str]:
        """Snapshot ``Counter`` of requests per path (query string excluded); missing paths give 0."""
        with self._lock:
            return Counter(self._hits)

    def reset_log(self) -> None:
        """Forget logged requests and hit counts (flaky-path state is kept)."""
        with self._lock:
            self._log.clear()
            self._hits.clear()

    def reset_flaky(self) -> None:
        """Make every ``/fault/flaky.png`` URL fail once more."""
        with self._lock:
            self._flaky.clear()

    # -- internals used by the handler
    def _record(self, method: str, path: str, headers: HeaderDict) -> None:
        with self._lock:
            self._log.append(RequestRecord(method, path, headers))
            self._hits[urlsplit(path).path] += 1

    def _flaky_count(self, key: str) -> int:
        with self._lock:
            self._flaky[key] += 1
            return self._flaky[key]

    def _track(self, sock: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._sockets.add(sock)
            else:
                self._sockets.discard(sock)


def _int_arg(query: dict[str, list[str]], key: str, default: int) -> int:
    """Integer query argument, clamped to 1..MAX_SIDE."""
    try:
        value = int(query.get(key, [str(default)])[0])
    except ValueError:
        return default
    return max(1, min(MAX_SIDE, value))


def _true_arg(query: dict[str, list[str]], key: str) -> bool:
    """True when ``?key=1|true|yes``."""
    return query.get(key, [""])[0].lower() in {"1", "true", "yes"}


_IMG_RE = re.compile(r"^/img/([^/]+)\.([A-Za-z0-9]+)$")
_GITHUB_RE = re.compile(r"^/github/([^/]+)/([^/]+)/(blob|raw)/([^/]+)/(.+)$")
_YOUTUBE_RE = re.compile(r"^/vi/([^/]+)/([a-z]+)\.jpg$")
_CHAIN_RE = re.compile(r"^/fault/redirect-chain/(\d+)$")


class _Handler(BaseHTTPRequestHandler):
    """Routes requests of an ``ImageServer``."""

    protocol_version = "HTTP/1.1"
    server_version = "deckgen-imageserver/1.0"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        self.server.owner._track(self.connection, False)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    # -- plumbing
    @property
    def owner(self) -> ImageServer:
        return self.server.owner

    def _handle(self, head: bool) -> None:
        self.head_only = head
        owner = self.owner
        owner._record(self.command, self.path, HeaderDict(self.headers.items()))
        if owner.delay > 0 and owner._stopping.wait(owner.delay):
            self.close_connection = True
            return
        parts = urlsplit(self.path)
        try:
            self._route(unquote(parts.path), parse_qs(parts.query))
        except _DISCONNECT_ERRORS:
            self.close_connection = True

    def _send_body(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def _send_text(self, status: int, text: str) -> None:
        self._send_body(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    def _redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", self.owner.url(location))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_modified(self, etag: str) -> bool:
        """Conditional GET check (If-None-Match wins over If-Modified-Since)."""
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return parsedate_to_datetime(ims).timestamp() >= LAST_MODIFIED_TS
            except (TypeError, ValueError, IndexError):
                return False
        return False

    def _send_image(self, body: bytes, ctype: str) -> None:
        """200 with caching headers, or 304 when the client's copy is current."""
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        caching = {"ETag": etag, "Last-Modified": LAST_MODIFIED, "Cache-Control": "max-age=3600"}
        if self._not_modified(etag):
            self.send_response(304)
            for key, value in caching.items():
                self.send_header(key, value)
            self.end_headers()
            return
        self._send_body(200, body, ctype, caching)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops; True if it stopped."""
        return self.owner._stopping.wait(seconds)

    # -- routes
    def _route(self, path: str, query: dict[str, list[str]]) -> None:
        width = _int_arg(query, "w", DEFAULT_SIZE[0])
        height = _int_arg(query, "h", DEFAULT_SIZE[1])
        if path in ("/img/anim.gif", "/img/anim.webp"):
            ext = path.rsplit(".", 1)[1]
            self._send_image(encode_animation(ext, width, height), CONTENT_TYPES[ext])
        elif m := _IMG_RE.match(path):
            name, ext = m.group(1), m.group(2).lower()
            if ext not in STATIC_FORMATS:
                self._send_text(404, f"format {ext} not served")
                return
            body = encode_image(name, ext, width, height, _true_arg(query, "alpha"))
            self._send_image(body, CONTENT_TYPES[ext])
        elif path.startswith("/noext/") and "/" not in path[7:] and path[7:]:
            self._send_image(encode_image(path[7:], "png", width, height), "application/octet-stream")
        elif path.startswith("/wrongtype/") and path.endswith(".png") and "/" not in path[11:]:
            self._send_image(encode_image(path[11:-4], "jpg", width, height), "text/html")
        elif m := _YOUTUBE_RE.match(path):
            if m.group(2) not in _YOUTUBE_SIZES:
                self._send_text(404, "unknown thumbnail")
                return
            self._send_image(encode_image(m.group(1), "jpg", *_YOUTUBE_SIZES[m.group(2)]), "image/jpeg")
        elif m := _GITHUB_RE.match(path):
            basename = m.group(5).rsplit("/", 1)[-1]
            if m.group(3) == "raw" or _true_arg(query, "raw"):
                self._redirect(f"/img/{quote(basename)}")
            else:
                self._send_body(
                    200,
                    _html(f"{m.group(1)}/{m.group(2)}: {basename}", '<img src="/logo.png" alt="">'),
                    "text/html; charset=utf-8",
                )
        elif path.startswith("/fault/"):
            self._fault(path, query)
        elif path == "/":
            self._send_body(200, _html("deckgen test image server"), "text/html; charset=utf-8")
        else:
            self._send_text(404, "not found")

    def _fault(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "/fault/html.png":
            self._send_body(200, _html("Image hosting - sign in to view"), "image/png")
        elif path == "/fault/truncated.png":
            body = encode_image("truncated", "png")
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not self.head_only:
                self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif path == "/fault/truncated-nolen.png":
            body = encode_image("truncated", "png")
            self._send_body(200, body[: len(body) // 2], "image/png")
        elif path == "/fault/corrupt.jpg":
            self._send_body(200, _corrupt_bytes(), "image/jpeg")
        elif path == "/fault/bomb.png":
            self._send_body(200, build_bomb_png(), "image/png")
        elif path == "/fault/loop":
            self._redirect("/fault/loop")
        elif m := _CHAIN_RE.match(path):
            hops = int(m.group(1))
            if hops > 0:
                self._redirect(f"/fault/redirect-chain/{hops - 1}")
            else:
                self._send_image(encode_image("chain", "png", 320, 180), "image/png")
        elif path in ("/fault/huge.png", "/fault/huge-nolen.png"):
            self._huge(with_length=path == "/fault/huge.png")
        elif path == "/fault/hang.png":
            self._sleep(HANG_SECONDS)
            self.close_connection = True
        elif path == "/fault/404.png":
            self._send_text(404, "not found")
        elif path == "/fault/500.png":
            self._send_text(500, "internal server error")
        elif path == "/fault/flaky.png":
            if self.owner._flaky_count(self.path) == 1:
                self._send_text(500, "try again")
            else:
                self._send_image(encode_image("flaky", "png", 320, 180), "image/png")
        elif path == "/fault/slow.png":
            self._slow(query)
        else:
            self._send_text(404, "unknown fault")

    def _huge(self, with_length: bool) -> None:
        """300 MB of zeros, with Content-Length or chunked; stops when the client goes away."""
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        if with_length:
            self.send_header("Content-Length", str(HUGE_SIZE))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.head_only:
            return
        block = bytes(64 * 1024)
        framed = b"%x\r\n" % len(block) + block + b"\r\n"
        remaining = HUGE_SIZE
        while remaining > 0 and not self.owner._stopping.is_set():
            size = min(len(block), remaining)
            if with_length:
                self.wfile.write(block[:size])
            else:
                self.wfile.write(framed if size == len(block) else b"%x\r\n" % size + block[:size] + b"\r\n")
            remaining -= size
        if remaining > 0:
            self.close_connection = True
        elif not with_length:
            self.wfile.write(b"0\r\n\r\n")

    def _slow(self, query: dict[str, list[str]]) -> None:
        """A small PNG in ``?chunks=N`` pieces (default 10), ``?interval=S`` seconds apart (default 1)."""
        body = encode_image("slow", "png", 96, 54)
        pieces = _int_arg(query, "chunks", 10)
        try:
            interval = max(0.0, float(query.get("interval", ["1"])[0]))
        except ValueError:
            interval = 1.0
        step = -(-len(body) // pieces)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.head_only:
            return
        for start in range(0, len(body), step):
            if start and self._sleep(interval):
                self.close_connection = True
                return
            self.wfile.write(body[start : start + step])


# --------------------------------------------------------------------------- Markdown rewriting

_REWRITE_EXTS = {"png", "jpg", "jpeg", "gif", "webp", "svg"}
_URL = r"https?://(?:[^\s()<>\"']|\([^\s()<>]*\))+"
_MD_IMAGE_RE = re.compile(r"(!\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(\s*<?)(" + _URL + ")")
_HTML_IMG_RE = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"']?)(https?://[^\s\"'>]+)", re.IGNORECASE)
_MD_IMAGE_REF_RE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\]\[((?:[^\[\]\\]|\\.)*)\]")
_MD_IMAGE_SHORTCUT_RE = re.compile(r"!\[((?:[^\[\]\\]|\\.)+)\](?![\[(:])")
_REF_DEF_RE = re.compile(r"^( {0,3}\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*<?)(https?://[^\s>]+)", re.MULTILINE)
_FENCE_RE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)


def _name_and_ext(url: str) -> tuple[str, str]:
    """Unique, readable local name for *url* and the format to serve it as."""
    last = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    stem, dot, ext = last.rpartition(".")
    ext = ext.lower() if dot and ext.lower() in _REWRITE_EXTS else "png"
    if not dot or not stem:
        stem = last
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:40] or "image"
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}", ext


def local_image_url(server: ImageServer, url: str, *, github: bool = True) -> str | None:
    """Local equivalent of remote image *url*, or None for URLs that must not be rewritten.

    GitHub ``/blob/`` and ``/raw/`` URLs go through the server's ``/github/...`` route (so
    ``?raw=true`` and ``/raw/`` redirect, a bare ``/blob/`` gives an HTML page, as on github.com)
    when *github* is true; everything else maps to ``/img/<unique-name>.<ext>``.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host == "img.youtube.com":
        return None
    name, ext = _name_and_ext(url)
    segments = parts.path.split("/")
    if (
        github
        and host in ("github.com", "www.github.com")
        and len(segments) > 5
        and segments[3] in ("blob", "raw")
    ):
        user, repo, kind, branch = segments[1:5]
        raw = "?raw=true" if kind == "blob" and _true_arg(parse_qs(parts.query), "raw") else ""
        return server.url(f"github/{user}/{repo}/{kind}/{branch}/{name}.{ext}{raw}")
    w, h = _shape_for(name)
    return server.url(f"img/{name}.{ext}?w={w}&h={h}")


# the shapes real lecture pictures come in: wide diagrams, photos, tall figures, small icons
LECTURE_SHAPES: tuple[tuple[int, int], ...] = (
    (800, 450), (1200, 675), (1024, 768), (600, 900), (1600, 500), (320, 240), (900, 900), (1400, 700),
)


def _shape_for(name: str) -> tuple[int, int]:
    """A picture size picked from the name, the same every run."""
    return LECTURE_SHAPES[int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % len(LECTURE_SHAPES)]


def _rewrite_outside_fences(text: str, rewrite: Callable[[str], str]) -> str:
    """Apply *rewrite* to the parts of *text* that are not fenced code blocks."""
    out, pos = [], 0
    for fence in _FENCE_RE.finditer(text):
        out.append(rewrite(text[pos : fence.start()]))
        out.append(fence.group(0))
        pos = fence.end()
    out.append(rewrite(text[pos:]))
    return "".join(out)


def serve_lecture_images(server: ImageServer, markdown_text: str, *, github: bool = True) -> str:
    """Point every remote image in *markdown_text* at *server*; other links stay as they are.

    Handles ``![alt](URL "title")``, ``<img src="URL">`` and reference images
    (``![alt][ref]`` + ``[ref]: URL``).  The same URL always gets the same local name.
    Fenced code blocks and img.youtube.com URLs are left alone.
    """

    def swap(url: str) -> str:
        return local_image_url(server, url, github=github) or url

    image_labels: set[str] = set()
    for m in _MD_IMAGE_REF_RE.finditer(markdown_text):
        image_labels.add((m.group(2) or m.group(1)).strip().casefold())
    for m in _MD_IMAGE_SHORTCUT_RE.finditer(markdown_text):
        image_labels.add(m.group(1).strip().casefold())

    def rewrite(chunk: str) -> str:
        chunk = _MD_IMAGE_RE.sub(lambda m: m.group(1) + swap(m.group(2)), chunk)
        chunk = _HTML_IMG_RE.sub(lambda m: m.group(1) + m.group(2) + swap(m.group(3)), chunk)
        return _REF_DEF_RE.sub(
            lambda m: (
                m.group(1)
                + (swap(m.group(3)) if m.group(2).strip().casefold() in image_labels else m.group(3))
            ),
            chunk,
        )

    return _rewrite_outside_fences(markdown_text, rewrite)
