"""Tests of deckgen.assets.revealjs: every way of getting reveal.js, all offline (fake downloader / npm)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
from pathlib import Path

import pytest

from support.imageserver import ImageServer

try:
    import deckgen  # noqa: F401
except ImportError:  # running from a checkout without an install
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from deckgen.assets import revealjs
from deckgen.assets.fetch import USER_AGENT
from deckgen.assets.revealjs import (
    CDN_BASE,
    ENV_VAR,
    FILE_SHA256,
    NEEDED_FILES,
    REVEAL_VERSION,
    RevealBundle,
    obtain_reveal,
)
from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.errors import InputError

_DEFAULT_TGZ = Path("/tmp/rv/reveal.js-6.0.2.tgz")


def _find_tarball() -> Path | None:
    given = os.environ.get(ENV_VAR, "").strip()
    if given:
        return Path(given)
    return _DEFAULT_TGZ if _DEFAULT_TGZ.is_file() else None


_TGZ = _find_tarball()
pytestmark = pytest.mark.skipif(
    _TGZ is None or not _TGZ.is_file(),
    reason=f"no reveal.js {REVEAL_VERSION} npm tarball (set {ENV_VAR} or run npm pack into /tmp/rv)",
)


# -- helpers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tgz() -> Path:
    assert _TGZ is not None
    return _TGZ


@pytest.fixture(scope="module")
def real_files(tgz: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    with tarfile.open(tgz) as tar:
        for member in tar:
            rel = member.name.split("/", 1)[-1]
            if rel in NEEDED_FILES or rel == "package.json":
                handle = tar.extractfile(member)
                assert handle is not None
                out[rel] = handle.read()
    return out


@pytest.fixture()
def unpacked(tgz: Path, tmp_path: Path) -> Path:
    """The tarball extracted as npm lays it out: <tmp>/unpacked/package/dist/..."""
    dest = tmp_path / "unpacked"
    with tarfile.open(tgz) as tar:
        tar.extractall(dest, filter="data")
    assert (dest / "package" / "dist" / "reveal.js").is_file()
    return dest


def _never(*_args: object) -> bytes:
    raise AssertionError("the network source must not be used here")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _assert_complete(root: Path) -> None:
    for rel in NEEDED_FILES:
        assert _sha((root / rel).read_bytes()) == FILE_SHA256[rel], rel


def _said(diag: Diagnostics) -> list[str]:
    """What the notes about obtaining reveal.js said (R201 carries its words as a fact)."""
    assert all(note.code == C.REVEAL_NOTE.code for note in diag.notes)
    return [note.get("message") for note in diag.notes]


def _obtain(
    explicit: Path | None, cache: Path, diag: Diagnostics | None = None, **kw: object
) -> RevealBundle:
    kw.setdefault("env", {})
    kw.setdefault("downloader", _never)
    kw.setdefault("npm", _never)
    return obtain_reveal(explicit, cache, Diagnostics() if diag is None else diag, **kw)  # type: ignore[arg-type]


def _make_tgz(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


class FakeDownloader:
    def __init__(self, files: dict[str, bytes], corrupt: bool = False) -> None:
        self.files = files
        self.corrupt = corrupt
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        assert url.startswith(CDN_BASE)
        data = self.files[url[len(CDN_BASE) :]]
        return data + b"/* tampered */" if self.corrupt else data


class FakeNpm:
    def __init__(self, tarball: bytes | None) -> None:
        self.tarball = tarball
        self.calls: list[Path] = []

    def __call__(self, dest: Path) -> Path | None:
        self.calls.append(dest)
        if self.tarball is None:
            return None
        out = dest / f"reveal.js-{REVEAL_VERSION}.tgz"
        out.write_bytes(self.tarball)
        return out


# -- the pinned constants ----------------------------------------------------------------


def test_pinned_hashes_match_the_tarball(tgz: Path, real_files: dict[str, bytes]) -> None:
    assert set(FILE_SHA256) == set(NEEDED_FILES)
    assert json.loads(real_files["package.json"])["version"] == REVEAL_VERSION
    for rel in NEEDED_FILES:
        assert _sha(real_files[rel]) == FILE_SHA256[rel]
    assert revealjs._integrity_ok(tgz.read_bytes())
    assert not revealjs._integrity_ok(tgz.read_bytes() + b"\0")


# -- sources the user names ------------------------------------------------------------


def test_an_unchanged_tarball_is_not_read_again(tgz: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _obtain(tgz, tmp_path / "cache", Diagnostics())

    def no_read(path: Path) -> None:
        raise AssertionError("the tarball was read again")

    monkeypatch.setattr(revealjs, "_read_tarball", no_read)
    assert _obtain(tgz, tmp_path / "cache", Diagnostics()) == first


def test_tgz_source_is_verified_and_cached(tgz: Path, tmp_path: Path) -> None:
    diag = Diagnostics()
    bundle = _obtain(tgz, tmp_path / "cache", diag)
    assert bundle == RevealBundle(REVEAL_VERSION, tmp_path / "cache" / f"reveal.js-{REVEAL_VERSION}", "path")
    _assert_complete(bundle.root)  # type: ignore[arg-type]
    assert diag.warnings == ()
    # nothing but the needed files lands in the cache, and no temp folders are left over
    stored = sorted(p.relative_to(bundle.root).as_posix() for p in bundle.root.rglob("*") if p.is_file())
    assert stored == sorted(NEEDED_FILES)
    # beside it only the key of the tarball it came from (so the next build need not read it)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        f"reveal.js-{REVEAL_VERSION}",
        f"reveal.js-{REVEAL_VERSION}.source",
    ]


@pytest.mark.parametrize("layout", ["package-root", "outer-folder"])
def test_folder_source_both_layouts(unpacked: Path, tmp_path: Path, layout: str) -> None:
    given = unpacked / "package" if layout == "package-root" else unpacked
    bundle = _obtain(given, tmp_path / "cache")
    assert bundle.origin == "path"
    assert bundle.root == tmp_path / "cache" / f"reveal.js-{REVEAL_VERSION}"
    _assert_complete(bundle.root)


def test_env_source(tgz: Path, tmp_path: Path) -> None:
    bundle = _obtain(None, tmp_path / "cache", env={ENV_VAR: str(tgz)})
    assert bundle.origin == "env"
    _assert_complete(bundle.root)  # type: ignore[arg-type]


def test_explicit_path_wins_over_env(tgz: Path, tmp_path: Path) -> None:
    bundle = _obtain(tgz, tmp_path / "cache", env={ENV_VAR: str(tmp_path / "nowhere")})
    assert bundle.origin == "path"


def test_broken_env_source_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=ENV_VAR):
        _obtain(None, tmp_path / "cache", env={ENV_VAR: str(tmp_path / "nowhere")})


def test_hashes_decide_even_if_package_json_says_otherwise(unpacked: Path, tmp_path: Path) -> None:
    meta = unpacked / "package" / "package.json"
    meta.write_text(json.dumps({"name": "reveal.js", "version": "0.0.0-local"}), "utf-8")
    assert _obtain(unpacked, tmp_path / "cache").origin == "path"


def _break_nothing(root: Path) -> None:
    (root / "package").rename(root / "elsewhere")


def _break_hash(root: Path) -> None:
    with (root / "package" / "dist" / "reveal.css").open("ab") as handle:
        handle.write(b"\n/* edited */\n")


def _break_missing(root: Path) -> None:
    (root / "package" / "dist" / "plugin" / "notes.js").unlink()


def _break_version(root: Path) -> None:
    _break_hash(root)
    meta = root / "package" / "package.json"
    meta.write_text(json.dumps({"name": "reveal.js", "version": "5.2.1"}), "utf-8")


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_break_nothing, "not a reveal.js package folder"),
        (_break_hash, r"dist/reveal\.css differ.*SHA-256 mismatch"),
        (_break_missing, r"dist/plugin/notes\.js missing"),
        (_break_version, r"found reveal\.js 5\.2\.1, but deckgen is pinned to reveal\.js 6\.0\.2"),
    ],
)
def test_broken_folder_is_an_input_error(unpacked: Path, tmp_path: Path, breaker, message: str) -> None:
    breaker(unpacked)
    with pytest.raises(InputError, match=message) as caught:
        _obtain(unpacked, tmp_path / "cache")
    text = str(caught.value)
    assert str(unpacked) in text and "\n" not in text
    assert caught.value.exit_code == 2
    assert not (tmp_path / "cache" / f"reveal.js-{REVEAL_VERSION}").exists()


def test_missing_path_and_non_tarball_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        _obtain(tmp_path / "nowhere", tmp_path / "cache")
    junk = tmp_path / "reveal.tgz"
    junk.write_bytes(b"this is not a tarball")
    with pytest.raises(InputError, match="not a reveal.js folder nor a readable npm .tgz"):
        _obtain(junk, tmp_path / "cache")


def test_wrong_version_tarball_is_an_input_error(real_files: dict[str, bytes], tmp_path: Path) -> None:
    members = {f"package/{rel}": data for rel, data in real_files.items()}
    members["package/dist/reveal.js"] = b"/* another release */"
    members["package/package.json"] = json.dumps({"name": "reveal.js", "version": "4.6.0"}).encode()
    old = _make_tgz(tmp_path / "reveal.js-4.6.0.tgz", members)
    with pytest.raises(InputError, match=r"found reveal\.js 4\.6\.0.*pinned to reveal\.js 6\.0\.2"):
        _obtain(old, tmp_path / "cache")


@pytest.mark.parametrize(
    "evil", ["package/../../escaped.txt", "/tmp/deckgen-absolute-escape.txt", "../escaped.txt"]
)
def test_tarball_with_escaping_member_is_refused(
    real_files: dict[str, bytes], tmp_path: Path, evil: str
) -> None:
    members = {f"package/{rel}": data for rel, data in real_files.items()}
    members[evil] = b"gotcha"
    bad = _make_tgz(tmp_path / "bad.tgz", members)
    cache = tmp_path / "deep" / "cache"
    with pytest.raises(InputError, match="refusing the tarball.*outside the package"):
        _obtain(bad, cache)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "deep" / "escaped.txt").exists()
    assert not cache.exists() or not any(cache.iterdir())


def test_tarball_with_linked_needed_file_is_refused(real_files: dict[str, bytes], tmp_path: Path) -> None:
    bad = tmp_path / "link.tgz"
    with tarfile.open(bad, "w:gz") as tar:
        for rel, data in real_files.items():
            if rel == "LICENSE":
                link = tarfile.TarInfo("package/LICENSE")
                link.type = tarfile.SYMTYPE
                link.linkname = "/etc/passwd"
                tar.addfile(link)
                continue
            info = tarfile.TarInfo(f"package/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(InputError, match="link or special file"):
        _obtain(bad, tmp_path / "cache")


# -- the cache -------------------------------------------------------------------------


def test_second_call_uses_the_cache_without_network(tgz: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _obtain(tgz, cache)
    diag = Diagnostics()
    bundle = _obtain(None, cache, diag, allow_network=True)  # the fakes raise if called
    assert bundle.origin == "cache"
    assert bundle.root == cache / f"reveal.js-{REVEAL_VERSION}"
    assert diag.warnings == () and diag.notes == ()


def test_damaged_cache_is_fetched_again_and_replaced(
    real_files: dict[str, bytes], tgz: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _obtain(tgz, cache)
    (cache / f"reveal.js-{REVEAL_VERSION}" / "dist" / "reveal.js").write_bytes(b"truncated")
    diag = Diagnostics()
    fake = FakeDownloader(real_files)
    bundle = _obtain(None, cache, diag, downloader=fake)
    assert bundle.origin == "download"
    assert any("damaged" in note for note in _said(diag))
    _assert_complete(bundle.root)  # type: ignore[arg-type]
    assert sorted(p.name for p in cache.iterdir() if not p.name.endswith(".source")) == [f"reveal.js-{REVEAL_VERSION}"]


def test_a_good_copy_already_in_place_is_kept(
    real_files: dict[str, bytes], tgz: Path, tmp_path: Path
) -> None:
    """As when another build stored the cache first: the store keeps the existing good copy."""
    cache = tmp_path / "cache"
    first = _obtain(tgz, cache)
    before = (first.root / "dist" / "reveal.js").stat().st_ino  # type: ignore[operator]
    revealjs._store({rel: real_files[rel] for rel in NEEDED_FILES}, cache / f"reveal.js-{REVEAL_VERSION}")
    assert (first.root / "dist" / "reveal.js").stat().st_ino == before  # type: ignore[operator]


def test_unwritable_cache_still_gives_a_usable_bundle(tgz: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    diag = Diagnostics()
    bundle = _obtain(tgz, blocker, diag)
    assert bundle.origin == "path" and bundle.root is not None
    _assert_complete(bundle.root)
    assert any("could not cache" in note for note in _said(diag))
    shutil.rmtree(bundle.root, ignore_errors=True)


# -- network sources (faked) -------------------------------------------------------------


def test_cdn_download_is_verified_and_cached(real_files: dict[str, bytes], tmp_path: Path) -> None:
    fake = FakeDownloader(real_files)
    cache = tmp_path / "cache"
    bundle = _obtain(None, cache, downloader=fake)
    assert bundle.origin == "download"
    assert fake.urls == [CDN_BASE + rel for rel in NEEDED_FILES]
    assert fake.urls[0] == f"https://cdn.jsdelivr.net/npm/reveal.js@{REVEAL_VERSION}/dist/reveal.js"
    _assert_complete(bundle.root)  # type: ignore[arg-type]
    assert _obtain(None, cache).origin == "cache"


def test_corrupt_download_falls_to_npm_then_to_cdn_link(
    real_files: dict[str, bytes], tgz: Path, tmp_path: Path
) -> None:
    fake = FakeDownloader(real_files, corrupt=True)
    npm = FakeNpm(tgz.read_bytes()[:-7] + b"garbage")  # fails the pinned integrity
    diag = Diagnostics()
    cache = tmp_path / "cache"
    bundle = _obtain(None, cache, diag, downloader=fake, npm=npm)
    assert fake.urls and len(npm.calls) == 1
    assert bundle == RevealBundle(REVEAL_VERSION, None, "cdn-link")
    (warning,) = diag.warnings
    assert (warning.code, warning.get("version")) == ("R101", REVEAL_VERSION)
    assert any("SHA-256" in note for note in _said(diag))
    assert any("integrity" in note for note in _said(diag))
    assert not (cache / f"reveal.js-{REVEAL_VERSION}").exists()


def test_failing_downloader_then_npm_tarball(tgz: Path, tmp_path: Path) -> None:
    def offline(url: str) -> bytes:
        raise ConnectionError("connection refused")

    npm = FakeNpm(tgz.read_bytes())
    diag = Diagnostics()
    bundle = _obtain(None, tmp_path / "cache", diag, downloader=offline, npm=npm)
    assert bundle.origin == "npm"
    _assert_complete(bundle.root)  # type: ignore[arg-type]
    assert diag.warnings == ()
    assert any("connection refused" in note for note in _said(diag))


def test_npm_unavailable_gives_cdn_link(tmp_path: Path) -> None:
    def offline(url: str) -> bytes:
        raise TimeoutError("timed out")

    diag = Diagnostics()
    bundle = _obtain(None, tmp_path / "cache", diag, downloader=offline, npm=FakeNpm(None))
    assert bundle.origin == "cdn-link" and [w.code for w in diag.warnings] == ["R101"]


def test_no_network_means_cdn_link_without_trying(tmp_path: Path) -> None:
    diag = Diagnostics()
    bundle = _obtain(None, tmp_path / "cache", diag, allow_network=False)
    assert bundle.origin == "cdn-link" and bundle.root is None and not bundle.offline
    assert [w.code for w in diag.warnings] == ["R101"]


# -- using a bundle ------------------------------------------------------------------------


def test_copy_into_and_local_hrefs(tgz: Path, tmp_path: Path) -> None:
    bundle = _obtain(tgz, tmp_path / "cache")
    out = tmp_path / "out"
    bundle.copy_into(out / "reveal")
    _assert_complete(out / "reveal")
    assert (out / "reveal" / "dist" / "reveal.js").is_file()
    assert bundle.href("dist/reveal.js") == "reveal/dist/reveal.js"
    assert bundle.href("dist/plugin/notes.js") == "reveal/dist/plugin/notes.js"
    for rel in NEEDED_FILES:
        assert (out / bundle.href(rel)).is_file()


def test_cdn_link_bundle_hrefs_and_copy(tmp_path: Path) -> None:
    bundle = RevealBundle(REVEAL_VERSION, None, "cdn-link")
    assert (
        bundle.href("dist/reveal.css")
        == f"https://cdn.jsdelivr.net/npm/reveal.js@{REVEAL_VERSION}/dist/reveal.css"
    )
    bundle.copy_into(tmp_path / "out" / "reveal")
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError):
        bundle.href("dist/theme/black.css")
    with pytest.raises(AttributeError):
        bundle.origin = "path"  # type: ignore[misc]


def test_the_cdn_download_goes_through_the_fetcher_with_its_user_agent_and_no_netrc(
    image_server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login teacher password secret\n", "utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setattr(revealjs, "CDN_BASE", image_server.url("no-such-cdn/"))
    image_server.reset_log()
    diag = Diagnostics()
    bundle = _obtain(None, tmp_path / "cache", diag, downloader=None, npm=lambda _dest: None)  # 404: CDN link
    assert bundle.origin != "download"
    (request, *_) = [r for r in image_server.requests if "no-such-cdn" in r[1]]
    headers = request[2]
    assert headers["User-Agent"] == USER_AGENT
    assert "Authorization" not in headers
    assert any("downloading reveal.js" in n for n in _said(diag))
