"""outputs.py: each deck written whole or not at all, and the removal of what it replaces."""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from deckgen.outputs import atomic_dir as _atomic_dir
from deckgen.outputs import remove


def test_a_folder_output_is_swapped_in_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "deck"
    target.mkdir()
    (target / "index.html").write_text("old", "utf-8")

    def broken(folder: Path) -> None:
        (folder / "index.html").write_text("half", "utf-8")
        raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError):
        _atomic_dir(target, broken)
    assert (target / "index.html").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]
    _atomic_dir(target, lambda folder: (folder / "index.html").write_text("new", "utf-8"))
    assert (target / "index.html").read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]


def _read_only_tree(root: Path) -> Path:
    """An old deck folder as a read-only copy leaves it: files and folders without write access."""
    tree = root / "old-deck"
    (tree / "assets").mkdir(parents=True)
    (tree / "assets" / "p.png").write_bytes(b"png")
    (tree / "index.html").write_text("old", "utf-8")
    for path in (tree / "assets" / "p.png", tree / "index.html"):
        path.chmod(0o444)
    for path in (tree / "assets", tree):
        path.chmod(0o555)
    return tree


def _refuse_first_unlink(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stage the refusal a read-only folder gives (root is refused nothing): the first file
    removal fails with EACCES, as for a user, and succeeds once retried."""
    refused: list[str] = []
    real_unlink = os.unlink

    def unlink(path: str | Path, *args: object, **kwargs: object) -> None:
        if not refused:
            refused.append(str(path))
            raise PermissionError(13, "Permission denied", str(path))
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", unlink)
    return refused


def _rmtree_as_from_312(real: Callable[..., None]) -> Callable[..., None]:
    """``shutil.rmtree`` as Python 3.12 has it, on an older Python: ``onexc`` taken, ``onerror``
    deprecated (a DeprecationWarning, an error under the suite's filterwarnings)."""

    def rmtree(path: object, ignore_errors: bool = False, onerror: object = None, *, onexc: object = None) -> None:
        if onerror is not None:
            warnings.warn("onerror argument is deprecated, use onexc instead", DeprecationWarning, stacklevel=2)
            return real(path, ignore_errors, onerror)
        if onexc is None:
            return real(path, ignore_errors)
        return real(path, ignore_errors, lambda func, name, info: onexc(func, name, info[1]))  # type: ignore[operator]

    return rmtree


def test_a_read_only_tree_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _read_only_tree(tmp_path)
    refused = _refuse_first_unlink(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        remove(tree)
    assert refused and not tree.exists()
    remove(tree)  # gone already: quietly


def test_a_read_only_tree_is_removed_without_a_deprecation_warning_from_python_3_12_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``shutil.rmtree(onerror=)`` is deprecated from 3.12 on: ``remove`` gives ``onexc`` there.
    On an older Python the test runs it as on 3.12 (the version it sees and 3.12's rmtree)."""
    import deckgen.outputs as outputs

    if sys.version_info < (3, 12):
        monkeypatch.setattr(outputs, "sys", SimpleNamespace(version_info=(3, 12, 0)))
        monkeypatch.setattr(shutil, "rmtree", _rmtree_as_from_312(shutil.rmtree))
    tree = _read_only_tree(tmp_path)
    refused = _refuse_first_unlink(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        remove(tree)
    assert refused and not tree.exists()



def test_the_html_deck_is_made_beside_the_pptx_by_a_child_and_listed_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen import outputs
    from deckgen.assets.resolve import AssetOptions
    from deckgen.build import BuildOptions, build_post
    from deckgen.writers.html import RevealWriter

    monkeypatch.setattr(outputs, "may_fork", lambda: True)  # what this test is about: the child
    real = RevealWriter.write
    pid_file = tmp_path / "html-pid"

    def write(self: RevealWriter, laid: object, folder: Path) -> None:
        pid_file.write_text(str(os.getpid()), "utf-8")
        real(self, laid, folder)  # type: ignore[arg-type]

    monkeypatch.setattr(RevealWriter, "write", write)
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: T\n---\n\n# One\n\ntext\n\n---\n\n# Two\n\nmore\n", "utf-8")
    out = tmp_path / "out"
    options = BuildOptions(formats=("pptx", "html"), out_dir=out, pictures=AssetOptions(cache_dir=tmp_path / "c", offline=True))
    record = build_post(post, options)
    assert int(pid_file.read_text("utf-8")) != os.getpid()
    assert [p.relative_to(out).as_posix() for p in record.outputs] == ["p/index.html", "p.pptx"]
    assert sorted(p.name for p in out.iterdir()) == [".deckgen", "p", "p.pptx"]  # no temporary left
    # the child recorded its files for the edits guard: the stamp holds what is there
    from deckgen.edits import record_of, records_under
    from deckgen.stamp import read_stamp

    stamp = read_stamp(out, post)
    assert stamp is not None
    html = {rel: rec for rel, rec in stamp.files.items() if rel.startswith("p/")}
    assert html == {f"p/{rel}": rec for rel, rec in records_under(out / "p").items()}
    assert "p/index.html" in html and stamp.files["p.pptx"] == record_of(out / "p.pptx")


def test_a_childs_records_are_the_ones_the_parent_would_take(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent reads back no file the child made: the records it was given are the stamp's."""
    from deckgen import edits, outputs
    from deckgen.assets.resolve import AssetOptions
    from deckgen.build import BuildOptions, build_post
    from deckgen.stamp import read_stamp

    monkeypatch.setattr(outputs, "may_fork", lambda: True)
    parent, read = os.getpid(), []
    real = edits.record_of

    def record_of(path: Path) -> object:
        if os.getpid() == parent:
            read.append(path.name)
        return real(path)

    monkeypatch.setattr(edits, "record_of", record_of)
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: T\n---\n\n# One\n\ntext\n", "utf-8")
    out = tmp_path / "out"
    options = BuildOptions(formats=("pptx", "html"), out_dir=out, pictures=AssetOptions(cache_dir=tmp_path / "c", offline=True))
    build_post(post, options)
    assert read == ["p.pptx"]  # the HTML deck's files were recorded by the child
    stamp = read_stamp(out, post)
    assert stamp is not None and "p/index.html" in stamp.files

