"""Configuration: defaults < `discrepancy.toml` < command-line flags.

The config file is a flat TOML table of `Settings` fields:

    # CORPUS/discrepancy.toml
    scorer = "my-scorer.json"   # written by `discrepancy tune -o my-scorer.json`
    min_score = 0.6
    top_k = 5

`resolve_settings` layers the three sources and remembers where each value came
from, so `discrepancy config show` can say so. `write_settings` updates only the
keys it is given and keeps every other line (comments included), atomically.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import DiscrepancyError
from .settings import Settings

CONFIG_NAME = "discrepancy.toml"

# Allowed ranges, checked for file values (flags are range-checked by typer).
RANGES: dict[str, tuple[float, float]] = {
    "min_score": (0.0, 1.0),
    "min_agreement_score": (0.0, 1.0),
    "duplicate_threshold": (0.0, 1.0),
    "top_k": (1, math.inf),
    "single_source_limit": (0, math.inf),
    "max_file_mb": (0.0, math.inf),  # 0: no limit
}

DEFAULT_SOURCE = "default"


@dataclass(frozen=True)
class ResolvedSettings:
    """The settings in force and, per field, where the value came from."""

    settings: Settings
    sources: dict[str, str] = field(default_factory=dict)  # field -> "default" | file path | "flag --x"
    path: Path | None = None  # the config file read, if any

    def rows(self) -> list[tuple[str, object, str]]:
        values = self.settings.as_dict()
        return [(name, values[name], self.sources.get(name, DEFAULT_SOURCE)) for name in values]


# Settings whose default is None ("use what the scorer says") and the type a value must have.
OPTIONAL_TYPES = {"min_score": float}


def setting_types() -> dict[str, type]:
    """Field name -> the type of its default (float, int or str)."""
    defaults = Settings()
    return {f.name: OPTIONAL_TYPES.get(f.name) or type(getattr(defaults, f.name)) for f in fields(Settings)}


def default_config_path(corpus: str | Path | None) -> Path | None:
    return Path(corpus) / CONFIG_NAME if corpus is not None else None


def config_path(corpus: str | Path | None, config: str | Path | None) -> Path | None:
    """The config file in use: `--config PATH` if given, else CORPUS/discrepancy.toml."""
    return Path(config) if config is not None else default_config_path(corpus)


def check_value(name: str, value, path: Path | str) -> object:
    """`value` for setting `name` as the setting's type; a one-line error naming key, file and value."""
    types = setting_types()
    if name not in types:
        known = ", ".join(sorted(types))
        raise DiscrepancyError(f"{path}: unknown setting {name!r} (= {value!r}); known settings: {known}")
    want = types[name]
    ok = False
    if want is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok:
            value = float(value)
            ok = math.isfinite(value)
    elif want is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif want is str:
        ok = isinstance(value, str) and value.strip() != ""
    else:  # pragma: no cover - a future field of another type
        ok = isinstance(value, want)
    if not ok:
        kind = {float: "a number", int: "an integer", str: "a non-empty string"}.get(want, want.__name__)
        raise DiscrepancyError(f"{path}: setting {name} must be {kind}, not {value!r}")
    if name in RANGES:
        low, high = RANGES[name]
        if not (low <= value <= high):
            bound = f"between {low:g} and {high:g}" if high != math.inf else f"at least {low:g}"
            if name == "max_file_mb":
                bound = "0 (no limit) or above"
            raise DiscrepancyError(f"{path}: setting {name} must be {bound}, not {value!r}")
    return value


def read_config(path: str | Path) -> dict[str, object]:
    """Validated values from a config file. Raises `DiscrepancyError` on any problem."""
    p = Path(path)
    if not p.is_file():
        raise DiscrepancyError(f"config file not found: {p}")
    try:
        with p.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise DiscrepancyError(f"{p}: not valid TOML ({err})") from err
    except UnicodeDecodeError as err:
        raise DiscrepancyError(f"{p}: not UTF-8 text (byte {err.start} is {err.object[err.start]:#04x}); "
                               f"TOML files are UTF-8") from err
    except OSError as err:
        raise DiscrepancyError(f"cannot read config file {p}: {err.strerror or err}") from err
    values = {name: check_value(name, value, p) for name, value in data.items()}
    if values.get("scorer") and not Path(str(values["scorer"])).is_absolute():
        values["scorer"] = str(p.parent / str(values["scorer"]))  # relative to the config file
    return values


def resolve_settings(corpus: str | Path | None = None, config: str | Path | None = None,
                     flag_names: dict[str, str] | None = None, **flags) -> ResolvedSettings:
    """Defaults, then the config file (`config`, or CORPUS/discrepancy.toml when it exists), then flags.

    `flags` are setting values from the command line; None means "not given".
    `flag_names` maps a setting to the flag that set it, for `config show`.
    An explicit `config` that does not exist is an error; a missing default file is not.
    """
    settings = Settings()
    sources = {f.name: DEFAULT_SOURCE for f in fields(Settings)}
    path = config_path(corpus, config)
    used: Path | None = None
    if path is not None and (config is not None or path.is_file()):
        values = read_config(path)
        settings = settings.with_overrides(**values)
        for name in values:
            sources[name] = str(path)
        used = path
    given = {k: v for k, v in flags.items() if v is not None}
    types = setting_types()
    unknown = [k for k in given if k not in types]
    if unknown:  # a programming error, not a user one
        raise ValueError(f"not settings: {', '.join(unknown)}")
    settings = settings.with_overrides(**given)
    names = flag_names or {}
    for name in given:
        sources[name] = f"flag {names.get(name, '--' + name.replace('_', '-'))}"
    return ResolvedSettings(settings, sources, used)


# --- writing -------------------------------------------------------------------------------

KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z0-9_-]+|\"[^\"]*\")\s*=\s*(?P<rest>.*)$")
TABLE_LINE = re.compile(r"^\s*\[")


def toml_value(value) -> str:
    """A TOML literal for a setting value (float, int or string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(round(value, 6))
        return text if any(c in text for c in ".eE") or text in ("inf", "-inf", "nan") else text + ".0"
    text = str(value)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def split_comment(rest: str) -> tuple[str, str]:
    """(value text, trailing comment with its leading space) for the right side of `key = value`."""
    in_string, quote, escaped = False, "", False
    for i, ch in enumerate(rest):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                in_string = False
        elif ch in "\"'":
            in_string, quote = True, ch
        elif ch == "#":
            j = i
            while j > 0 and rest[j - 1] in " \t":
                j -= 1
            return rest[:j], rest[j:]
    return rest.rstrip(), ""


def update_toml_text(text: str, updates: dict[str, object]) -> str:
    """`text` with the top-level keys in `updates` set; other lines, comments and order kept."""
    lines = text.splitlines()
    pending = dict(updates)
    top_level = True
    for i, line in enumerate(lines):
        if TABLE_LINE.match(line):
            top_level = False
        if not top_level:
            continue
        match = KEY_LINE.match(line)
        if not match:
            continue
        key = match.group("key").strip('"')
        if key in pending:
            _, comment = split_comment(match.group("rest"))
            lines[i] = f"{match.group('indent')}{key} = {toml_value(pending.pop(key))}{comment}"
    if pending:
        # New keys go before the first table header (or at the end), so they stay top-level.
        first_table = next((i for i, line in enumerate(lines) if TABLE_LINE.match(line)), len(lines))
        new = [f"{key} = {toml_value(value)}" for key, value in pending.items()]
        lines[first_table:first_table] = new
    return "\n".join(lines) + "\n"


def write_settings(path: str | Path, updates: dict[str, object]) -> Path:
    """Set `updates` in the config file at `path` (created if missing), keeping everything else.

    The existing file is validated first: a broken file is never silently rewritten.
    """
    from .reporting import write_atomic

    p = Path(path)
    updates = {k: round(v, 6) if isinstance(v, float) else v for k, v in updates.items()}
    for name, value in updates.items():
        check_value(name, value, p)
    text = ""
    if p.exists():
        read_config(p)  # refuse to edit a file we could not read back
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise DiscrepancyError(f"cannot read config file {p}: {err}") from err
    else:
        text = "# discrepancy settings (see `discrepancy config show`)\n"
    new_text = update_toml_text(text, updates)
    # Belt and braces: what we wrote must parse to what we meant.
    parsed = tomllib.loads(new_text)
    for name, value in updates.items():
        if parsed.get(name) != value:
            raise DiscrepancyError(f"{p}: could not update setting {name} safely; edit the file by hand")
    write_atomic(p, new_text)
    return p
