"""Getting hold of reveal.js for the HTML deck, without ever committing it to the repository.

deckgen pins one reveal.js release and knows the SHA-256 of each file the deck uses, so
every copy - a folder or npm tarball the user names, the cache, a CDN download, an
``npm pack`` - is checked byte for byte before it is trusted. Sources, in order:

1. ``--reveal-js PATH`` (the ``explicit`` argument): an unpacked npm package folder (holding
   ``dist/``), a folder holding ``package/dist/``, or the npm ``.tgz``;
2. the ``DECKGEN_REVEAL_JS`` environment variable, same forms;
3. the cache folder ``<cache>/reveal.js-<version>/``;
4. a download of the needed files from the jsDelivr CDN (when the network is allowed);
5. ``npm pack`` of the pinned version, checked against the published tarball integrity;
6. nothing: the deck links the CDN and needs the internet to display (a warning).

Whatever comes from 1, 2, 4 or 5 is copied into the cache, so later builds work offline.
A source the user named (1, 2) that is unusable is an :class:`InputError`; a failed
download or ``npm pack`` only adds a note and the next source is tried. How an npm tarball is
read, checked and packed is ``npmtarball``'s; a verified copy goes into the cache whole
(``fileio.write_folder``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import error_text
from deckgen.errors import InputError
from deckgen.fileio import atomic_write, write_folder

if TYPE_CHECKING:  # a build that finds its verified copy loads no tarball reader, fetcher nor npm
    from deckgen.assets.fetch import Fetcher

REVEAL_VERSION = "6.0.2"

# Subresource-integrity string of the npm tarball of REVEAL_VERSION (``dist.integrity``).
TARBALL_INTEGRITY = (
    "sha512-JYIg5D9aoxoaLeb84O+OvAwsKWdIavVgEDScxtYEXFCT6t6TQrhNtSgogcjdCpdLsWglhJn3zyE3fUOwiH5KEg=="
)

# The files the HTML deck uses, relative to the package root.
NEEDED_FILES: tuple[str, ...] = (
    "dist/reveal.js",  # UMD build, global ``Reveal``
    "dist/reveal.css",
    "dist/reset.css",
    "dist/plugin/notes.js",  # speaker view, global ``RevealNotes``
    "LICENSE",
)

# SHA-256 of each needed file of reveal.js 6.0.2 (taken from the npm package).
FILE_SHA256: dict[str, str] = {
    "dist/reveal.js": "aa1bbbf2617b23a623b23612cb3c5bdb63de512e652bf20fcfa832b045d37844",
    "dist/reveal.css": "615ee850cbbb98a0f688b60ed37b21819a3f54c9f3e6f20e33e63693ab74a0c0",
    "dist/reset.css": "39413c3490fdcf826427c26ff4c1ee59ea961a0aa8507c18454e0c6dc96c12d8",
    "dist/plugin/notes.js": "447c42f365876e41853de81453d0c53c580c5b2099132e8f61200de4a0ba2af3",
    "LICENSE": "b2883e4b610bfa1b4d8fff84c4d4b825cc7d553cbd9fec4777c04068a2859dc0",
}

ENV_VAR = "DECKGEN_REVEAL_JS"
CDN_BASE = f"https://cdn.jsdelivr.net/npm/reveal.js@{REVEAL_VERSION}/"
LOCAL_PREFIX = "reveal"  # copy_into(<out>/reveal) matches href() == "reveal/<rel>"
DOWNLOAD_TIMEOUT = 20.0
NPM_TIMEOUT = 120.0

_MAX_FILE_BYTES = 16 * 1024 * 1024  # far above any needed file; guards against huge inputs
_MAX_MEMBERS = 50_000
_HINT = f"give the reveal.js {REVEAL_VERSION} npm package folder or its .tgz (npm pack reveal.js@{REVEAL_VERSION})"
Downloader = Callable[[str], bytes]
NpmPack = Callable[[Path], Path | None]


@dataclass(frozen=True)
class RevealBundle:
    """Where the HTML writer gets reveal.js from.

    ``root`` holds the NEEDED_FILES by their relative paths (a verified copy, normally in
    the cache), or is None when the deck must link the CDN. ``origin`` is one of 'path',
    'env', 'cache', 'download', 'npm', 'cdn-link'.
    """

    version: str
    root: Path | None
    origin: str

    @property
    def offline(self) -> bool:
        return self.root is not None

    def copy_into(self, dest: Path) -> None:
        """Copy the needed files to ``dest/<relative path>``; nothing to do for a CDN link."""
        if self.root is None:
            return
        for rel in NEEDED_FILES:
            atomic_write(dest / rel, (self.root / rel).read_bytes())

    def href(self, rel: str) -> str:
        """The address the deck uses for ``rel`` (one of NEEDED_FILES)."""
        if rel not in FILE_SHA256:
            raise ValueError(f"{rel!r} is not one of the reveal.js files deckgen ships: {NEEDED_FILES}")
        if self.root is None:
            return CDN_BASE + rel
        return f"{LOCAL_PREFIX}/{rel}"


def obtain_reveal(
    explicit: Path | None,
    cache_dir: Path,
    diag: Diagnostics,
    allow_network: bool = True,
    env: Mapping[str, str] | None = None,
    downloader: Downloader | None = None,
    npm: NpmPack | None = None,
) -> RevealBundle:
    """Find a verified copy of reveal.js REVEAL_VERSION; see the module docstring for the order."""
    env = os.environ if env is None else env
    cached = cache_dir / f"reveal.js-{REVEAL_VERSION}"

    given: tuple[Path, str] | None = None
    if explicit is not None:
        given = (Path(explicit).expanduser(), "path")
    elif env.get(ENV_VAR, "").strip():
        given = (Path(env[ENV_VAR].strip()).expanduser(), "env")
    if given is not None:
        path, origin = given
        # a tarball verified into the cache before is not read again while it is unchanged
        if _source_key(path) and _read_source_key(cached) == _source_key(path) and _cache_is_valid(cached):
            return RevealBundle(REVEAL_VERSION, cached, origin)
        files = _read_user_source(path, origin)
        bundle = _bundle_from(files, cached, origin, diag, fallback_root=_folder_root(path))
        if bundle.root == cached:
            _write_source_key(cached, _source_key(path))
        return bundle

    if _cache_is_valid(cached, diag):
        return RevealBundle(REVEAL_VERSION, cached, "cache")

    if allow_network:
        if downloader is None:
            from deckgen.assets.fetch import FetchPolicy, HttpFetcher

            with HttpFetcher(FetchPolicy(total_timeout=DOWNLOAD_TIMEOUT)) as fetcher:
                downloaded = _try_download(fetcher_downloader(fetcher), diag)
        else:
            downloaded = _try_download(downloader, diag)
        if downloaded is not None:
            return _bundle_from(downloaded, cached, "download", diag)
        packed = _try_npm(npm or npm_pack, diag)
        if packed is not None:
            return _bundle_from(packed, cached, "npm", diag)

    diag.report(C.REVEAL_CDN, version=REVEAL_VERSION)
    return RevealBundle(REVEAL_VERSION, None, "cdn-link")


# -- sources the user names ------------------------------------------------------------

_SOURCE_SUFFIX = ".source"  # beside the cached copy: which tarball it was verified from


def _source_key(path: Path) -> str:
    """The identity of a user's tarball (path, size, modification time); "" for a folder."""
    try:
        st = path.stat()
    except OSError:
        return ""
    if not path.is_file():
        return ""
    return f"{path.resolve()}\n{st.st_size}\n{st.st_mtime_ns}"


def _read_source_key(cached: Path) -> str:
    try:
        return cached.with_name(cached.name + _SOURCE_SUFFIX).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _write_source_key(cached: Path, key: str) -> None:
    if not key:
        return
    try:
        atomic_write(cached.with_name(cached.name + _SOURCE_SUFFIX), key.encode("utf-8"))
    except OSError:
        pass  # only an optimization: the next build reads the tarball again



def _folder_root(path: Path) -> Path | None:
    """The package root inside ``path`` if it is a folder of one of the accepted layouts."""
    if not path.is_dir():
        return None
    if (path / "dist").is_dir():
        return path
    if (path / "package" / "dist").is_dir():
        return path / "package"
    return None


def _read_user_source(path: Path, origin: str) -> dict[str, bytes]:
    """The verified needed files of a folder or tarball the user named, or InputError."""
    what = "--reveal-js" if origin == "path" else ENV_VAR
    if not path.exists():
        raise InputError(f"{what}: no such file or folder", path=path, hint=_HINT)
    key: tuple[str, int, int] | None = None
    if path.is_dir():
        root = _folder_root(path)
        if root is None:
            raise InputError(
                f"{what}: not a reveal.js package folder (no dist/ or package/dist/ inside)",
                path=path,
                hint=_HINT,
            )
        files, version = _read_folder(root, path)
    elif path.is_file():
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key in _VERIFIED_TARBALLS:  # a warm process (deckgen serve) reads it once
            return _VERIFIED_TARBALLS[key]
        import tarfile

        from deckgen.assets.npmtarball import UnsafeArchive

        try:
            files, version = _read_tarball(path)
        except UnsafeArchive as exc:
            raise InputError(f"{what}: refusing the tarball: {exc}", path=path, hint=_HINT) from None
        except (tarfile.TarError, EOFError, OSError, ValueError):
            raise InputError(
                f"{what}: not a reveal.js folder nor a readable npm .tgz", path=path, hint=_HINT
            ) from None
    else:
        raise InputError(f"{what}: not a folder nor a file", path=path, hint=_HINT)
    _check_user_files(files, version, path, what)
    if key is not None:
        _VERIFIED_TARBALLS[key] = files
    return files


_VERIFIED_TARBALLS: dict[tuple[str, int, int], dict[str, bytes]] = {}


def _check_user_files(files: dict[str, bytes], version: str | None, path: Path, what: str) -> None:
    missing = [rel for rel in NEEDED_FILES if rel not in files]
    differing = [rel for rel in NEEDED_FILES if rel in files and _sha256(files[rel]) != FILE_SHA256[rel]]
    if not missing and not differing:
        return  # the bytes are the pinned release whatever package.json says
    if version is not None and version != REVEAL_VERSION:
        raise InputError(
            f"{what}: found reveal.js {version}, but deckgen is pinned to reveal.js {REVEAL_VERSION}",
            path=path,
            hint=_HINT,
        )
    if missing:
        raise InputError(
            f"{what}: not a complete reveal.js package ({', '.join(missing)} missing)", path=path, hint=_HINT
        )
    raise InputError(
        f"{what}: {', '.join(differing)} differ from the reveal.js {REVEAL_VERSION} release "
        "(SHA-256 mismatch: modified or corrupt)",
        path=path,
        hint=_HINT,
    )


def _read_folder(root: Path, shown: Path) -> tuple[dict[str, bytes], str | None]:
    from deckgen.assets.npmtarball import package_version

    files: dict[str, bytes] = {}
    for rel in NEEDED_FILES:
        target = root / rel
        try:
            if target.is_file() and target.stat().st_size <= _MAX_FILE_BYTES:
                files[rel] = target.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {rel}: {exc.strerror or exc}", path=shown) from None
    version = None
    try:
        version = package_version((root / "package.json").read_bytes())
    except OSError:
        pass
    return files, version


def _read_tarball(path: Path) -> tuple[dict[str, bytes], str | None]:
    """The needed files (and package.json version) of an npm tarball (``npmtarball.read_tarball``)."""
    from deckgen.assets.npmtarball import read_tarball

    return read_tarball(path, NEEDED_FILES, _MAX_MEMBERS, _MAX_FILE_BYTES)


# -- the cache -----------------------------------------------------------------------


def _cache_is_valid(folder: Path, diag: Diagnostics | None = None) -> bool:
    if not folder.is_dir():
        return False
    for rel in NEEDED_FILES:
        try:
            ok = _sha256((folder / rel).read_bytes()) == FILE_SHA256[rel]
        except OSError:
            ok = False
        if not ok:
            if diag is not None:
                diag.report(C.REVEAL_NOTE, folder, message=f"cached reveal.js {REVEAL_VERSION} is damaged ({rel}); getting it again")
            return False
    return True


def _store(files: dict[str, bytes], folder: Path) -> None:
    """Put the verified ``files`` at ``folder`` all at once (``fileio.write_folder``): a good
    copy already there is kept, a damaged one replaced. Raises OSError when the cache cannot
    be written."""
    write_folder({rel: files[rel] for rel in NEEDED_FILES}, folder, _cache_is_valid)


def _bundle_from(
    files: dict[str, bytes], cached: Path, origin: str, diag: Diagnostics, fallback_root: Path | None = None
) -> RevealBundle:
    """Cache verified files and hand out the cached copy (or a private copy if caching fails)."""
    try:
        _store(files, cached)
        return RevealBundle(REVEAL_VERSION, cached, origin)
    except OSError as exc:
        diag.report(C.REVEAL_NOTE, cached, message=f"could not cache reveal.js {REVEAL_VERSION} ({exc.strerror or exc}); "
            "the next build will look for it again")
    if fallback_root is not None:
        return RevealBundle(REVEAL_VERSION, fallback_root, origin)
    private = Path(tempfile.mkdtemp(prefix=f"deckgen-reveal.js-{REVEAL_VERSION}-"))
    for rel in NEEDED_FILES:
        atomic_write(private / rel, files[rel])
    return RevealBundle(REVEAL_VERSION, private, origin)


# -- network sources -----------------------------------------------------------------


def fetcher_downloader(fetcher: Fetcher) -> Downloader:
    """A downloader through the fetcher every picture uses: its User-Agent, timeouts, size cap and
    retries, the environment's proxy and never a .netrc password."""

    from deckgen.assets.fetch import FetchError

    def get(url: str) -> bytes:
        try:
            return fetcher(url, "", "").body
        except FetchError as exc:
            raise OSError(str(exc)) from None

    return get


def _try_download(downloader: Downloader, diag: Diagnostics) -> dict[str, bytes] | None:
    files: dict[str, bytes] = {}
    for rel in NEEDED_FILES:
        url = CDN_BASE + rel
        try:
            data = downloader(url)
        except (OSError, ValueError, RuntimeError) as exc:  # requests' errors are OSErrors: next source
            why = error_text(exc, 120)
            if "Name or service not known" in why or "NameResolution" in why or "getaddrinfo" in why:
                why = "host not found (offline?)"
            diag.report(C.REVEAL_NOTE, message=f"downloading reveal.js {REVEAL_VERSION} from the CDN failed: {url}: {type(exc).__name__}: {why}")
            return None
        if _sha256(data) != FILE_SHA256[rel]:
            diag.report(C.REVEAL_NOTE, message=f"the CDN copy of {url} does not match the pinned SHA-256; not used")
            return None
        files[rel] = data
    return files


def npm_pack(dest: Path) -> Path | None:
    """The default ``npm`` source: ``npm pack reveal.js@<version>`` into ``dest``.

    Returns the tarball path, or None when npm is not on PATH or did not produce one.
    """
    from deckgen.assets.npmtarball import run_npm_pack

    return run_npm_pack(f"reveal.js@{REVEAL_VERSION}", f"reveal.js-{REVEAL_VERSION}.tgz", dest, NPM_TIMEOUT)


def _integrity_ok(data: bytes, integrity: str = TARBALL_INTEGRITY) -> bool:
    from deckgen.assets.npmtarball import integrity_ok

    return integrity_ok(data, integrity)


def _try_npm(npm: NpmPack, diag: Diagnostics) -> dict[str, bytes] | None:
    import subprocess
    import tarfile

    from deckgen.assets.npmtarball import UnsafeArchive

    with tempfile.TemporaryDirectory(prefix="deckgen-npm-") as tmp:
        try:
            tgz = npm(Path(tmp))
        except (OSError, ValueError, RuntimeError, subprocess.SubprocessError) as exc:  # next source
            diag.report(C.REVEAL_NOTE, message=f"npm pack reveal.js@{REVEAL_VERSION} failed: {type(exc).__name__}")
            return None
        if tgz is None:
            diag.report(C.REVEAL_NOTE, message=f"npm pack reveal.js@{REVEAL_VERSION} not available (npm missing or it failed)")
            return None
        try:
            data = Path(tgz).read_bytes()
        except OSError as exc:
            diag.report(C.REVEAL_NOTE, message=f"npm pack reveal.js@{REVEAL_VERSION}: cannot read its tarball ({exc.strerror or exc})")
            return None
        if not _integrity_ok(data):
            diag.report(C.REVEAL_NOTE, message=f"the tarball from npm pack reveal.js@{REVEAL_VERSION} does not match the pinned "
                "integrity; not used")
            return None
        try:
            files, _version = _read_tarball(Path(tgz))
        except (UnsafeArchive, tarfile.TarError, EOFError, OSError, ValueError) as exc:
            diag.report(C.REVEAL_NOTE, message=f"the tarball from npm pack reveal.js@{REVEAL_VERSION} is unreadable ({exc})")
            return None
    if any(rel not in files or _sha256(files[rel]) != FILE_SHA256[rel] for rel in NEEDED_FILES):
        diag.report(C.REVEAL_NOTE, message=f"the tarball from npm pack reveal.js@{REVEAL_VERSION} lacks the expected files; not used")
        return None
    return files


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
