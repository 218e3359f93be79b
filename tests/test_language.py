"""Language: an article the checker cannot analyse (not English) is named, never silently ignored,
and a short English article is never set aside."""

import json

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app
from discrepancy.language import detect_language, language_name

from .conftest import shared_cache, write_article

SPANISH = ("Siete personas murieron cuando el puente de Kestrel Falls se derrumbó el martes por la noche, "
           "según las autoridades locales. La gobernadora declaró el estado de emergencia y pidió calma a los "
           "vecinos. Los equipos de rescate trabajaron toda la noche para llegar a los coches que cayeron al río.")
ENGLISH_A = ("Seven people were killed when the bridge in Kestrel Falls collapsed on Tuesday evening, local "
             "officials said. Rescue teams worked through the night to reach cars that fell into the river.")
ENGLISH_B = ("The bridge in Kestrel Falls gave way on Tuesday, killing nine people, the regional police said. "
             "The steel bridge was built in 1978 and last inspected in 2019.")


def test_a_spanish_article_is_not_analysed_and_named():
    guess = detect_language(SPANISH)
    assert (guess.code, guess.name, guess.analysed) == ("es", "Spanish", False)
    assert guess.confidence > 0.9


@pytest.mark.parametrize("text", [
    "Rain fell.",  # the model's best guess is Welsh, unsure
    "Ferry Dawn sank near Port Alba.",
    "Kestrel Falls bridge: 7 dead",
    "Officials confirmed it.",
    "Mayor Peter Hansen resigns",
    "Sergio Navarro, Juan Carlos Pérez and María López were among the victims.",  # Spanish names, English text
    ENGLISH_A,
    "",
])
def test_short_or_plain_english_is_analysed(text):
    assert detect_language(text).analysed


def test_detection_is_deterministic():
    assert [detect_language(SPANISH) for _ in range(3)] == [detect_language(SPANISH)] * 3


def test_language_names_come_from_iso_639():
    assert language_name("de") == "German" and language_name("pcm") == "Nigerian Pidgin"
    assert language_name("qq") == "qq"


def test_check_warns_and_reports_the_article_it_did_not_analyse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages")
    write_article(folder, "a_wire.txt", ENGLISH_A, source="Wire One", published="2026-03-04")
    write_article(folder, "b_paper.txt", ENGLISH_B, source="Daily Paper", published="2026-03-04")
    write_article(folder, "c_diario.txt", SPANISH, source="El Diario", published="2026-03-04")
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["check", str(folder), "--cache-dir", str(shared_cache(tmp_path_factory)),
                                      "-o", str(out / "r.md"), "--json", str(out / "r.json"),
                                      "--html", str(out / "r.html"), "--csv", str(out / "r.csv")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "c_diario.txt" in line]
    assert warnings == ["warning: not analysed: c_diario.txt is in Spanish (only English articles are analysed)"]
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in data["documents"]] == ["a_wire", "b_paper"]
    assert data["skipped"] == [{"path": "c_diario.txt", "reason": "not analysed: Spanish; only English articles "
                                "are analysed", "language": "Spanish"}]
    for name in ("r.md", "r.html"):
        assert "not analysed: Spanish" in (out / name).read_text(encoding="utf-8"), name


def test_an_english_article_beside_a_spanish_one_is_nothing_to_compare_and_says_why(tmp_path):
    from discrepancy.errors import NothingToCompare

    from .conftest import prepare_texts

    with pytest.raises(NothingToCompare, match="c_diario.txt: not analysed: Spanish"):
        prepare_texts(tmp_path, {"a_wire.txt": ENGLISH_A, "c_diario.txt": SPANISH})
