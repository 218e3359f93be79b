"""Many folders in one run (`discrepancy.batch`): which folders, one result each, the index, and Ray."""

import json
import sys

import pytest

from discrepancy.batch import (
    BatchOptions,
    FolderResult,
    batch_exit_code,
    check_folder,
    check_folders,
    event_folders,
    folder_names,
    import_ray,
    index_data,
    index_markdown,
    unreachable,
    write_folder_reports,
    write_index,
)
from discrepancy.errors import DiscrepancyError
from discrepancy.pipeline import check_corpus
from discrepancy.reporting import render_reports

from .conftest import make_events, ray_or_skip, shared_cache, write_article


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return shared_cache(tmp_path_factory)


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    return make_events(tmp_path_factory.mktemp("events"))


@pytest.fixture(scope="module")
def local_results(events, cache):
    return check_folders([events / "bridge", events / "lonely", events / "ferry"],
                         BatchOptions(cache_dir=str(cache), formats=("md", "json", "csv")))


def test_each_subfolder_holding_articles_is_an_event(tmp_path):
    make_events(tmp_path)
    (tmp_path / ".hidden").mkdir()
    write_article(tmp_path / ".hidden", "a.txt", "Hidden folders are not events.")
    (tmp_path / "empty").mkdir()
    write_article(tmp_path / "notes", "todo.pdf", "not an article file type")
    reports = tmp_path / "reports"  # a folder of our own reports holds no articles
    write_folder_reports(FolderResult("x", "x", {}, {"md": "# Discrepancy report: x\n"}), reports)
    assert [p.name for p in event_folders(tmp_path)] == ["bridge", "ferry", "lonely"]
    assert [p.name for p in event_folders(tmp_path, exclude=[tmp_path / "ferry"])] == ["bridge", "lonely"]


def test_a_root_without_events_is_a_one_line_error(tmp_path):
    with pytest.raises(DiscrepancyError, match="no subfolder of .* holds articles"):
        event_folders(tmp_path)
    with pytest.raises(DiscrepancyError, match="folder not found"):
        event_folders(tmp_path / "missing")


def test_report_names_must_not_collide(tmp_path):
    assert folder_names([tmp_path / "a" / "x", tmp_path / "y"]) == ["x", "y"]
    with pytest.raises(DiscrepancyError, match="two folders are named 'x'"):
        folder_names([tmp_path / "a" / "x", tmp_path / "b" / "x"])
    with pytest.raises(DiscrepancyError, match="would overwrite the index"):
        folder_names([tmp_path / "index"])


def test_one_result_per_folder_in_order_and_a_bad_folder_does_not_stop_the_others(local_results, events, cache):
    assert [r.name for r in local_results] == ["bridge", "lonely", "ferry"]
    bridge, lonely, ferry = local_results
    assert bridge.ok and ferry.ok and not lonely.ok
    assert "nothing to compare" in lonely.error and str(events / "lonely") in lonely.error
    assert lonely.exit_code == 2 and lonely.reports == {}
    # Each folder's reports are what a single-folder run renders.
    for result in (bridge, ferry):
        single = check_corpus(events / result.name, cache_dir=cache / result.name)
        assert result.reports == render_reports(single, ("md", "json", "csv"))
        assert result.summary["articles"] == 2
    assert bridge.summary["conflicts"] >= 1 and ferry.summary["conflicts"] >= 1  # 4 vs 6 injured; 120 vs 140
    assert [level for level, text in bridge.warnings if "photo.pdf" in text] == ["warning"]


def test_check_folder_turns_any_error_into_its_result(tmp_path):
    missing = check_folder(tmp_path / "gone")
    assert not missing.ok and missing.name == "gone" and "not found" in missing.error and missing.exit_code == 2


def test_the_index_lists_every_folder_with_counts_links_and_errors(local_results, tmp_path):
    paths = write_index(local_results, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data == index_data(local_results)
    assert data["totals"]["folders"] == 3 and data["totals"]["checked"] == 2 and data["totals"]["failed"] == 1
    assert data["totals"]["conflicts"] == sum(r.summary["conflicts"] for r in local_results if r.ok)
    bridge, lonely, _ = data["folders"]
    assert bridge["reports"] == {"md": "bridge.md", "json": "bridge.json", "csv": "bridge.csv"}
    assert lonely["status"] == "error" and "nothing to compare" in lonely["error"]
    text = paths["md"].read_text(encoding="utf-8")
    assert text == index_markdown(data)
    assert "[report](bridge.md) · [JSON](bridge.json) · [CSV](bridge.csv)" in text
    assert "## Errors" in text and "- lonely: nothing to compare" in text


def test_index_links_are_escaped_and_encoded():
    result = FolderResult("a b|c", "x/a b|c", {"articles": 2, "conflicts": 1, "agreements": 0}, {"md": "…"})
    text = index_markdown(index_data([result]))
    assert "[report](a%20b%7Cc.md)" in text and "| a b\\|c |" in text


def test_reports_are_written_per_folder_and_nothing_for_a_failed_one(local_results, tmp_path):
    written = {r.name: write_folder_reports(r, tmp_path) for r in local_results}
    assert written["lonely"] == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.{fmt}" for name in ("bridge", "ferry") for fmt in ("md", "json", "csv"))
    assert (tmp_path / "bridge.md").read_text(encoding="utf-8") == local_results[0].reports["md"]


def test_exit_code_says_a_folder_failed(local_results):
    ok = [r for r in local_results if r.ok]
    assert batch_exit_code(local_results) == 2
    assert batch_exit_code(ok) == 0 and batch_exit_code(ok, fail_on_conflict=True) == 1
    assert batch_exit_code([*ok, FolderResult("x", "x", error="unexpected KeyError: 'k'", exit_code=3)]) == 3


def test_without_ray_the_ray_path_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed
    with pytest.raises(DiscrepancyError, match=r"pip install 'discrepancy\[ray\]'"):
        import_ray()
    with pytest.raises(DiscrepancyError, match="--ray needs Ray"):
        check_folders(["a", "b"], ray_address="local")


def test_a_ray_address_that_does_not_answer_is_told_at_once():
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert unreachable(f"127.0.0.1:{port}") is None and unreachable(f"ray://127.0.0.1:{port}") is None
    assert unreachable(f"127.0.0.1:{port}", timeout=2)  # closed now: refused
    assert unreachable("local") is None and unreachable("auto") is None
    assert unreachable("ray://justhost") == "no port (HOST:PORT)"


@pytest.fixture(scope="module")
def local_ray():
    ray = ray_or_skip()
    ray.init(num_cpus=2, include_dashboard=False)
    yield ray
    ray.shutdown()


def test_on_a_local_ray_instance_the_outputs_equal_a_local_run(local_ray, events):
    folders = [events / "bridge", events / "lonely", events / "ferry"]
    options = BatchOptions(no_cache=True, formats=("md", "json", "html"))  # every vector computed where it runs
    local = check_folders(folders, options)
    seen = []
    on_ray = check_folders(folders, options, ray_address="local", on_done=lambda r, n, total: seen.append((n, total)))
    assert on_ray == local
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    assert [r.ok for r in on_ray] == [True, False, True]
