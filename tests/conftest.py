"""Shared fixtures: the S-400 corpus is checked once per test session."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Default caches go to the user's cache directory: in tests, a fresh one per session, never ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="discrepancy-tests-xdg-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
S400 = ROOT / "corpus" / "s400"


@pytest.fixture(scope="session")
def nlp():
    from discrepancy.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def s400_result(tmp_path_factory):
    from discrepancy.pipeline import check_corpus

    return check_corpus(S400, cache_dir=tmp_path_factory.mktemp("cache"))


def shared_cache(tmp_path_factory) -> Path:
    """One embedding cache for the whole session: tests re-use vectors instead of re-encoding."""
    path = tmp_path_factory.getbasetemp() / "discrepancy-shared-cache"
    path.mkdir(exist_ok=True)
    return path


def copy_s400(tmp_path_factory, name: str) -> Path:
    """A private copy of corpus/s400 a test may write into (review store, config)."""
    folder = tmp_path_factory.mktemp(name)
    for f in S400.iterdir():
        if f.is_file():
            shutil.copy(f, folder / f.name)
    return folder


def write_article(folder: Path, name: str, body: str, **front) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = ""
    if front:
        header = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n"
    path = folder / name
    path.write_text(header + body, encoding="utf-8")
    return path


BRIDGE = {
    "a.txt": "The bridge in Kestrel Falls collapsed on 3 March 2025. Four people were injured, the mayor said.",
    "b.txt": "The bridge in Kestrel Falls collapsed on 3 March 2025. Six people were injured, the police said.",
}
FERRY = {
    "a.txt": "The Ferry Dawn ran aground near Port Alder on Tuesday evening. It carried 120 passengers, the "
             "operator said. Tugs from the harbour reached the ship within an hour.",
    "b.txt": "Rescue crews spent the night beside the Ferry Dawn, stuck on a sandbank near Port Alder since "
             "Tuesday. According to the coast guard, 140 passengers were aboard. Nobody was hurt.",
}


def make_events(root: Path, with_bad: bool = True) -> Path:
    """ROOT/bridge (two articles, a PDF) and ROOT/ferry (two articles), and ROOT/lonely (one article: it cannot
    be checked)."""
    for name, articles in (("bridge", BRIDGE), ("ferry", FERRY)):
        for file, body in articles.items():
            write_article(root / name, file, body)
    (root / "bridge" / "photo.pdf").write_bytes(b"%PDF-1.4 not an article")  # skipped, with a warning
    if with_bad:
        write_article(root / "lonely", "a.txt", "The Ferry Dawn ran aground on Tuesday.")
    return root


def ray_or_skip():
    """The ray module; without it a skip that says why (a failure where CI sets DISCREPANCY_RAY_REQUIRED)."""
    try:
        import ray
    except ImportError:
        if os.environ.get("DISCREPANCY_RAY_REQUIRED"):
            pytest.fail("DISCREPANCY_RAY_REQUIRED is set but ray is not installed (pip install 'discrepancy[ray]')")
        pytest.skip("ray is not installed (pip install 'discrepancy[ray]'): the Ray path is not tested here")
    return ray


def one_line_error(result, *needles: str, code: int = 2) -> None:
    """A CLI result that failed with `code` and exactly one `error:` line holding every needle."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def prepare_texts(folder: Path, articles: dict[str, str], cache: Path | None = None, **front):
    """A small corpus written to `folder` ({file name: body}) and prepared up to the slot features."""
    from discrepancy.pipeline import prepare_corpus

    for name, body in articles.items():
        write_article(folder, name, body, **front)
    return prepare_corpus(folder, cache_dir=cache, jobs=1)


def value_rows(prepared, text: str) -> list[int]:
    """Table rows of the values whose text is `text`."""
    return [i for i in range(len(prepared.table)) if prepared.table.value(i).text == text]
