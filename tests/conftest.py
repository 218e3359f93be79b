"""Shared fixtures: the S-400 corpus is checked once per test session."""

from pathlib import Path

import pytest

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


def write_article(folder: Path, name: str, body: str, **front) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = ""
    if front:
        header = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n"
    path = folder / name
    path.write_text(header + body, encoding="utf-8")
    return path
