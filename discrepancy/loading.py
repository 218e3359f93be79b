"""Loading: read a folder of article files into `RawDocument` records.

Each file is one article:

- `.txt` or `.md`, optionally opening with a front-matter block of `key: value`
  lines between `---` fences (title, source, published, url);
- `.html` / `.htm`: a saved web page; the main article text is extracted with
  trafilatura (offline) and the title, date, site name and URL come from the
  page's metadata where it has them.

Text encodings are detected, not assumed: a byte-order mark or valid UTF-8 wins,
then a page's declared charset, then charset-normalizer's guess (ambiguous
Western text is read as Windows-1252, the commonest legacy encoding).

Files that cannot be used are returned as `SkippedFile`s with a reason, never
silently ignored: binary files (PDF, images, archives: recognised by magic bytes,
NUL bytes or undecodable content), empty files, files over the size limit, files
of other types, and links that leave the corpus folder (a link to `/etc/passwd` or
`/proc/self/status` is never read). Only hidden files, `README*`, `labels.jsonl`
(and its backups), `discrepancy.toml`, the tool's own reports and sub-folders are
passed over without a word.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil import parser as date_parser

from .errors import DiscrepancyError, UnreadableFile
from .records import RawDocument, SkippedFile
from .safetext import reveal_controls

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
# Files in a corpus folder that belong to the tool, not to the articles.
SIDE_FILES = {"labels.jsonl", "discrepancy.toml"}
LABEL_BACKUP = re.compile(r"^labels\.jsonl\.bak(?:\.\d+)?$")
DEFAULT_MAX_FILE_MB = 20.0
MB = 1024 * 1024
UNKNOWN = "unknown"
# Publication dates outside this range are typos or placeholders ("0001-01-01"), read as unknown:
# relative dates ("last year") are resolved against the publication date.
PUBLISHED_RANGE = (date(1800, 1, 1), date(2199, 12, 31))

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?:(.*?)\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
FRONT_MATTER_KEY = re.compile(r"^[A-Za-z_][\w-]*$")
# The first line of a Markdown report this tool writes: not an article.
OWN_REPORT = re.compile(r"\A\s*# Discrepancy report: ")
# How the tool's other outputs begin: JSON (report, tuning sweep) and HTML reports.
OWN_OUTPUT_HEAD = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:# Discrepancy report: |\{\s*\"tool\"\s*:\s*\{\s*\"name\"\s*:\s*\"discrepancy\")"
    rb"|<meta\s+name=[\"']?generator[\"']?\s+content=[\"']discrepancy\b", re.IGNORECASE)
OWN_OUTPUT_SUFFIXES = {".md", ".txt", ".json", ".html", ".htm"}
OUTSIDE = "a link to a file outside the corpus folder"

# Signatures of common non-text files that may sit in a folder of articles.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document (.docx, .xlsx, .epub)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh91AY&SY", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x00\x00\x01\x00", "an icon"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# WHATWG: pages labelled Latin-1 or ASCII are decoded as Windows-1252.
CHARSET_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                   "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "windows-1252": "cp1252"}
MESS_SAMPLE = 100_000  # bytes of a legacy-encoded file that the encoding guess looks at

XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote", "pre",
              "article", "section", "header", "footer", "figcaption", "dt", "dd")

LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Line separators other than \n (splitlines() honours them, line-based rules would not).
LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters with no place in article text (tab and newline stay), and stray BOMs.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff]")


@dataclass(frozen=True)
class LoadResult:
    documents: list[RawDocument]
    skipped: list[SkippedFile]


# ---------------------------------------------------------------------------------------------
# Pure text helpers


def sanitize_text(text: str) -> str:
    """Text safe for every later stage and for JSON/UTF-8 output.

    Lone surrogates (from undecodable file names or broken UTF-16) become U+FFFD,
    every line separator becomes "\\n", other control characters are removed.
    """
    text = LONE_SURROGATE.sub("\ufffd", text)
    text = LINE_BREAKS.sub("\n", text)
    return CONTROL.sub("", text)


def display_name(name: str) -> str:
    """A file name as one printable line: bytes that are not UTF-8 and control characters (a
    newline that would forge a line on stderr) are shown as \\xNN, bidi and zero-width
    characters as <U+XXXX>."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        name = LONE_SURROGATE.sub("\ufffd", name)
    return reveal_controls(name)


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split `text` into its front-matter fields and the body after them.

    A leading `---` block counts as front matter only when every line in it is a
    `key: value` line, an indented or `- ` continuation, or a `#` comment; otherwise
    (an article opening with a horizontal rule) the text is all body.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text.lstrip("\ufeff")
    fields: dict[str, str] = {}
    for line in (match.group(1) or "").splitlines():
        if not line.strip() or line[:1] in (" ", "\t", "-", "#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not FRONT_MATTER_KEY.match(key.strip()):
            return {}, text.lstrip("\ufeff")
        fields[key.strip().lower()] = value.strip().strip("\"'").strip()
    return fields, text[match.end():]


def parse_published(value: str | None) -> date | None:
    """A publication date from front matter or page metadata, or None when absent, `unknown`
    or implausible for a news article (outside PUBLISHED_RANGE)."""
    if not value or value.strip().lower() in {UNKNOWN, "", "none", "n/a"}:
        return None
    try:
        published = date_parser.parse(value, dayfirst=False, fuzzy=False).date()
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    return published if PUBLISHED_RANGE[0] <= published <= PUBLISHED_RANGE[1] else None


def build_document(doc_id: str, path: str, fields: dict[str, str], body: str, encoding: str = "utf-8") -> RawDocument:
    """A `RawDocument` from metadata fields (title, source, published/date, url) and a body."""
    body = sanitize_text(body)
    fields = {k: " ".join(sanitize_text(v).split()) for k, v in fields.items() if v}
    first_line = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
    return RawDocument(
        id=doc_id,
        path=path,
        title=fields.get("title") or first_line[:200] or doc_id,
        source=fields.get("source") or UNKNOWN,
        published=parse_published(fields.get("published") or fields.get("date")),
        url=fields.get("url") or UNKNOWN,
        body=body,
        encoding=encoding,
        title_given=bool(fields.get("title")),
    )


def document_from_text(doc_id: str, path: str, text: str, encoding: str = "utf-8") -> RawDocument:
    """Build a `RawDocument` from a text file's decoded content (pure: no I/O)."""
    fields, body = parse_front_matter(sanitize_text(text))
    return build_document(doc_id, path, fields, body, encoding)


def document_from_html(doc_id: str, path: str, html: str, encoding: str = "utf-8") -> RawDocument:
    """Build a `RawDocument` from a web page: main text via trafilatura, metadata from the page.

    Raises `UnreadableFile` when the page holds no text to extract.
    """
    body, fields = extract_html(sanitize_text(html))
    if not body.strip():
        raise UnreadableFile(path, "no article text found in the HTML page")
    return build_document(doc_id, path, fields, body, encoding)


def extract_html(html: str) -> tuple[str, dict[str, str]]:
    """(main text, metadata fields) of an HTML page. Offline; never fetches anything."""
    import trafilatura

    for name in ("trafilatura", "htmldate", "justext", "courlan", "readability"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())  # no "discarding data" lines on the user's terminal
    if not html.strip():
        return "", {}
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
            include_links=False, date_extraction_params={"extensive_search": False, "original_date": True},
        )
        text = (doc.text or "") if doc is not None else ""
        if not text.strip():
            # Very short pages fall below trafilatura's minimum size, and pages nested deeper than
            # libxml2's default limit (256 levels) parse as empty: take all visible text.
            text = visible_text(html) or flat_visible_text(html)
        meta = doc if doc is not None else trafilatura.extract_metadata(html, extensive=False)
    except Exception as err:  # a parser failure on hostile markup is a skipped file, not a crash
        raise UnreadableFile("HTML page", f"cannot extract text from the HTML page: {type(err).__name__}") from err
    fields = {
        "title": getattr(meta, "title", None) or "",
        "published": getattr(meta, "date", None) or "",
        "source": getattr(meta, "sitename", None) or getattr(meta, "hostname", None) or "",
        "url": getattr(meta, "url", None) or "",
    }
    return text, {k: str(v) for k, v in fields.items() if v}


def visible_text(html: str) -> str:
    """All visible text of a page, one line per block element (scripts, styles and <head> dropped).

    Parsed with libxml2's large-document option, which lifts its nesting limit from 256 to
    about 2,000 levels; `flat_visible_text` reads pages nested deeper still."""
    import lxml.html
    from lxml import etree

    try:
        parser = lxml.html.HTMLParser(huge_tree=True)
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", html, count=1), parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath("//script|//style|//noscript|//template|//head|//svg|//iframe|//object"):
        element.drop_tree()
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object"})


def flat_visible_text(html: str) -> str:
    """Visible text of a page of any nesting depth: a streaming tokenizer (the standard library's
    `html.parser`), no tree. One line per block element; hidden elements dropped."""
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            if tag in HIDDEN_TAGS:
                self.hidden += 1
            elif tag in BLOCK_TAGS:
                self.parts.append("\n")

        def handle_startendtag(self, tag, attrs):
            if tag in BLOCK_TAGS:
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if tag in HIDDEN_TAGS:
                self.hidden = max(0, self.hidden - 1)
            elif tag in BLOCK_TAGS:
                self.parts.append("\n")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    collector = Collector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # the tokenizer gives up on some malformed markup
        pass
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# Bytes → text


def binary_kind(data: bytes) -> str | None:
    """What a non-text file looks like ("a PDF document"), or None when it may be text."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "an MP4/HEIC media file"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file"
    if any(data.startswith(bom) for bom, _ in BOMS):
        return None
    if b"\x00" in data:
        return "a binary file: it contains NUL bytes"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, as a Python codec name."""
    match = DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").strip().lower()
    label = CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name.startswith(("utf-16", "utf-32")) else name  # WHATWG: read those as UTF-8


def mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few corrupt bytes (replaced by U+FFFD), or None when it is not UTF-8 at all."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return text if good >= max(1, 3 * bad) else None


def legacy_decode(data: bytes) -> tuple[str, str] | None:
    """Text in a single- or double-byte legacy encoding, guessed by charset-normalizer.

    Short Western texts are ambiguous between a dozen code pages (é is 0xE9 in most);
    Windows-1252 is chosen whenever it reads as cleanly as the best guess.
    """
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data).best()
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None:
        mess = mess_ratio(data[:MESS_SAMPLE].decode("cp1252", errors="replace"), 1.0)
        if (best is None and mess < 0.2) or (best is not None and mess <= best.chaos + 0.01):
            return western, "cp1252"
    if best is None:
        return None
    return str(best), best.encoding


def decode_bytes(data: bytes, html: bool = False) -> tuple[str, str]:
    """Decode a file's bytes: (text, encoding name). Raises `ValueError(reason)` for non-text."""
    kind = binary_kind(data)
    if kind:
        raise ValueError(f"not text: looks like {kind}")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded: tuple[str, str] | None = None
    charset = declared_charset(data) if html else None
    if charset:
        try:
            decoded = data.decode(charset), charset
        except UnicodeDecodeError:
            decoded = None
    if decoded is None:
        text = mostly_utf8(data)
        decoded = (text, "utf-8") if text is not None else legacy_decode(data)
    if decoded is None:
        raise ValueError("not text: no text encoding fits its bytes")
    text, encoding = decoded
    sample = text[:MESS_SAMPLE]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0b\x0c")
    if controls > max(2, len(sample) // 100):
        raise ValueError("not text: too many control characters for a text file")
    return text, encoding


def format_mb(size: float) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{size / 1024:.1f} KB"


def size_limit(max_file_mb: float | None) -> int | None:
    """`max_file_mb` in bytes; None (no limit) for None, 0 or a limit too large to matter."""
    if not max_file_mb or max_file_mb <= 0 or not max_file_mb * MB < 2 ** 62:  # also inf and nan
        return None
    return int(max_file_mb * MB)


def read_bytes(path: Path, max_file_mb: float | None = DEFAULT_MAX_FILE_MB,
               expect: tuple[int, int] | None = None) -> bytes:
    """The bytes of `path`, refusing files over `max_file_mb` (None or 0: no limit).

    Only a regular file is read (a device, a pipe or a folder is refused without blocking);
    `expect`, the (device, inode) the caller checked, must still be what is opened, so a
    link swapped for another between the check and the read is refused too.
    """
    name = display_name(path.name)
    limit = size_limit(max_file_mb)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise UnreadableFile(name, "not a regular file")
            if expect is not None and (st.st_dev, st.st_ino) != expect:
                raise UnreadableFile(name, "changed while it was being read")
            if limit is not None and st.st_size > limit:
                raise UnreadableFile(name, f"too large: {format_mb(st.st_size)}, over the {max_file_mb:g} MB "
                                           f"limit set by max_file_mb")
            data = handle.read(limit + 1 if limit is not None else -1)
    except UnreadableFile:
        raise
    except OSError as err:
        raise UnreadableFile(name, f"unreadable: {err.strerror or err}") from err
    if limit is not None and len(data) > limit:
        raise UnreadableFile(name, f"too large: over the {max_file_mb:g} MB limit set by max_file_mb")
    if not data:
        raise UnreadableFile(name, "empty file")
    return data


def decode_file(path: str | Path, max_file_mb: float | None = None,
                expect: tuple[int, int] | None = None) -> tuple[str, str]:
    """Read and decode a file: (text, encoding), the whole content (a web page's HTML included),
    lone surrogates and stray control characters cleaned out. Raises `UnreadableFile`."""
    p = Path(path)
    data = read_bytes(p, max_file_mb, expect)
    try:
        text, encoding = decode_bytes(data, html=p.suffix.lower() in HTML_SUFFIXES)
    except ValueError as err:
        raise UnreadableFile(display_name(p.name), str(err)) from None
    return sanitize_text(text), encoding


def read_text(path: str | Path, max_file_mb: float | None = None) -> tuple[str, str]:
    """An article file's text as the loader sees it: (text, encoding), for checking quotes.

    A text file's whole decoded content (front matter included); a web page's extracted
    main text. Raises `UnreadableFile` (an `OSError` and a `DiscrepancyError`) otherwise.
    """
    p = Path(path)
    text, encoding = decode_file(p, max_file_mb)
    if p.suffix.lower() in HTML_SUFFIXES:
        try:
            text = extract_html(text)[0]
        except UnreadableFile as err:
            raise UnreadableFile(display_name(p.name), err.reason) from None
    return text, encoding


# ---------------------------------------------------------------------------------------------
# Folders


def is_side_file(path: Path) -> bool:
    """Hidden files, README*, labels (and their backups) and config: part of the folder, not
    articles, not worth a warning."""
    name = path.name.lower()
    return name.startswith(".") or name.startswith("readme") or name in SIDE_FILES or bool(LABEL_BACKUP.match(name))


def own_output(path: Path) -> bool:
    """A report or JSON file written by this tool (recognised by how it begins), not an article.

    Reports written into the corpus folder are passed over silently, so the next run's
    outputs do not change because of them.
    """
    if path.suffix.lower() not in OWN_OUTPUT_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return bool(OWN_OUTPUT_HEAD.search(head[:2048] if path.suffix.lower() in (".html", ".htm") else head))


def leaves_folder(path: Path, root: Path) -> bool:
    """True when `path` is a link whose target (followed to the end) is outside the folder `root`
    (resolved), such as a link to /etc/passwd, /proc/self/status or /dev/zero."""
    if not path.is_symlink():
        return False
    try:
        return not Path(os.path.realpath(path)).is_relative_to(root)
    except (OSError, ValueError):
        return True


def article_files(folder: Path) -> list[Path]:
    """The candidate article files of a corpus folder, in a stable order (links that leave the
    folder excluded)."""
    root = Path(os.path.realpath(folder))
    return sorted(
        (p for p in Path(folder).iterdir()
         if not is_side_file(p) and p.suffix.lower() in ARTICLE_SUFFIXES and not leaves_folder(p, root)
         and p.is_file()),
        key=lambda p: p.name,
    )


def describe_skipped(skipped: list[SkippedFile], limit: int = 5) -> str:
    """'a.pdf: not an article file type: .pdf, b.txt: empty file' for one-line error messages."""
    shown = ", ".join(f"{s.path}: {s.reason}" for s in skipped[:limit])
    return shown + (f" and {len(skipped) - limit} more" if len(skipped) > limit else "")


def load_file(path: Path, doc_id: str, max_file_mb: float | None = DEFAULT_MAX_FILE_MB,
              expect: tuple[int, int] | None = None) -> RawDocument:
    """One article file as a `RawDocument`; raises `UnreadableFile` with the reason to skip it.
    `expect` is the (device, inode) the file was checked as (see `read_bytes`)."""
    name = display_name(path.name)
    text, encoding = decode_file(path, max_file_mb, expect)
    if path.suffix.lower() in HTML_SUFFIXES:
        try:
            raw = document_from_html(doc_id, name, text, encoding)
        except UnreadableFile as err:
            raise UnreadableFile(name, err.reason) from None
    else:
        if OWN_REPORT.match(text):  # load_corpus passes over these silently; a direct call is told
            raise UnreadableFile(name, "a report written by discrepancy, not an article")
        raw = document_from_text(doc_id, name, text, encoding)
    if not raw.body.strip():
        raise UnreadableFile(name, "empty file")
    return raw


def load_corpus(folder: str | Path, max_file_mb: float | None = DEFAULT_MAX_FILE_MB) -> LoadResult:
    """Read every article file in `folder`.

    Raises `DiscrepancyError` when the folder is missing, unreadable or holds no
    article file; files that cannot be used (binary, undecodable, empty, over
    `max_file_mb` megabytes, other file types, broken links) are skipped with a reason.
    """
    root = Path(folder)
    if not root.exists():
        raise DiscrepancyError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise DiscrepancyError(f"not a folder: {root}")
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name)
    except OSError as err:
        raise DiscrepancyError(f"cannot read folder {root}: {err.strerror or err}") from err
    real_root = Path(os.path.realpath(root))
    documents: list[RawDocument] = []
    skipped: list[SkippedFile] = []
    used_ids: set[str] = set()
    candidates = 0
    for path in entries:
        name = display_name(path.name)
        if is_side_file(path):
            continue
        try:
            if path.is_dir():
                continue
            if leaves_folder(path, real_root):
                skipped.append(SkippedFile(name, OUTSIDE))
                continue
            if not path.is_file():
                reason = "broken link" if path.is_symlink() else "not a regular file"
                skipped.append(SkippedFile(name, reason))
                continue
            identity = os.stat(path)
        except OSError as err:
            skipped.append(SkippedFile(name, f"unreadable: {err.strerror or err}"))
            continue
        if own_output(path):
            continue
        suffix = path.suffix.lower()
        if suffix not in ARTICLE_SUFFIXES:
            kind = display_name(suffix) if suffix else "no extension"
            skipped.append(SkippedFile(name, f"not an article file type: {kind}"))
            continue
        candidates += 1
        doc_id = display_name(path.stem)
        if doc_id in used_ids:  # "a.txt" and "a.html": the second keeps its extension
            doc_id = name
        try:
            raw = load_file(path, doc_id, max_file_mb, expect=(identity.st_dev, identity.st_ino))
        except UnreadableFile as err:
            skipped.append(SkippedFile(name, err.reason))
            continue
        used_ids.add(doc_id)
        documents.append(raw)
    if not candidates:
        detail = f"; skipped: {describe_skipped(skipped)}" if skipped else ""
        raise DiscrepancyError(f"no article files (.txt, .md, .html, .htm) in {root}{detail}")
    return LoadResult(documents, skipped)
