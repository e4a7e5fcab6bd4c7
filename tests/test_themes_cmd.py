"""``deckgen themes`` and ``deckgen themes new``, and theme errors on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.cli import main
from deckgen.errors import InputError
from deckgen.theme import SCHEMA, load_theme
from deckgen.themes_cmd import KEY_COMMENTS, list_themes, new_theme

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_themes_lists_built_in_themes_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "themes")
    assert code == 0 and err == ""
    lines = out.splitlines()
    names = [line.split()[0] for line in lines]
    assert {"default", "dark", "high-contrast"} <= set(names)
    assert len(names) == len(set(names))
    for line in lines:
        assert "built-in" in line and "16:9" in line and "contrast" in line
    assert run(capsys, "themes", "list")[1] == out


def test_local_themes_come_first_and_a_broken_one_says_why(tmp_path: Path) -> None:
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "school.toml").write_text('description = "Our school"\n', "utf-8")
    (tmp_path / "themes" / "dark.toml").write_text('extends = "dark"\ndescription = "Our dark"\n', "utf-8")
    (tmp_path / "themes" / "broken.toml").write_text('[colors]\ntext = "blue"\n', "utf-8")
    lines = list_themes(tmp_path)
    by_name = {line.split()[0]: line for line in lines}
    assert [line.split()[1] for line in lines[:3]] == ["local"] * 3
    assert "Our school" in by_name["school"]
    assert "Our dark" in by_name["dark"] and "hides the built-in" in by_name["dark"]
    assert sum(1 for line in lines if line.split()[0] == "dark") == 1
    assert "broken" in by_name["broken"] and "colors.text" in by_name["broken"]


def _comments_above_keys(text: str) -> dict[tuple[str, str], str]:
    """``(section, key)`` -> the comment lines right above the key, joined."""
    out: dict[tuple[str, str], str] = {}
    section, pending = "", []
    for line in text.splitlines():
        if line.startswith("#"):
            pending.append(line[2:])
        elif line.startswith("["):
            section, pending = line.strip("[]"), []
        elif " = " in line:
            out[(section, line.split(" = ")[0])] = " ".join(pending)
            pending = []
        else:
            pending = []
    return out


@pytest.mark.parametrize("base", ["default", "dark", "high-contrast"])
def test_themes_new_writes_every_key_commented_and_it_loads(tmp_path: Path, base: str) -> None:
    path = new_theme("school", base, tmp_path)
    assert path == tmp_path / "themes" / "school.toml"
    text = path.read_text("utf-8")
    raw = tomllib.loads(text)
    comments = _comments_above_keys(text)
    for section, keys in SCHEMA.items():
        table = raw if section == "" else raw[section]
        for key in keys:
            assert key in table, f"{section}.{key} missing"
            assert KEY_COMMENTS[section][key] in comments[(section, key)], (section, key)
    assert raw["name"] == "school" and raw["extends"] == base
    theme = load_theme("school", tmp_path)
    parent = load_theme(base)
    assert theme.name == "school"
    assert (theme.colors, theme.fonts, theme.sizes, theme.code_style) == (
        parent.colors,
        parent.fonts,
        parent.sizes,
        parent.code_style,
    )


def test_themes_new_from_a_theme_with_files_keeps_them_relative(tmp_path: Path) -> None:
    from PIL import Image

    (tmp_path / "brand").mkdir()
    Image.new("RGB", (40, 40), "red").save(tmp_path / "brand" / "logo.png")
    (tmp_path / "brand" / "brand.toml").write_text('[logo]\npath = "logo.png"\n', "utf-8")
    path = new_theme("copy", "brand/brand.toml", tmp_path)
    raw = tomllib.loads(path.read_text("utf-8"))
    assert raw["logo"]["path"] == "../brand/logo.png"
    assert raw["extends"] == "../brand/brand.toml"
    assert load_theme("copy", tmp_path).logo == (tmp_path / "brand" / "logo.png").resolve()


def test_themes_new_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "themes", "new", "room-101", "--from", "dark")
    assert code == 0, err
    assert "themes/room-101.toml" in out.replace(os.sep, "/")
    assert load_theme("room-101", tmp_path).colors == load_theme("dark").colors
    code, out, _ = run(capsys, "themes")
    assert out.splitlines()[0].split()[:2] == ["room-101", "local"]
    # again: the file exists, nothing is overwritten
    code, out, err = run(capsys, "themes", "new", "room-101")
    assert code == 2 and "already exists" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "themes", "new", "../evil")
    assert code == 2 and "not a usable theme name" in err
    code, _, err = run(capsys, "themes", "new", "x", "--from", "nonesuch")
    assert code == 2 and "unknown theme 'nonesuch'" in err
    assert not (tmp_path / "themes" / "x.toml").exists()


def _cli(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "deckgen", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_theme_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: T\n---\n## A\ntext\n", "utf-8")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "typo.toml").write_text('[colors]\nbakground = "#FFFFFF"\n', "utf-8")
    cases = [
        (["--theme", "typo"], "unknown key 'bakground' in [colors]"),
        (["--theme", "nonesuch"], "unknown theme 'nonesuch'"),
        (["--theme", "missing.toml"], "theme file not found"),
    ]
    for extra, expected in cases:
        done = _cli(tmp_path, "build", str(post), "--offline", "--format", "pptx", "--out", "out", *extra)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("deckgen: error: "), done.stderr
        assert expected in lines[0] and "Traceback" not in done.stderr
    # the same through the post's front matter and through deckgen.toml
    post.write_text("---\ntitle: T\ntheme: typo\n---\n## A\ntext\n", "utf-8")
    done = _cli(tmp_path, "build", str(post), "--offline", "--format", "pptx", "--out", "out")
    assert done.returncode == 2 and "bakground" in done.stderr and "Traceback" not in done.stderr
    post.write_text("---\ntitle: T\n---\n## A\ntext\n", "utf-8")
    (tmp_path / "deckgen.toml").write_text('theme = "typo"\n', "utf-8")
    done = _cli(tmp_path, "build", str(post), "--offline", "--format", "pptx", "--out", "out")
    assert done.returncode == 2 and "typo.toml" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "post.pptx").exists()


def test_themes_new_writes_valid_toml_when_a_value_holds_a_newline_or_a_control_character(
    tmp_path: Path,
) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "odd.toml").write_text(
        'name = "odd"\nextends = "default"\n[fonts]\nlatin = ["Odd\\nFont", "Tab\\tand\\u007fDEL \\"q\\" \\\\"]\n',
        "utf-8",
    )
    path = new_theme("copy", "odd", tmp_path)
    raw = tomllib.loads(path.read_text("utf-8"))
    assert raw["fonts"]["latin"] == ["Odd\nFont", 'Tab\tand\x7fDEL "q" \\']
    assert load_theme("copy", tmp_path).fonts.latin == ("Odd\nFont", 'Tab\tand\x7fDEL "q" \\')


def _toml_escaped(text: str) -> str:
    """``text`` as a TOML string that spells every character as ``\\UXXXXXXXX``: independent
    of the writer under test."""
    return '"' + "".join(f"\\U{ord(ch):08X}" for ch in text) + '"'


_NO_SURROGATES = st.characters(blacklist_categories=("Cs",))
_FONT = st.text(_NO_SURROGATES, min_size=1, max_size=20).filter(str.strip)
_SIZE = st.one_of(st.integers(14, 120), st.floats(14, 120))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stem=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=30)
    .filter(lambda s: not s.startswith("~")),
    latin=st.lists(_FONT, min_size=1, max_size=3),
    code=_FONT,
    sizes=st.lists(_SIZE, min_size=5, max_size=5),
    footer=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="{}"), max_size=30),
)
def test_themes_new_writes_back_exactly_the_values_of_any_base_theme(
    stem: str, latin: list[str], code: str, sizes: list[float], footer: str
) -> None:
    floor, minimum, body, title = sorted(sizes[:4])
    code_size = max(sizes[4], floor)
    table = {"title": title, "body": body, "code": code_size, "minimum": minimum, "floor": floor}
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        (cwd / f"{stem}.toml").write_text(
            f"[fonts]\nlatin = [{', '.join(_toml_escaped(f) for f in latin)}]\ncode = {_toml_escaped(code)}\n"
            f"[footer]\ntext = {_toml_escaped(footer)}\n[sizes]\n"
            + "".join(f"{key} = {value!r}\n" for key, value in table.items()),
            "utf-8",
        )
        path = new_theme("copy", f"{stem}.toml", cwd)
        text = path.read_text("utf-8")
        raw = tomllib.loads(text)
        assert raw["extends"] == f"../{stem}.toml"
        assert raw["fonts"]["latin"] == latin and raw["fonts"]["code"] == code
        assert raw["footer"]["text"] == footer
        assert {k: (v, type(v)) for k, v in raw["sizes"].items()} == {k: (v, type(v)) for k, v in table.items()}
        assert text.splitlines()[0].startswith("# deckgen theme 'copy', made from ")
        assert load_theme("copy", cwd).sizes == load_theme(f"{stem}.toml", cwd).sizes


def test_themes_new_from_a_file_name_that_is_not_utf8_refuses_and_writes_nothing(tmp_path: Path) -> None:
    base = tmp_path / os.fsdecode(b"caf\xe9.toml")  # a Latin-1 name: undecodable, held as a surrogate
    base.write_text('description = "d"\n', "utf-8")
    with pytest.raises(InputError) as caught:
        new_theme("copy", base.name, tmp_path)
    assert caught.value.code.code == "E100" and caught.value.path == base
    assert not (tmp_path / "themes" / "copy.toml").exists()
