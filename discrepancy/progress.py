"""Progress reporting for long runs.

The pipeline reports through one small protocol: a callable
`progress(stage, done, total)`. A stage's first call (usually with done=0) marks its
start; its last call marks how far it got. Stages, in order: load, segment, model
(loading the embedding model, only when something needs encoding), embed, align,
compare (and report, from the CLI).

`RichProgress` draws one bar per stage (count, elapsed time, ETA) on stderr, and
only when stderr is a terminal; `cli_progress(quiet)` gives the CLI one, or None
when it should be silent. `StageRecorder` (used by the benchmark) records when
each stage started and ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[str, int, int], None]

# Stages that have no count to show: a spinner and the elapsed time only; their label once done.
UNCOUNTED = {"model"}
DONE_LABELS = {"model": "model loaded"}
# For timing (the benchmark), a sub-stage counts as part of its parent stage.
TIMED_AS = {"model": "embed"}

STAGE_LABELS = {
    "load": "loading and cleaning articles",
    "segment": "parsing, extracting facts",
    "model": "loading model…",
    "embed": "embedding sentences",
    "align": "aligning claims",
    "compare": "comparing value pairs",
    "report": "writing reports",
}


def counted_columns():
    """The count and ETA columns, blank for a stage without a count (a spinner with its label)."""
    from rich.progress import MofNCompleteColumn, ProgressColumn, TimeRemainingColumn
    from rich.text import Text

    class Counted(ProgressColumn):
        def __init__(self, column) -> None:
            super().__init__()
            self.column = column

        def render(self, task):
            return self.column.render(task) if task.fields.get("counted", True) else Text("")

    class Eta(ProgressColumn):
        def render(self, task):
            return Text("eta", style="progress.remaining") if task.fields.get("counted", True) else Text("")

    return Counted(MofNCompleteColumn()), Eta(), Counted(TimeRemainingColumn())


class RichProgress:
    """One rich progress bar per stage, with counts and ETA (on stderr); a spinner for a stage
    without a count, such as loading the model."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        count, eta_label, eta = counted_columns()
        self.console = console or Console(stderr=True)
        self.bars = Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description:<28}"),
            BarColumn(),
            count,
            TimeElapsedColumn(),
            eta_label,
            eta,
            console=self.console,
            transient=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.tasks: dict[str, int] = {}
        self.current: str | None = None

    def __enter__(self) -> RichProgress:
        self.bars.start()
        return self

    def __exit__(self, *exc) -> None:
        self.finish_current()
        self.bars.stop()

    def finish_current(self) -> None:
        if self.current is not None:
            task = self.tasks[self.current]
            total = self.bars.tasks[task].total
            if total is None or total == 0:
                self.bars.update(task, total=1, completed=1)
            if self.current in DONE_LABELS:
                self.bars.update(task, description=DONE_LABELS[self.current])
            self.bars.stop_task(task)
            self.current = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.current:
            self.finish_current()
            if stage not in self.tasks:
                label = STAGE_LABELS.get(stage, stage)
                # total 0 means "not known yet": an indeterminate bar until a count arrives.
                self.tasks[stage] = self.bars.add_task(label, total=total or None, counted=stage not in UNCOUNTED)
            self.current = stage
        self.bars.update(self.tasks[stage], completed=done, total=total or None)


def is_terminal(console=None) -> bool:
    if console is None:
        from rich.console import Console

        console = Console(stderr=True)
    return bool(console.is_terminal) and not console.is_dumb_terminal


@contextmanager
def cli_progress(quiet: bool = False, console=None) -> Iterator[Progress | None]:
    """Bars on stderr for the CLI, or None when `quiet` or stderr is not a terminal."""
    if quiet or not is_terminal(console):
        yield None
        return
    with RichProgress(console) as bars:
        yield bars


class StageRecorder:
    """Records each stage's start and end time (monotonic seconds) for the benchmark.

    A stage lasts from its first call until the next stage's first call (or `close`),
    so time spent between progress calls is never lost.
    """

    def __init__(self, on_stage: Callable[[str], None] | None = None) -> None:
        self.order: list[str] = []
        self.start: dict[str, float] = {}
        self.end: dict[str, float] = {}
        self.totals: dict[str, int] = {}
        self.current: str | None = None
        self.on_stage = on_stage

    def begin(self, stage: str) -> None:
        now = time.perf_counter()
        if self.current is not None and self.current != stage:
            self.end[self.current] = now
        if stage not in self.start:
            self.order.append(stage)
            self.start[stage] = now
        self.current = stage
        if self.on_stage:
            self.on_stage(stage)

    def __call__(self, stage: str, done: int, total: int) -> None:
        stage = TIMED_AS.get(stage, stage)
        if stage != self.current:
            self.begin(stage)
        self.totals[stage] = total

    def close(self) -> None:
        if self.current is not None:
            self.end[self.current] = time.perf_counter()
            self.current = None

    def seconds(self) -> dict[str, float]:
        return {s: self.end.get(s, self.start[s]) - self.start[s] for s in self.order}
