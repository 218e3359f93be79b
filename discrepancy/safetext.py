"""Text that is safe to show: invisible and direction-changing characters made visible.

Article text, file names and labels come from people we do not know. A right-to-left
override (U+202E) makes `gnp.exe` display as `exe.png`; zero-width characters hide
words or make two different strings look the same. No output of this tool shows them
raw: the Markdown report, the terminal and the error lines show `<U+202E>`, and the
JSON carries them as `\\u202e` escapes (the decoded string is exact, the file shows the
escape).

- `reveal(text)`: every such character as `<U+XXXX>`.
- `reveal_controls(text)`: also control characters (a newline in a file name) as `\\xNN`,
  so one name is always one line.
- `json_reveal(json_text)`: the same characters as JSON `\\uXXXX` escapes.
- `safe_url(url)`: the address if it is a plain http(s) link, else None: only such
  addresses ever become links in a report or on the review screen.
- `RevealingStream`: a terminal stream that reveals them in everything written to it.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import urlsplit

# Direction controls (embeddings, overrides, isolates, marks), zero-width characters,
# invisible operators, deprecated format characters, interlinear annotations and tags.
INVISIBLE_RANGES = (
    (0x061C, 0x061C),  # Arabic letter mark
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    (0x202A, 0x202E),  # LRE, RLE, PDF, LRO, RLO
    (0x2060, 0x2064),  # word joiner, invisible function application / times / separator / plus
    (0x2066, 0x206F),  # LRI, RLI, FSI, PDI and the deprecated format characters
    (0xFEFF, 0xFEFF),  # zero-width no-break space (a BOM inside text)
    (0xFFF9, 0xFFFB),  # interlinear annotation anchors
    (0xE0000, 0xE007F),  # tag characters
)
INVISIBLE_CODEPOINTS = tuple(cp for low, high in INVISIBLE_RANGES for cp in range(low, high + 1))
INVISIBLE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in INVISIBLE_RANGES) + "]")

_REVEAL = {cp: f"<U+{cp:04X}>" for cp in INVISIBLE_CODEPOINTS}
_CONTROLS = {cp: f"\\x{cp:02x}" for cp in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_CONTROLS.update({0x2028: "\\u2028", 0x2029: "\\u2029"})  # line and paragraph separators
_REVEAL_ALL = {**_REVEAL, **_CONTROLS}


def _json_escape(cp: int) -> str:
    if cp <= 0xFFFF:
        return f"\\u{cp:04x}"
    cp -= 0x10000
    return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"


_JSON = {cp: _json_escape(cp) for cp in INVISIBLE_CODEPOINTS}
_JSON.update({0x2028: "\\u2028", 0x2029: "\\u2029"})


LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def inline_text(text: object) -> str:
    """One line of plain text: lone surrogates replaced, whitespace collapsed, control characters
    dropped, bidi and zero-width characters shown as `<U+XXXX>`."""
    text = LONE_SURROGATE.sub("\ufffd", str(text))
    text = re.sub(r"\s+", " ", text)  # newlines in a quote would break the block or the table row
    return reveal(CONTROL_CHARS.sub("", text))


def reveal(text: str) -> str:
    """`text` with each bidi or zero-width control shown as `<U+XXXX>`."""
    return text.translate(_REVEAL)


def reveal_controls(text: str) -> str:
    """`reveal`, and control characters (newline, tab, escape…) shown as `\\xNN`: always one line."""
    return text.translate(_REVEAL_ALL)


def has_invisible(text: str) -> bool:
    return INVISIBLE.search(text) is not None


def json_reveal(json_text: str) -> str:
    """Serialized JSON with bidi and zero-width characters as `\\uXXXX` escapes.

    The structure of JSON is ASCII, so these characters only occur inside strings, where
    the escape decodes to the same character: data is unchanged, the file shows the escape.
    """
    return json_text.translate(_JSON)


class RevealingStream:
    """A text stream that writes to `sys.stdout` or `sys.stderr` (looked up on every write,
    so test runners that swap them still capture), revealing bidi and zero-width characters.

    Give it to rich's `Console(file=...)`: whatever any command prints, a file name or a
    sentence cannot reorder or hide what the terminal shows. Control characters are left to
    the callers (rich's own styles are escape sequences).
    """

    def __init__(self, name: str = "stdout") -> None:
        if name not in ("stdout", "stderr"):
            raise ValueError(name)
        self.name = name

    @property
    def target(self):
        return getattr(sys, self.name)

    def write(self, text: str) -> int:
        return self.target.write(text.translate(_REVEAL))

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        isatty = getattr(self.target, "isatty", None)
        return bool(isatty and isatty())

    def fileno(self) -> int:
        return self.target.fileno()

    def __getattr__(self, name: str):  # encoding, errors, buffer...
        return getattr(self.target, name)


# Control characters in printed text, but the line breaks and tabs of multi-line output.
_TEXT_CONTROLS = {cp: text for cp, text in _CONTROLS.items() if cp not in (0x09, 0x0A)}


def safe_console(stream: str = "stdout", **options):
    """A rich Console for a command's output: no markup, emoji codes or highlighting is read
    from the text (a label type `[/bold]` or a file name `:warning:` prints as written), control
    characters in printed strings are shown as `\\xNN` (an escape sequence in a label cannot
    repaint the terminal), and bidi and zero-width characters are revealed (`RevealingStream`)."""
    from rich.console import Console

    class SafeConsole(Console):
        def render_str(self, text: str, *args, **kwargs):  # every printed str, table cell and title
            return super().render_str(text.translate(_TEXT_CONTROLS), *args, **kwargs)

    settings = {"highlight": False, "soft_wrap": True, "markup": False, "emoji": False, **options}
    return SafeConsole(file=RevealingStream(stream), **settings)


def safe_url(url: object) -> str | None:
    """`url` if it is a plain http(s) link (no script, data or file URLs, no spaces, control or
    invisible characters), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip(" \t")
    if not url or any(ch.isspace() or ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in url) or has_invisible(url) \
            or LONE_SURROGATE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None
