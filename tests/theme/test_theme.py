"""Themes: loading, ``extends``, the lookup order, validation errors and WCAG contrast."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PIL import Image

from deckgen.errors import InputError, ThemeError
from deckgen.theme import (
    SCHEMA,
    builtin_dir,
    builtin_names,
    contrast_pairs,
    contrast_ratio,
    find_theme,
    load_theme,
)

ROOT = Path(__file__).resolve().parents[2]
BUILTINS = ("default", "dark", "high-contrast")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def png(path: Path, size: tuple[int, int] = (64, 64)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 30, 30)).save(path)
    return path


# ---------------------------------------------------------------------------
# the built-in themes


def test_the_built_in_themes_are_the_repository_themes_folder() -> None:
    assert set(BUILTINS) <= set(builtin_names())
    assert builtin_dir().resolve() in (
        ROOT / "themes",
        Path(__import__("deckgen").__file__).parent / "themes",
    )


def test_default_theme_sets_every_key_of_the_schema() -> None:
    with (ROOT / "themes" / "default.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    for section, keys in SCHEMA.items():
        table = raw if section == "" else raw[section]
        for key in keys:
            if section == "" and key == "extends":
                continue  # the root of every chain extends nothing
            assert key in table, f"{section}.{key}"


@pytest.mark.parametrize("name", BUILTINS)
def test_each_built_in_theme_loads_with_fonts_for_windows_macos_and_linux(name: str) -> None:
    theme = load_theme(name)
    assert theme.name == name and theme.description
    fonts = theme.fonts
    # one family each system ships, in every list
    assert {"Arial", "Helvetica Neue", "Liberation Sans"} <= set(fonts.latin)
    assert {"Microsoft JhengHei", "PingFang TC", "Noto Sans CJK TC"} <= set(fonts.east_asian)
    assert {"Consolas", "Menlo", "Liberation Mono"} <= set(fonts.code)
    assert theme.slide_size == "16:9" and (theme.width, theme.height) == (960, 540)
    assert theme.sizes.floor >= 14


def test_dark_and_high_contrast_state_only_what_they_change() -> None:
    with (ROOT / "themes" / "dark.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    assert raw["extends"] == "default"
    assert "fonts" not in raw and "footer" not in raw
    dark, default = load_theme("dark"), load_theme("default")
    assert dark.fonts == default.fonts and dark.footer == default.footer
    assert dark.colors.background != default.colors.background


# ---------------------------------------------------------------------------
# contrast (WCAG 2.x), computed here from the theme files, independently of theme.py


def _luminance(hex6: str) -> float:
    def lin(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex6.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _ratio(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _colors_from_files(name: str) -> dict[str, str]:
    """The [colors] of a built-in theme file, with what it extends underneath."""
    colors: dict[str, str] = {}
    chain = []
    while name:
        with (ROOT / "themes" / f"{name}.toml").open("rb") as handle:
            raw = tomllib.load(handle)
        chain.append(raw)
        name = raw.get("extends", "")
    for raw in reversed(chain):
        colors.update(raw.get("colors", {}))
    return colors


def _code_style(name: str) -> str:
    while name:
        with (ROOT / "themes" / f"{name}.toml").open("rb") as handle:
            raw = tomllib.load(handle)
        if "style" in raw.get("code", {}):
            return raw["code"]["style"]
        name = raw.get("extends", "")
    raise AssertionError("no code style")


REQUIRED = {"default": 4.5, "dark": 4.5, "high-contrast": 7.0}


@pytest.mark.parametrize("name", BUILTINS)
def test_every_text_color_has_enough_contrast_on_its_background(name: str) -> None:
    c = _colors_from_files(name)
    need = REQUIRED[name]
    pairs = {
        "text": (c["text"], c["background"]),
        "heading": (c["heading"], c["background"]),
        "link": (c["link"], c["background"]),
        "muted (footer, numbers)": (c["muted"], c["background"]),
        "code text": (c["code_text"], c["code_background"]),
        "text on code background": (c["text"], c["code_background"]),
        "link on code background": (c["link"], c["code_background"]),
        "title band / table header": (c["background"], c["accent"]),
    }
    low = {what: round(_ratio(*pair), 2) for what, pair in pairs.items() if _ratio(*pair) < need}
    assert low == {}, f"{name}: below {need}:1: {low}"


@pytest.mark.parametrize("name", BUILTINS)
def test_every_color_of_the_code_highlighting_style_is_readable(name: str) -> None:
    from pygments.styles import get_style_by_name

    background = _colors_from_files(name)["code_background"]
    style = _code_style(name)
    need = REQUIRED[name]
    low = {
        col: round(_ratio(col, background), 2)
        for col in {info["color"] for _, info in get_style_by_name(style) if info["color"]}
        if _ratio(col, background) < need
    }
    assert low == {}, f"{name}: code style {style} below {need}:1 on #{background}: {low}"


def test_theme_contrast_helpers_agree_with_wcag() -> None:
    assert contrast_ratio("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("FFFFFF", "777777") == contrast_ratio("777777", "FFFFFF")
    for name in BUILTINS:
        for pair in contrast_pairs(load_theme(name)):
            assert pair.ratio == pytest.approx(_ratio(pair.foreground, pair.background))
            assert pair.ratio >= REQUIRED[name], (name, pair.what, round(pair.ratio, 2))


# ---------------------------------------------------------------------------
# extends and lookup


def test_a_theme_states_only_what_it_changes(tmp_path: Path) -> None:
    write(tmp_path / "themes" / "school.toml", 'extends = "dark"\n[colors]\naccent = "#c0ffee"\n')
    theme = load_theme("school", tmp_path)
    dark = load_theme("dark")
    assert theme.name == "school"  # its own name, not the parent's
    assert theme.description == ""
    assert theme.colors.accent == "C0FFEE"
    assert theme.colors.background == dark.colors.background
    assert theme.code_style == dark.code_style
    assert theme.fonts == dark.fonts


def test_without_extends_a_theme_extends_default(tmp_path: Path) -> None:
    write(tmp_path / "themes" / "mini.toml", "[sizes]\nbody = 28\ntitle = 40\n")
    theme = load_theme("mini", tmp_path)
    assert theme.sizes.body == 28 and theme.colors == load_theme("default").colors


def test_extends_chains_and_relative_paths(tmp_path: Path) -> None:
    write(tmp_path / "base" / "base.toml", 'extends = "high-contrast"\n[logo]\npath = "logo.png"\n')
    png(tmp_path / "base" / "logo.png")
    write(
        tmp_path / "themes" / "child.toml", 'extends = "../base/base.toml"\n[footer]\nslide_numbers = false\n'
    )
    theme = load_theme("child", tmp_path)
    assert theme.logo == (tmp_path / "base" / "logo.png").resolve()  # relative to base.toml
    assert theme.sizes.body == load_theme("high-contrast").sizes.body
    assert theme.slide_numbers is False


def test_a_local_theme_comes_before_the_built_in_of_that_name(tmp_path: Path) -> None:
    write(
        tmp_path / "themes" / "dark.toml",
        'extends = "dark"\ndescription = "ours"\n[colors]\ntext = "#FFFFFF"\n',
    )
    theme = load_theme("dark", tmp_path)
    assert theme.description == "ours" and theme.colors.text == "FFFFFF"
    assert theme.colors.background == load_theme("dark").colors.background  # from the built-in
    assert find_theme("dark", tmp_path) == tmp_path / "themes" / "dark.toml"
    assert find_theme("high-contrast", tmp_path) == builtin_dir() / "high-contrast.toml"


def test_themes_extending_each_other_in_a_circle(tmp_path: Path) -> None:
    write(tmp_path / "themes" / "a.toml", 'extends = "b"\n')
    write(tmp_path / "themes" / "b.toml", 'extends = "a"\n')
    with pytest.raises(ThemeError, match="circle"):
        load_theme("a", tmp_path)


# ---------------------------------------------------------------------------
# validation: one clear line saying what and where


def _error(tmp_path: Path, text: str) -> ThemeError:
    path = write(tmp_path / "themes" / "bad.toml", text)
    with pytest.raises(ThemeError) as info:
        load_theme("bad", tmp_path)
    message = str(info.value)
    assert str(path) in message or "bad.toml" in message, message
    assert "\n" not in message
    assert info.value.exit_code == 2
    return info.value


def test_unknown_key_names_the_key_the_file_and_the_valid_keys(tmp_path: Path) -> None:
    err = _error(tmp_path, '[colors]\nbackgroud = "#FFFFFF"\n')
    text = str(err)
    assert "backgroud" in text and "bad.toml" in text
    for key in SCHEMA["colors"]:
        assert key in text


def test_unknown_section_and_top_level_key(tmp_path: Path) -> None:
    assert "[colours]" in str(_error(tmp_path, '[colours]\ntext = "#000000"\n'))
    text = str(_error(tmp_path, 'nmae = "x"\n'))
    assert "nmae" in text and "extends" in text and "[colors]" in text
    assert "must be a section" in str(_error(tmp_path, 'colors = "red"\n'))


@pytest.mark.parametrize("value", ['"red"', '"#12345"', '"#GGGGGG"', "123"])
def test_bad_color(tmp_path: Path, value: str) -> None:
    text = str(_error(tmp_path, f"[colors]\nlink = {value}\n"))
    assert "colors.link" in text and "not a color" in text and "#RRGGBB" in text


def test_short_colors_are_expanded(tmp_path: Path) -> None:
    write(tmp_path / "themes" / "short.toml", '[colors]\nlink = "#03c"\n')
    assert load_theme("short", tmp_path).colors.link == "0033CC"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[logo]\npath = "nowhere.png"\n', "logo.path': file not found"),
        ('[pptx]\ntemplate = "school.pptx"\n', "pptx.template': file not found"),
        ('[html]\ncss = "extra.css"\n', "html.css': file not found"),
        ('[fonts]\nfiles = ["School.ttf"]\n', "fonts.files': file not found"),
        ('[slide]\nsize = "21:9"\n', "not a slide size"),
        ('[title_slide]\nstyle = "fancy"\n', "title_slide.style"),
        ('[logo]\ncorner = "middle"\n', "not a corner"),
        ('[code]\nstyle = "no-such-style"\n', "not a Pygments style"),
        ("[sizes]\nbody = 10\nminimum = 10\nfloor = 10\n", "14 <= floor"),
        ('[sizes]\nbody = "big"\n', "not a size"),
        ('[footer]\nslide_numbers = "yes"\n', "true or false"),
        ('[footer]\ntext = "{titel}"\n', "{titel}"),
        ("[fonts]\nlatin = []\n", "font name"),
        ('extends = "nonesuch"\n', "unknown theme 'nonesuch'"),
        ("[colors\n", "not valid TOML"),
    ],
)
def test_invalid_values_say_what_and_where(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in str(_error(tmp_path, text))


def test_a_logo_or_template_that_is_not_what_it_claims(tmp_path: Path) -> None:
    write(tmp_path / "themes" / "logo.png", "not a picture")
    assert "not a picture" in str(_error(tmp_path, '[logo]\npath = "logo.png"\n'))
    write(tmp_path / "themes" / "t.pptx", "not a zip")
    assert "not a PowerPoint" in str(_error(tmp_path, '[pptx]\ntemplate = "t.pptx"\n'))
    write(tmp_path / "themes" / "f.ttf", "not a font")
    assert "cannot read the font" in str(_error(tmp_path, '[fonts]\nfiles = ["f.ttf"]\n'))


def test_a_template_of_the_other_slide_shape_is_refused(tmp_path: Path) -> None:
    from pptx import Presentation

    (tmp_path / "themes").mkdir()
    Presentation().save(str(tmp_path / "themes" / "four-three.pptx"))  # python-pptx's own is 4:3
    text = str(_error(tmp_path, '[pptx]\ntemplate = "four-three.pptx"\n'))
    assert "4:3" in text and "slide.size" in text


def test_unknown_theme_lists_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path / "themes" / "school.toml", "")
    with pytest.raises(InputError) as info:
        load_theme("nope", tmp_path)
    assert "school" in str(info.value) and "high-contrast" in str(info.value)


def test_the_themes_ship_inside_the_wheel() -> None:
    """``themes/`` is copied to ``deckgen/themes`` in the wheel, where ``builtin_dir`` looks first.

    (Checked by hand too: ``python -m pip wheel . --no-deps -w DIR`` lists deckgen/themes/*.toml.)
    """
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)
    force = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force["themes"] == "deckgen/themes"
