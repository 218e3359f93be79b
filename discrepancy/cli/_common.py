"""What every command shares: the typer app, one-line errors, the shared options, the consoles.

Each command lives in its own module of this package (as spaCy's CLI does) and
imports only from here and from the library; no command module imports another.

Errors a user can cause print one line on stderr and exit 2 (`--debug` shows
tracebacks): bad option values and unknown options too, not typer's boxes.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import DiscrepancyError
from ..safetext import safe_console
from ..version import __version__

try:  # typer ≥ 0.20 ships its own copy of click; older ones use click itself
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_exceptions

EXIT_OK, EXIT_CONFLICTS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# Plain text: user text (file names, labels, quotes) is never read as markup and never hides characters.
out = safe_console("stdout")
err = safe_console("stderr")


def wide_out():
    """`out` in a terminal; piped, a wide console, so tables are not squeezed into 80 columns."""
    return out if out.is_terminal else safe_console("stdout", width=max(out.width, 160))
STATE = {"debug": False}


# --- one-line usage errors -------------------------------------------------------------------

def given_value(args: list[str], opts: list[str]) -> str | None:
    """The value the user typed for an option (`--x V` or `--x=V`), for the error line."""
    for i, arg in enumerate(args):
        for opt in opts:
            if arg == opt and i + 1 < len(args):
                return args[i + 1]
            if opt.startswith("--") and arg.startswith(opt + "="):
                return arg[len(opt) + 1:]
    return None


def usage_error_line(error: click_exceptions.ClickException, args: list[str]) -> str:
    """One line for a usage error: what was wrong, the value given, and where the help is."""
    message = " ".join(error.format_message().split())
    param = getattr(error, "param", None)
    if isinstance(error, click_exceptions.BadParameter) and param is not None and getattr(param, "opts", None):
        value = given_value(args, [o for o in param.opts if o.startswith("-")])
        if value is not None and repr(value) not in message:
            message += f" (got {value!r})"
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    if message.startswith("got unexpected extra argument") and any(
            a.lower() in ON_OFF_WORDS and i and args[i - 1].startswith("-") for i, a in enumerate(args)):
        message += " (on/off options such as --quiet take no value: give the flag alone)"
    message = message.rstrip(".")
    ctx = getattr(error, "ctx", None)
    where = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
    return f"error: {message}{where}"


ON_OFF_WORDS = {"true", "false", "yes", "no", "on", "off", "1", "0"}
# The order `discrepancy --help` lists the commands in: the daily jobs first.
COMMAND_ORDER = ("check", "review", "labels", "tune", "evaluate", "config", "cache")


class Group(TyperGroup):
    """The app's command group: usage errors as one line on stderr, exit 2."""

    def list_commands(self, ctx):
        names = list(super().list_commands(ctx))
        return sorted(names, key=lambda n: (COMMAND_ORDER.index(n) if n in COMMAND_ORDER else len(COMMAND_ORDER), n))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except getattr(click_exceptions, "NoArgsIsHelpError", ()) as shown:
            shown.show()  # a bare command prints its help
            sys.exit(shown.exit_code)
        except click_exceptions.ClickException as error:
            err.print(usage_error_line(error, argv), markup=False)
            sys.exit(error.exit_code)
        except typer.Abort:
            err.print("interrupted", markup=False)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def collect_usage_pieces(self, ctx):
        return [plain_usage(piece) for piece in super().collect_usage_pieces(ctx)]


class Command(TyperCommand):
    """A command whose usage line reads `discrepancy check [OPTIONS] CORPUS`."""

    def collect_usage_pieces(self, ctx):
        return [plain_usage(piece) for piece in super().collect_usage_pieces(ctx)]


def plain_usage(piece: str) -> str:
    # typer writes required arguments as {NAME} ({NAME...}... when several); the usual convention is
    # NAME, NAME... (and [NAME] when optional)
    if piece.startswith("{") and piece.endswith("}..."):
        return piece[1:-4]
    return piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece


CONTEXT = {"help_option_names": ["-h", "--help"], "show_default": True, "max_content_width": 100}


def typer_app(help: str, name: str | None = None, **kwargs) -> typer.Typer:
    """A typer app (the main one, or a group such as `cache`) with this CLI's conventions."""
    return typer.Typer(name=name, help=help, cls=Group, rich_markup_mode=None, no_args_is_help=True,
                       add_completion=False, pretty_exceptions_enable=False, context_settings=CONTEXT, **kwargs)


app = typer_app(
    name="discrepancy", help="Find where news articles about one event disagree, and where they agree.\n\n"
    "\b\nExamples:\n"
    "  discrepancy check corpus/s400 -o reports/s400.md --html reports/s400.html\n"
    "  discrepancy review corpus/s400\n"
    "  discrepancy COMMAND --help"
)


def handle_errors(func):
    """One-line errors and documented exit codes instead of tracebacks."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from ..cache import collect_cache_warnings

        notes: list[str] = []
        try:
            with collect_cache_warnings() as notes:  # damaged cache entries: recomputed, then named
                return func(*args, **kwargs)
        except typer.Exit:
            raise
        except DiscrepancyError as error:
            if STATE["debug"]:
                raise
            err.print(f"error: {error}", markup=False)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted: earlier outputs are left as they were", markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as error:
            if STATE["debug"]:
                raise
            err.print(f"error: unexpected {type(error).__name__}: {error} (run with --debug for details)",
                      markup=False)
            raise typer.Exit(EXIT_INTERNAL) from None
        finally:
            for note in notes:
                err.print(f"note: {note}", markup=False)

    return wrapper


def command(group: typer.Typer, name: str, short_help: str | None = None):
    """Register `func` as command `name` of `group`, with one-line errors; `short_help` is its line in
    the list of commands (default: the docstring's first sentence)."""

    def register(func):
        return group.command(name, cls=Command, short_help=short_help)(handle_errors(func))

    return register


def show_version(value: bool) -> None:
    if value:
        out.print(f"discrepancy {__version__}", markup=False)
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(False, "--version", "-V", callback=show_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    STATE["debug"] = debug


# --- options shared by the commands that run the pipeline ----------------------------------------

CORPUS_HELP = ("Folder of articles about one event: .txt and .md files (front matter optional) "
               "and saved web pages (.html, .htm).")


def corpus_argument(optional: bool = False, help: str = CORPUS_HELP):
    if optional:
        return typer.Argument(None, metavar="CORPUS", help=help, show_default=False)
    return typer.Argument(..., metavar="CORPUS", help=help, show_default=False)


def config_option():
    return typer.Option(None, "--config", metavar="FILE", show_default="CORPUS/discrepancy.toml when it exists",
                        help="Settings file; flags override it.")


def model_option():
    return typer.Option(None, "--model", metavar="DIR", show_default="the bundled all-MiniLM-L6-v2",
                        help="Local sentence-transformers model folder.")


def scorer_option():
    return typer.Option(None, "--scorer", metavar="FILE", show_default="the packaged scorer, or the config file's",
                        help="Slot scorer to use: a JSON file `discrepancy tune` wrote.")


def min_score_option():
    return typer.Option(None, "--min-score", min=0.0, max=1.0, metavar="X",
                        show_default="the scorer's fitted threshold, or the config file's",
                        help="Report conflicts whose score (slot probability) is at least this.")


def top_k_option():
    return typer.Option(None, "--top-k", min=1, metavar="N", show_default="5, or the config file's",
                        help="Candidate values kept per value and article when a value type is common.")


def cache_dir_option(help: str = "Cache folder for sentence vectors and analyses."):
    return typer.Option(None, "--cache-dir", metavar="DIR",
                        show_default="one per corpus in the user's cache directory", help=help)


def no_cache_option():
    return typer.Option(False, "--no-cache", help="Do not read or write the caches.")


def jobs_option():
    return typer.Option(None, "--jobs", "-j", min=1, metavar="N", show_default="every core",
                        help="Processes and threads to use; 1 runs everything in one process.")


def device_option():
    return typer.Option("auto", "--device", metavar="auto|cpu|cuda",
                        help="Where to embed sentences; auto is CUDA when torch sees a GPU.")


def backend_option():
    return typer.Option("auto", "--backend", metavar="auto|torch|openvino",
                        help="Sentence encoder: fp32 PyTorch, or OpenVINO on the CPU when installed; auto "
                             "uses OpenVINO only once it has been shown to agree with fp32.")


def store_option(help: str = "Review decisions file."):
    return typer.Option(None, "--store", metavar="FILE", show_default="CORPUS/.discrepancy/reviews.sqlite",
                        help=help)


def quiet_option():
    return typer.Option(False, "--quiet", "-q", help="Print nothing but errors.")


@dataclass(frozen=True)
class PipelineOptions:
    """The shared options, as given on the command line (None: not given)."""

    config: Path | None = None
    model: str | None = None
    scorer: Path | None = None
    min_score: float | None = None
    top_k: int | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    jobs: int | None = None
    device: str = "auto"
    backend: str = "auto"

    def settings(self, corpus: Path):
        from ..config import resolve_settings

        return resolve_settings(corpus, self.config, model=self.model,
                                scorer=str(self.scorer) if self.scorer else None, min_score=self.min_score,
                                top_k=self.top_k).settings

    def cache(self, corpus: Path, quiet: bool = False) -> Path | None:
        return cache_for(corpus, self.cache_dir, self.no_cache, quiet)


def default_cache_dir(corpus: Path) -> Path:
    """The corpus's cache folder in the user's cache directory (see `discrepancy.cache`)."""
    from ..cache import default_cache_dir as user_cache_for

    return user_cache_for(corpus)


def cache_for(corpus: Path, cache_dir: Path | None, no_cache: bool = False, quiet: bool = False) -> Path | None:
    """The cache folder a command uses; says so when the corpus brings a cache that is not read."""
    from ..cache import unused_corpus_cache

    if no_cache:
        return None
    cache = cache_dir or default_cache_dir(corpus)
    ignored = unused_corpus_cache(corpus, cache)
    if ignored is not None and not quiet:
        err.print(f"note: {ignored} is not read: a cache inside the corpus folder may come from elsewhere "
                  f"(--cache-dir {ignored} uses it)", markup=False)
    return cache


def run_pipeline(corpus: Path, options: PipelineOptions, settings=None, quiet: bool = False):
    """`pipeline.check_corpus` with the shared options, progress bars on stderr in a terminal."""
    from ..embedding import check_backend_name, check_device_name
    from ..pipeline import check_corpus
    from ..progress import cli_progress

    settings = settings or options.settings(corpus)
    check_device_name(options.device)
    check_backend_name(options.backend)
    cache = options.cache(corpus, quiet)
    with cli_progress(quiet, err) as progress:
        return check_corpus(corpus, settings, cache_dir=cache, device=options.device,
                            progress=progress, jobs=options.jobs, backend=options.backend)


def warn_skipped(result) -> None:
    for skipped in result.skipped:
        if skipped.language:
            err.print(f"warning: not analysed: {skipped.path} is in {skipped.language} "
                      "(only English articles are analysed)", markup=False)
        else:
            err.print(f"warning: skipped {skipped.path}: {skipped.reason}", markup=False)
    for group in result.duplicates:
        changed = sum(1 for v in result.versions if set(group.doc_ids) >= {
            c.doc for side in v.sides for c in side.claims})
        detail = f" ({changed} value{'' if changed == 1 else 's'} changed between versions: see the report)" \
            if changed else ""
        err.print(f"note: syndicated copies counted as one source: {', '.join(group.doc_ids)}{detail}", markup=False)
