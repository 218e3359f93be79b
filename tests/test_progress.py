"""Progress: a spinner says "loading model…" while the model loads, then the embedding bar counts."""

import io

from rich.console import Console

import discrepancy.embedding as embedding
from discrepancy.progress import RichProgress, StageRecorder


def test_the_model_stage_comes_before_the_embedding_count(monkeypatch):
    calls = []
    real = embedding.load_model()
    monkeypatch.setattr(embedding, "load_model",
                        lambda model, device, backend="torch": (calls.append(("loaded",)), real)[1])
    embedding.embed_sentences(["one", "two", "three"], progress=lambda *c: calls.append(c))
    assert calls[:3] == [("model", 0, 0), ("loaded",), ("model", 1, 1)]
    assert calls[3] == ("embed", 0, 3) and calls[-1] == ("embed", 3, 3)


def test_no_model_stage_when_everything_is_cached(monkeypatch, tmp_path):
    cache = embedding.EmbeddingCache(tmp_path / "e.sqlite")
    embedding.embed_sentences(["one"], cache=cache)

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded for a cached text")

    monkeypatch.setattr(embedding, "load_model", no_model)
    calls = []
    embedding.embed_sentences(["one"], cache=cache, progress=lambda *c: calls.append(c))
    assert calls == [("embed", 0, 0)]


def test_the_spinner_shows_a_label_and_no_count():
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=120, color_system=None)
    with RichProgress(console) as bars:
        bars("segment", 0, 10)
        bars("segment", 10, 10)
        bars("model", 0, 0)
        bars("model", 1, 1)
        bars("embed", 0, 647)
        bars("embed", 647, 647)
    text = stream.getvalue()
    assert "loading model…" in text
    model_lines = [line for line in text.splitlines() if "loading model…" in line]
    assert model_lines and not any("/" in line.split("loading model…")[1] for line in model_lines)
    assert "0/?" not in text and "647/647" in text


def test_the_benchmark_times_model_loading_as_part_of_embedding():
    recorder = StageRecorder()
    for call in [("segment", 0, 5), ("model", 0, 0), ("model", 1, 1), ("embed", 0, 9), ("embed", 9, 9),
                 ("align", 0, 1)]:
        recorder(*call)
    recorder.close()
    assert recorder.order == ["segment", "embed", "align"] and recorder.totals["embed"] == 9
