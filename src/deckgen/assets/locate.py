"""Where a picture's address points: a GitHub page link's raw file (``normalize_url``), the file
a local address names (``local_path``: beside the post, or a Jekyll site path such as
``/assets/x.png`` under the site root) and the folders a post may read pictures from."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

_GITHUB_BLOB = re.compile(r"^https?://(www\.)?github\.com/[^/]+/[^/]+/blob/", re.I)


def normalize_url(url: str) -> tuple[str, str]:
    """The URL to download for ``url``, and a note when it differs for a reason worth saying.

    A GitHub ``blob/`` link answers with a web page about the file; ``?raw=true`` gets the file."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if _GITHUB_BLOB.match(url) and not is_raw(url):
        return raw_of(url), "GitHub page link, fetching the raw file instead"
    return url, ""


def is_raw(url: str) -> bool:
    return re.search(r"[?&]raw=(true|1)\b", url, re.I) is not None


def raw_of(url: str) -> str:
    base, hash_, fragment = url.partition("#")
    return base + ("&" if "?" in base else "?") + "raw=true" + hash_ + fragment


def looks_like_blob_page(url: str) -> bool:
    """A repository-browser link to a file (GitHub, GitHub Enterprise): ``.../blob/<ref>/...``."""
    return "/blob/" in urlparse(url).path and not is_raw(url)


def inside_any(path: Path, folders: tuple[Path, ...]) -> bool:
    """Is ``path``, with ``..`` and symlinks resolved, inside one of ``folders`` (also resolved)?"""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    for folder in folders:
        try:
            if real.is_relative_to(folder.resolve()):
                return True
        except (OSError, RuntimeError):
            continue
    return False


def guess_site_root(post_dir: Path) -> Path:
    """A Jekyll post lives in ``_posts/``; the site root is the folder above it."""
    return post_dir.parent if post_dir.name == "_posts" else post_dir


def local_path(url: str, post: Path | None, site_root: Path | None) -> Path:
    """The file a local picture address of ``post`` names (it may not exist)."""
    if url.startswith("file:"):
        return Path(unquote(urlparse(url).path))
    raw = unquote(url.split("?")[0].split("#")[0])
    base = post.parent if post else Path.cwd()
    root = site_root or guess_site_root(base)
    if raw.startswith("/"):
        site_path = root / raw.lstrip("/")  # /assets/x.png, {{ site.baseurl }}/assets/x.png
        if not site_path.exists() and Path(raw).is_file():
            return Path(raw)  # an absolute path on this computer
        return site_path
    candidate = base / raw
    if not candidate.exists() and (root / raw).exists():
        return root / raw  # written relative to the site rather than to the post's file
    return candidate


def can_exist(path: Path) -> bool:
    """Could a file have this name? Not with a NUL in it (``%00`` decoded): no system call takes one."""
    return "\x00" not in str(path)


def allowed_folders(post: Path | None, site_root: Path | None, allow_files: tuple[Path, ...]) -> tuple[Path, ...]:
    """Where a post may read local files: its own folder, the site root, ``--allow-files``."""
    base = post.parent if post else Path.cwd()
    root = site_root or guess_site_root(base)
    return (base, root, *allow_files)
