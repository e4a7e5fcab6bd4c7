"""deckgen where a course keeps its posts (issue 21): the package built with ``python -m build``
and installed in a fresh virtual environment, the pre-commit hook tried with ``pre-commit
try-repo``, and each shell step of the example GitHub Actions workflow run the way a runner runs
it, in a Jekyll site.

Nothing here uses the network: pip installs from a folder of wheels (``.ci/run`` fills
``.ci/cache/wheels`` with deckgen's dependencies and its build backend; ``$DECKGEN_WHEELHOUSE``
names another), and every other address goes to a closed port. Without the wheels, ``build``,
``pre-commit``, git or Jekyll the tests skip with the reason; under CI (``DECKGEN_NO_SKIP=1``) a
skip fails.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from deckgen import __version__
from support.sitekit import POSTS, make_site

pytestmark = [pytest.mark.slow]

WORKFLOW = ROOT / "docs" / "examples" / "decks.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PACKAGED = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "src", "themes")
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, every request is refused at once

BAD_POST = "---\ntitle: Bad\n---\n\nSee [the site](ttps://example.org).\n"
GOOD_POST = "---\ntitle: Good\n---\n\nSee [the site](https://example.org).\n"
A11Y_POST = "---\ntitle: Pictures\n---\n\nA chart:\n\n![](chart.png)\n"  # no description: A201


def png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 40, 40)).save(path)


def wheelhouse() -> Path:
    folder = Path(os.environ.get("DECKGEN_WHEELHOUSE") or ROOT / ".ci" / "cache" / "wheels")
    if not any(folder.glob("hatchling-*.whl")):
        pytest.skip(f"no wheels in {folder} (.ci/run makes them: python -m pip wheel -w {folder} . hatchling)")
    return folder


def offline_env(**extra: str) -> dict[str, str]:
    """The environment of a machine with no network: pip takes the wheels, nothing else answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "DECKGEN_"))}
    env.update(
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse()),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_CONFIG_FILE=os.devnull,
        HTTP_PROXY=CLOSED, HTTPS_PROXY=CLOSED, ALL_PROXY=CLOSED, http_proxy=CLOSED, https_proxy=CLOSED,
        NO_PROXY="", no_proxy="",
    )
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def git_repo(folder: Path) -> Path:
    """``folder`` as a git repository with everything in it committed."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    ident = ["-c", "user.email=test@example.org", "-c", "user.name=test", "-c", "commit.gpgsign=false"]
    for cmd in (["init", "-q"], ["add", "-A"], [*ident, "commit", "-qm", "files"]):
        subprocess.run([git, *cmd], cwd=folder, check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What is published of this repository, as a repository of its own (as a course's pre-commit
    fetches it), with a CI folder and a bench beside it that the sdist must leave out."""
    copy = tmp_path_factory.mktemp("deckgen-source") / "deckgen"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache")
    for name in PACKAGED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, copy / name, ignore=ignore)
        else:
            shutil.copy2(src, copy / name)
    for junk in (".ci/venv/lib/big.py", "bench/bench_x.py"):
        (copy / junk).parent.mkdir(parents=True, exist_ok=True)
        (copy / junk).write_text("x = 1\n", "utf-8")
    return git_repo(copy)


@pytest.fixture(scope="module")
def dist(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None:
        pytest.skip("the build package is not installed (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("dist")
    done = run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], source, offline_env())
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with nothing in it but pip."""
    folder = tmp_path_factory.mktemp("fresh") / "venv"
    venv.EnvBuilder(with_pip=True, symlinks=True).create(folder)
    return folder


# ---------------------------------------------------------------------------
# the workflow's steps, as a runner runs them


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def shell_steps() -> list[dict]:
    return [step for step in workflow()["jobs"]["build"]["steps"] if "run" in step]


def expand(text: str, values: dict[str, str]) -> str:
    """``${{ expression }}`` as the runner fills it in, for the expressions the steps use."""

    def one(match: re.Match[str]) -> str:
        expr = match.group(1).strip()
        if expr not in values:
            raise AssertionError(f"the test does not know the expression {expr!r}: add it to its values")
        return values[expr]

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def run_step(step: dict, site: Path, env: dict[str, str], values: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``run:`` as GitHub runs it with ``shell: bash``: the script in a file, ``bash --noprofile
    --norc -eo pipefail FILE``, the workflow's and the step's ``env`` added."""
    assert workflow()["defaults"]["run"]["shell"] == "bash"
    script = site.parent / "step.sh"
    script.write_text(expand(step["run"], values), "utf-8")
    step_env = dict(env)
    for scope in (workflow().get("env", {}), step.get("env", {})):
        step_env.update({k: expand(str(v), values) for k, v in scope.items()})
    return run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], site, step_env)


@pytest.fixture(scope="module")
def ran_workflow(
    dist: Path, fresh_venv: Path, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, dict[str, subprocess.CompletedProcess[str]]]]:
    """A course site (a git checkout of it) and what each shell step of the workflow did there,
    deckgen installed from the wheel just built (the step's DECKGEN_SPEC), Python the fresh venv's.
    reveal.js comes from the local package, as a runner's restored cache holds it (without it and
    without the network, npm waits two minutes before it gives up)."""
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not installed (Debian: apt-get install jekyll; .ci/run installs it)")
    site = make_site(tmp_path_factory.mktemp("course-repo") / "site")
    git_repo(site)
    wheel = next(dist.glob("deckgen-*.whl"))
    values = {"github.workspace": str(site), "runner.os": "Linux", "runner.temp": str(site.parent)}
    env = offline_env(
        PATH=f"{fresh_venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        HOME=str(site.parent),
        DECKGEN_REVEAL_JS=str(reveal_source),
    )
    done: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in shell_steps():
        if "DECKGEN_SPEC" in step["run"]:  # what a release would be: the wheel just built
            step = {**step, "env": {**step.get("env", {}), "DECKGEN_SPEC": str(wheel)}}
        result = run_step(step, site, env, values)
        done[step["name"]] = result
        assert result.returncode == 0, f"{step['name']}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    yield site, done


def test_the_workflow_is_the_documented_one() -> None:
    flow = workflow()
    steps = flow["jobs"]["build"]["steps"]
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    assert cache["with"]["path"] == ".deckgen-cache"
    assert flow["env"]["DECKGEN_CACHE_DIR"] == "${{ github.workspace }}/.deckgen-cache"
    assert "hashFiles('_posts/**', 'assets/**')" in cache["with"]["key"]  # a new cache when a post changes
    assert [s["name"] for s in shell_steps()] == [
        "Install deckgen and Jekyll", "Check the posts", "Build the decks into the site", "Build the site",
    ]
    assert "publishing.md" in WORKFLOW.read_text("utf-8")


def test_each_step_runs_offline_and_the_site_carries_the_decks(
    ran_workflow: tuple[Path, dict[str, subprocess.CompletedProcess[str]]],
) -> None:
    site, done = ran_workflow
    assert f"deckgen {__version__}" in done["Install deckgen and Jekyll"].stdout
    built = done["Build the decks into the site"].stdout
    assert built.count("slides") >= len(POSTS) and "site data" in built
    for post in POSTS:
        assert (site / "_site" / "slides" / post.stem / "index.html").is_file()
        assert (site / "_site" / "slides" / f"{post.stem}.handout-2.pdf").is_file()
    cache = site / ".deckgen-cache"
    assert cache.is_dir() and any(cache.rglob("*"))  # what actions/cache keeps for the next run


def test_the_check_step_fails_on_a_broken_link(
    ran_workflow: tuple[Path, dict[str, subprocess.CompletedProcess[str]]], fresh_venv: Path
) -> None:
    site, _ = ran_workflow
    (site / "_posts" / "2024-05-01-bad.md").write_text(BAD_POST, "utf-8")
    try:
        step = next(s for s in shell_steps() if s["name"] == "Check the posts")
        env = offline_env(PATH=f"{fresh_venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
        result = run_step(step, site, env, {"github.workspace": str(site)})
        assert result.returncode == 1 and "[L203]" in result.stdout
    finally:
        (site / "_posts" / "2024-05-01-bad.md").unlink()


# ---------------------------------------------------------------------------
# the package


def test_the_wheel_and_sdist_carry_what_a_fresh_machine_needs(dist: Path) -> None:
    wheel = next(dist.glob(f"deckgen-{__version__}-py3-none-any.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = zf.read(f"deckgen-{__version__}.dist-info/METADATA").decode("utf-8")
    assert {"deckgen/themes/default.toml", "deckgen/themes/dark.toml", "deckgen/py.typed", "deckgen/cli/__init__.py"} <= names
    for field in ("License-Expression: MIT", "Project-URL: Source", "Classifier: Topic :: Education",
                  "Keywords:", "Author:", "Requires-Python: >=3.11", "Description-Content-Type: text/markdown"):
        assert field in meta, field
    assert "# deckgen" in meta  # the README is the long description
    import tarfile

    sdist = next(dist.glob(f"deckgen-{__version__}.tar.gz"))
    with tarfile.open(sdist) as tf:
        members = {m.name.split("/", 1)[1] for m in tf.getmembers() if "/" in m.name}
    assert "src/deckgen/course/page.py" in members and "themes/default.toml" in members and "LICENSE" in members
    assert not any(m.startswith((".ci", "bench")) for m in members)


def test_the_wheel_installs_in_a_fresh_venv_and_builds_a_post_offline(
    ran_workflow: tuple[Path, dict[str, subprocess.CompletedProcess[str]]], fresh_venv: Path, tmp_path: Path
) -> None:
    deckgen = fresh_venv / "bin" / "deckgen"
    env = offline_env(HOME=str(tmp_path), DECKGEN_CACHE_DIR=str(tmp_path / "cache"))
    version = run([str(deckgen), "--version"], tmp_path, env)
    assert version.stdout.strip() == f"deckgen {__version__}"
    themes = run([str(deckgen), "themes"], tmp_path, env)
    assert all(name in themes.stdout for name in ("default", "dark", "high-contrast"))
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "post.md").write_text(
        "---\ntitle: One post\n---\n\nAn abstract.\n\n---\n## A picture from the web\n\n![a chart](https://example.org/chart.png)\n",
        "utf-8",
    )
    done = run([str(deckgen), "build", "post.md", "--offline", "--format", "pptx,pdf"], folder, env)
    assert done.returncode == 0, done.stderr
    assert "placeholders" in done.stdout  # the picture it could not have, drawn as a placeholder
    assert (folder / "build" / "post.pptx").is_file() and (folder / "build" / "post.pdf").is_file()


# ---------------------------------------------------------------------------
# the pre-commit hook


def test_the_hook_is_deckgen_check_offline_leaving_accessibility_to_the_course() -> None:
    hooks = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert [h["id"] for h in hooks] == ["deckgen-check"]
    hook = hooks[0]
    assert hook["entry"] == "deckgen check --offline" and hook["args"] == ["--ignore", "accessibility"]
    assert hook["language"] == "python" and hook["types"] == ["markdown"]
    assert re.search(hook["exclude"], "README.md") and not re.search(hook["exclude"], "_posts/2024-01-01-x.md")


def test_the_hooks_command_fails_on_mistakes_and_leaves_accessibility_out(tmp_path: Path) -> None:
    from deckgen.cli import main

    hook = yaml.safe_load(HOOKS.read_text("utf-8"))[0]
    command = [*hook["entry"].split()[1:], *hook["args"]]
    for name, text in (("bad.md", BAD_POST), ("good.md", GOOD_POST), ("a11y.md", A11Y_POST)):
        (tmp_path / name).write_text(text, "utf-8")
    png(tmp_path / "chart.png")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert main([*command, *cache, str(tmp_path / "bad.md")]) == 1
    assert main([*command, *cache, str(tmp_path / "good.md"), str(tmp_path / "a11y.md")]) == 0
    assert main([*hook["entry"].split()[1:], *cache, str(tmp_path / "a11y.md")]) == 1  # args: [] opts in


@pytest.fixture(scope="module")
def posts_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("posts-repo")
    for name, text in (("post.md", BAD_POST), ("good.md", GOOD_POST), ("a11y.md", A11Y_POST)):
        (folder / name).write_text(text, "utf-8")
    png(folder / "chart.png")
    return git_repo(folder)


def try_repo(source: Path, posts: Path, *files: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    env = offline_env(PRE_COMMIT_HOME=str(posts.parent / "pre-commit-home"), HOME=str(posts.parent))
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(source), "deckgen-check", "--files", *files]
    return run(cmd, posts, env)


def test_pre_commit_try_repo_fails_on_a_ttps_link(source: Path, posts_repo: Path) -> None:
    done = try_repo(source, posts_repo, "post.md")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert "post.md:5:" in done.stdout and "[L203]" in done.stdout


def test_pre_commit_try_repo_passes_clean_posts_and_accessibility_findings(source: Path, posts_repo: Path) -> None:
    done = try_repo(source, posts_repo, "good.md", "a11y.md")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Passed" in done.stdout
