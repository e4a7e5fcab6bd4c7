"""Build real posts against the local image server (shared by the end-to-end tests,
the render checks and the benchmark): images are rewritten to 127.0.0.1, and the
fetcher maps YouTube thumbnails to the same server. Nothing reaches another host."""

from __future__ import annotations

import re
from pathlib import Path

from deckgen.assets.fetch import FetchPolicy, FetchResult, HttpFetcher
from support.imageserver import ImageServer, serve_lecture_images

_YT_THUMB = re.compile(r"^https?://img\.youtube\.com/(vi/[^?#]+)")


class LocalFetcher(HttpFetcher):
    """An HttpFetcher that refuses every host but the local server (thumbnails are mapped to it)."""

    def __init__(self, server: ImageServer, policy: FetchPolicy | None = None) -> None:
        super().__init__(policy or FetchPolicy(total_timeout=10.0, read_timeout=5.0, connect_timeout=2.0))
        self.server = server

    def __call__(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        from deckgen.assets.fetch import FetchError

        m = _YT_THUMB.match(url)
        if m:
            url = self.server.url(m.group(1))
        if not url.startswith(self.server.base_url):
            raise FetchError("test: only the local server may be reached")
        return super().__call__(url, etag, last_modified)


def localize_post(server: ImageServer, post: Path, dest_dir: Path) -> Path:
    """Copy ``post`` into ``dest_dir`` with its image URLs pointing at ``server``."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    text = post.read_text("utf-8")
    target = dest_dir / post.name
    target.write_text(serve_lecture_images(server, text), "utf-8")
    return target
