"""`discrepancy config show`: the settings in force and where each comes from."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from ._common import (
    app,
    command,
    config_option,
    corpus_argument,
    min_score_option,
    out,
    scorer_option,
    top_k_option,
    typer_app,
)

config_app = typer_app("Show the settings in force and where each comes from.\n\n"
                       "Example: discrepancy config show corpus/s400")
app.add_typer(config_app, name="config")


@command(config_app, "show")
def config_show_cli(
    corpus: Path | None = corpus_argument(optional=True, help="Corpus folder (its discrepancy.toml is read if "
                                                              "present)."),
    config: Path | None = config_option(),
    model: str | None = typer.Option(None, "--model", metavar="DIR", help="Preview a --model flag."),
    scorer: Path | None = scorer_option(),
    min_score: float | None = min_score_option(),
    top_k: int | None = top_k_option(),
    json_out: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Print every setting, its value and where it came from.

    Precedence: defaults < config file < command-line flags. The config
    file is CORPUS/discrepancy.toml when it exists, or --config FILE: a
    flat TOML table of `setting = value` lines. Flags given here preview
    what the same flags would do on `check`.

    Example:

    \b
        discrepancy config show corpus/s400 --min-score 0.5
    """
    from ..config import config_path, resolve_settings

    resolved = resolve_settings(corpus, config, model=model, scorer=scorer,
                                min_score=min_score, top_k=top_k)
    if json_out:
        from ..safetext import json_reveal

        data = {"config": str(resolved.path) if resolved.path else None,
                "settings": {n: {"value": v, "source": s} for n, v, s in resolved.rows()}}
        typer.echo(json_reveal(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    path = config_path(corpus, config)
    where = f"config file: {resolved.path}" if resolved.path else (
        f"config file: none ({path} does not exist)" if path else "config file: none (no corpus or --config given)")
    table = Table(title=where)
    for col in ("setting", "value", "from"):
        table.add_column(col)
    for name, value, source in resolved.rows():
        shown = repr(value) if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)
        table.add_row(name, shown, source)
    out.print(table)
