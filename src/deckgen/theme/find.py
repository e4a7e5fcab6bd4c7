"""Where themes are: the built-in ones, a project's ``./themes/``, a path to a .toml file; and a
path as a theme's error messages show it."""

from __future__ import annotations

from pathlib import Path

from deckgen.errors import ThemeError


def builtin_dir() -> Path:
    """The built-in themes: inside the installed package, or ``themes/`` of a checkout."""
    packaged = Path(__file__).parents[1] / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "themes"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def local_dir(cwd: Path | None = None) -> Path:
    return (cwd or Path.cwd()) / "themes"


def find_theme(name_or_path: str, cwd: Path | None = None, relative_to: Path | None = None) -> Path:
    """A theme name (``./themes/`` first, then the built-ins) or a path to a .toml file.

    A relative path is taken from ``relative_to`` (the folder of a theme that ``extends`` it),
    else from ``cwd``.
    """
    if not isinstance(name_or_path, str) or not name_or_path.strip():
        raise ThemeError("empty theme name", hint="give a NAME or a path to a .toml file")
    if name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        candidate = Path(name_or_path).expanduser()
        if not candidate.is_absolute():
            candidate = (relative_to or cwd or Path.cwd()) / candidate
        if candidate.is_file():
            return candidate
        raise ThemeError("theme file not found", candidate, hint="give a NAME or a path to a .toml file")
    for folder in (local_dir(cwd), builtin_dir()):
        path = folder / f"{name_or_path}.toml"
        if path.is_file():
            return path
    raise ThemeError(f"unknown theme '{name_or_path}'", hint=f"known themes: {', '.join(known_names(cwd))}")


def known_names(cwd: Path | None = None) -> list[str]:
    local = local_dir(cwd)
    names = {p.stem for p in local.glob("*.toml")} if local.is_dir() else set()
    return sorted(names | set(builtin_names()))


def shown(path: Path) -> Path:
    """A path as error messages show it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return path
