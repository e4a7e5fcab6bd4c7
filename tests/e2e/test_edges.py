"""Robust at the edges (issue 22): no broken deck with exit 0, no traceback, no leftovers.

Each test runs ``deckgen`` as the user does (a subprocess) and reads what it printed and
wrote: pictures whose percent-decoded path holds what XML cannot (the deck opens, the schema
accepts it, the warning shows the character escaped); ``check`` on posts in UTF-16 and UTF-32,
with a ``%00`` picture or an unknown theme; a read-only output folder; a build killed with
SIGKILL (the next build removes what it left) or stopped with SIGTERM (it removes it itself).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.cli import main
from support.ooxml import validate_pptx, xsd_dir
from support.readonly import read_only

RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")  # what must never be printed raw


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DECKGEN_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, capture_output=True, timeout=300,
                          env=env, text=True, encoding="utf-8", errors="surrogateescape")


def _clean_exit(done: subprocess.CompletedProcess[str]) -> None:
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said[-3000:]
    assert not RAW.search(said), repr(said[-500:])


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


# ---------------------------------------------------------------------------
# text from outside the prose


@pytest.mark.parametrize(
    ("picture", "shown"),
    [('<img src="%00">', "\\x00"), ("![x](%0B)", "\\x0b"), ("![x](%EF%BF%BE)", "\\ufffe"), ("![x](a%1B[2Jb.png)", "\\x1b")],
)
def test_a_picture_path_xml_cannot_hold_builds_a_deck_that_opens(
    tmp_path: Path, reveal_source: Path, picture: str, shown: str
) -> None:
    pptx, warning = _build_picture(tmp_path, reveal_source, picture)
    assert shown in warning and warning.endswith("[P101]")
    slides = Presentation(str(pptx)).slides  # python-pptx (lxml) opens it
    placeholder = " ".join(sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame)
    assert re.search(rf"local file not found: \S*{re.escape(shown)}", placeholder.replace("\u200b", "")), placeholder
    page = (tmp_path / "build" / "talk" / "index.html").read_text("utf-8")
    assert not RAW.search(page) and shown in page


@pytest.mark.parametrize("picture", ['<img src="%00">', "![x](%0B)", "![x](%EF%BF%BE)"])
def test_a_picture_path_xml_cannot_hold_builds_a_deck_the_schemas_accept(
    tmp_path: Path, reveal_source: Path, picture: str
) -> None:
    if not xsd_dir().is_dir():
        pytest.skip(f"no ECMA-376 schemas at {xsd_dir()} (../shared/xsd beside the repository, or set DECKGEN_XSD_DIR)")
    pptx, _ = _build_picture(tmp_path, reveal_source, picture)
    report = validate_pptx(pptx)
    assert report.valid and not report.errors, report.errors


def _build_picture(tmp_path: Path, reveal_source: Path, picture: str) -> tuple[Path, str]:
    """A post with one picture, built offline into every format: the .pptx, and the warning."""
    post = _write(tmp_path / "talk.md", f"---\ntitle: Talk\n---\n\n## One\n\n{picture}\n")
    done = _cli(["build", str(post), "--offline", "--format", "all", "--reveal-js", str(reveal_source)], tmp_path)
    _clean_exit(done)
    assert done.returncode == 0, done.stderr
    # the picture's own warning; the post's pictures-undescribed line (A101) is not this test's
    (warning,) = [line for line in done.stderr.splitlines() if line.startswith("warning:") and "A101" not in line]
    return tmp_path / "build" / "talk.pptx", warning


# ---------------------------------------------------------------------------
# check reads a post as build does


POST = "---\ntitle: Encoded\n---\n\n## One\n\nSome **bold text\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_check_and_build_read_utf16_and_utf32_with_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    post = _write(tmp_path / "post.md", "\ufeff".encode(codec) + POST.encode(codec))
    done = _cli(["check", str(post), "--offline"], tmp_path)
    _clean_exit(done)
    assert done.returncode == 1 and re.search(r"post\.md:7: markup: .*\[M201\]", done.stdout), done.stdout
    done = _cli(["build", str(post), "--offline", "--format", "pptx"], tmp_path)
    _clean_exit(done)
    assert done.returncode == 0 and "S101" not in done.stderr, done.stderr  # nothing spurious removed


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        ("---\ntitle: T\n---\n\n![x](%00)\n", "P101", 1),
        ("---\ntitle: T\ntheme: nope\n---\n\nhi\n", "E201", 1),
        ("---\ntitle: [unclosed\n---\n\nhi\n", "E103", 1),
        (b"\xff\xfe\x00\x00\x00\xd8\x00\x00", "E102", 1),  # UTF-32 that is not
    ],
)
def test_check_gives_findings_not_tracebacks(tmp_path: Path, text: str | bytes, code: str, status: int) -> None:
    post = _write(tmp_path / "post.md", text)
    # the accessibility findings (a picture described as "x") are not this test's
    done = _cli(["check", str(post), "--offline", "--ignore", "accessibility"], tmp_path)
    _clean_exit(done)
    assert done.returncode == status
    lines = (done.stdout + done.stderr).splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"[{code}]"), lines


# ---------------------------------------------------------------------------
# a folder that cannot be written


def test_a_folder_build_into_a_read_only_folder_says_one_line_a_post_and_one_for_the_index(
    tmp_path: Path, reveal_source: Path
) -> None:
    for name in ("a", "b"):
        _write(tmp_path / "posts" / f"{name}.md", f"---\ntitle: {name}\n---\n\n## {name}\n\nhi\n")
    out = tmp_path / "out"
    with read_only(out):
        done = _cli(["build", str(tmp_path / "posts"), "--out", str(out), "--reveal-js", str(reveal_source)], tmp_path)
    _clean_exit(done)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("deckgen: error: ") and line.endswith("[E301]") for line in lines)
    assert str(tmp_path / "posts" / "a.md") in lines[0] and str(tmp_path / "posts" / "b.md") in lines[1]
    assert "index.html" in lines[2]


# ---------------------------------------------------------------------------
# builds that die


def _big_post(folder: Path, slides: int = 4000) -> Path:
    parts = ["---\ntitle: Big\n---\n"]
    parts += [f"## Slide {i}\n\n- point one about {i}\n- point **two** with a [link](https://example.org/{i})\n"
              for i in range(slides)]
    return _write(folder / "big.md", "\n---\n\n".join(parts))


def _temporaries(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp") or ".old-" in p.name) if out.is_dir() else []


def _start_then_wait_for_a_temporary(post: Path, out: Path, cwd: Path, reveal: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, DECKGEN_CACHE_DIR=str(cwd / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "deckgen", "build", str(post), "--out", str(out), "--format", "all", "--offline",
         "--reveal-js", str(reveal)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    deadline = time.monotonic() + 240
    while not any(".pptx." in name for name in _temporaries(out)):  # the .pptx half written
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no temporary .pptx appeared"
        time.sleep(0.05)
    return proc


@pytest.mark.slow
def test_after_a_sigkill_mid_write_the_next_build_leaves_no_temporary(tmp_path: Path, reveal_source: Path) -> None:
    post, out = _big_post(tmp_path / "posts"), tmp_path / "out"
    proc = _start_then_wait_for_a_temporary(post, out, tmp_path, reveal_source)
    proc.kill()
    proc.communicate()
    left = _temporaries(out)
    assert any(name.startswith(".big.pptx.") for name in left), left
    # what must stay: another program's files, and a temporary of a process still running
    others = [".notes.tmp", ".big.pptx.tmp", "big.pptx.x.tmp", f".big.pptx.{os.getpid()}-abcdefgh.tmp", ".other.pptx.1-abcdefgh.tmp"]
    for name in others:
        _write(out / name, b"not deckgen's to remove")
        os.utime(out / name, (time.time() - 3600, time.time() - 3600))
    _write(post, "---\ntitle: Big\n---\n\n## Now small\n")  # the same post, quicker to build
    done = _cli(["build", str(post), "--out", str(out), "--format", "all", "--offline", "--reveal-js", str(reveal_source)],
                tmp_path)
    _clean_exit(done)
    assert done.returncode == 0, done.stderr
    assert _temporaries(out) == sorted(n for n in others if n.endswith(".tmp"))
    assert Presentation(str(out / "big.pptx")).slides


@pytest.mark.slow
def test_sigterm_stops_a_build_like_ctrl_c_and_removes_its_temporaries(tmp_path: Path, reveal_source: Path) -> None:
    post, out = _big_post(tmp_path / "posts"), tmp_path / "out"
    proc = _start_then_wait_for_a_temporary(post, out, tmp_path, reveal_source)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert stderr.splitlines() == ["deckgen: terminated"], stderr[-2000:]
    assert _temporaries(out) == [] and not (out / "big.pptx").exists()


def test_a_bug_in_a_command_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import deckgen.cli.commands as commands

    def broken(_args: object) -> int:
        raise RuntimeError("a bug\nover lines")

    monkeypatch.setitem(commands.COMMANDS, "themes", broken)
    assert main(["themes"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("deckgen: error: internal error: RuntimeError: a bug") and line.endswith("[E901]")
