"""Shared pytest fixtures for the deckgen test suite."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# the local test server is never reached through a proxy, whatever the environment says
os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY", ""), "127.0.0.1", "localhost"]))
os.environ["no_proxy"] = os.environ["NO_PROXY"]

_TESTS_DIR = str(Path(__file__).resolve().parent)
if _TESTS_DIR not in sys.path:  # make `from support.imageserver import ...` work from any rootdir
    sys.path.insert(0, _TESTS_DIR)

if TYPE_CHECKING:
    from support.imageserver import ImageServer


@pytest.fixture(scope="session")
def image_server() -> Iterator[ImageServer]:
    """A started local ImageServer (127.0.0.1) shared by the whole session.

    Tests that change ``delay`` must restore it; use ``reset_log()`` before counting hits.
    """
    from support.imageserver import ImageServer

    with ImageServer() as server:
        yield server


ROOT = Path(__file__).resolve().parents[1]
LECTURE = ROOT / "lecture" / "large-language-models.md"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    """Under CI (DECKGEN_NO_SKIP=1) a skipped test is a failed test: CI must run them all."""
    import os

    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("DECKGEN_NO_SKIP") == "1" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped, but DECKGEN_NO_SKIP=1 requires this test to run: {reason}"


@pytest.fixture(scope="session")
def reveal_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pinned reveal.js package: $DECKGEN_REVEAL_JS, else ``npm pack`` it once."""
    import os
    import shutil

    env = os.environ.get("DECKGEN_REVEAL_JS")
    if env and Path(env).exists():
        return Path(env)
    from deckgen.assets.revealjs import npm_pack

    if shutil.which("npm"):
        got = npm_pack(tmp_path_factory.mktemp("reveal"))
        if got is not None:
            return got
    pytest.skip("reveal.js is not available: set DECKGEN_REVEAL_JS to its npm .tgz or folder")


@pytest.fixture(scope="session")
def xsd_folder() -> Path:
    """The ECMA-376 schemas (``../shared/xsd`` beside the repository, or ``$DECKGEN_XSD_DIR``).
    Missing, the test skips, except under CI (DECKGEN_NO_SKIP=1), where it fails."""
    import os

    from support.ooxml import xsd_dir

    folder = xsd_dir()
    if (folder / "pml.xsd").is_file():
        return folder
    why = f"no ECMA-376 schemas at {folder} (../shared/xsd beside the repository, or set DECKGEN_XSD_DIR)"
    if os.environ.get("DECKGEN_NO_SKIP") == "1":
        pytest.fail(why)
    pytest.skip(why)
