"""Loading: read a folder of article files into `RawDocument` records.

Each file is one article: `.txt` or `.md`, optionally opening with a front-matter
block of `key: value` lines between `---` fences (title, source, published, url).
Files that cannot be used are returned as `SkippedFile`s, never silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil import parser as date_parser

from .errors import DiscrepancyError
from .records import RawDocument, SkippedFile

ARTICLE_SUFFIXES = {".txt", ".md"}
FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
UNKNOWN = "unknown"


@dataclass(frozen=True)
class LoadResult:
    documents: list[RawDocument]
    skipped: list[SkippedFile]


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split `text` into its front-matter fields and the body after them."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text.lstrip("\ufeff")
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[match.end():]


def parse_published(value: str | None) -> date | None:
    """A publication date from front matter, or None when absent or `unknown`."""
    if not value or value.strip().lower() in {UNKNOWN, "", "none", "n/a"}:
        return None
    try:
        return date_parser.parse(value, dayfirst=False, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def article_files(folder: Path) -> list[Path]:
    """The candidate article files of a corpus folder, in a stable order."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in ARTICLE_SUFFIXES
        and not p.name.lower().startswith("readme")
    )


def read_text(path: Path) -> tuple[str, str]:
    """Decode a file as UTF-8. Returns (text, encoding); raises UnicodeDecodeError otherwise."""
    data = path.read_bytes()
    return data.decode("utf-8"), "utf-8"


def document_from_text(doc_id: str, path: str, text: str, encoding: str = "utf-8") -> RawDocument:
    """Build a `RawDocument` from a file's decoded text (pure: no I/O)."""
    fields, body = parse_front_matter(text)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
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


def load_corpus(folder: str | Path) -> LoadResult:
    """Read every article file in `folder`.

    Raises `DiscrepancyError` when the folder is missing or holds no article file;
    files that are unreadable or empty are skipped with a reason.
    """
    root = Path(folder)
    if not root.exists():
        raise DiscrepancyError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise DiscrepancyError(f"not a folder: {root}")
    files = article_files(root)
    if not files:
        raise DiscrepancyError(f"no .txt or .md articles in {root}")
    documents: list[RawDocument] = []
    skipped: list[SkippedFile] = []
    for path in files:
        try:
            text, encoding = read_text(path)
        except UnicodeDecodeError:
            skipped.append(SkippedFile(path.name, "not valid UTF-8 text"))
            continue
        except OSError as err:
            skipped.append(SkippedFile(path.name, f"unreadable: {err.strerror or err}"))
            continue
        raw = document_from_text(path.stem, path.name, text, encoding)
        if not raw.body.strip():
            skipped.append(SkippedFile(path.name, "empty file"))
            continue
        documents.append(raw)
    return LoadResult(documents, skipped)
