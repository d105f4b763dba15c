"""Finding and loading inputs: files, folders walked recursively, and http(s) URLs, within limits.

Decoding rule for text formats: UTF-8 (a byte-order mark is allowed), UTF-16 when the file
starts with a UTF-16 byte-order mark, or the character set a web server declares in its
Content-Type header when the bytes are not UTF-8. HTML may also declare its own (`<meta
charset>`) and XML feeds their `<?xml encoding?>`. Nothing else is guessed: undecodable bytes
are an error naming the byte and its offset.
"""

from __future__ import annotations

import codecs
import contextlib
import http.client
import os
import re
import stat
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from briefings.errors import IngestError
from briefings.ingest import messages
from briefings.ingest.dates import DateChoice, as_utc

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_TIMEOUT_SECONDS = 20.0
USER_AGENT = "briefbot-ingest/0.1"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "text/html;q=0.9, application/json;q=0.9, application/x-ndjson;q=0.9, text/markdown;q=0.8, "
    "text/plain;q=0.8, */*;q=0.5"
)
MTIME_ORIGIN = "file modified time (no date in the file)"
LAST_MODIFIED_ORIGIN = "HTTP Last-Modified header (no date in the document)"
FETCH_TIME_ORIGIN = "time fetched (no date in the document)"

_URL = re.compile(r"^https?://", re.IGNORECASE)
_SCHEME = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_FILE_KINDS = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISDIR, "folder"),
)


@dataclass(frozen=True, slots=True)
class InputRef:
    """One thing to read: a file path or a URL, named as the user wrote it (`origin`)."""

    origin: str
    path: Path | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class InputDocument:
    """The raw bytes of one input and what its container says about them."""

    origin: str
    data: bytes
    suffix: str  # lower-case file or URL-path extension, with the dot, or ""
    fallback_date: DateChoice  # file time, Last-Modified or fetch time
    url: str | None = None  # the final URL after redirects, for fetched documents
    content_type: str | None = None  # media type a server declared, lower case, no parameters
    charset: str | None = None  # character set a server declared

    @property
    def host(self) -> str | None:
        if self.url is None:
            return None
        host = urllib.parse.urlsplit(self.url).hostname or ""
        return host.removeprefix("www.") or None


def is_url(text: str) -> bool:
    return _URL.match(text) is not None


def locate_inputs(
    inputs: Sequence[str], *, suffixes: frozenset[str] | None = None
) -> Iterator[InputRef | IngestError]:
    """Each input as one or more refs; folders are walked recursively in sorted order.

    Inside a folder, hidden files and folders (names starting with a dot) are skipped, and so
    are files whose extension is not in `suffixes` (when given; files without an extension are
    always read). Symbolic links to folders are followed, but a link back up the tree is not.
    Files named directly are always read.
    """
    for given in inputs:
        if is_url(given):
            yield InputRef(given, url=given)
            continue
        scheme = _SCHEME.match(given)
        if scheme:
            yield IngestError(given, messages.unsupported_scheme(scheme.group("scheme")))
            continue
        path = Path(given)
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError as exc:
            yield IngestError(given, _stat_problem(path, exc))
            continue
        if not is_folder:
            yield InputRef(given, path=path)
            continue
        found = False
        for item in _walk(path, given, seen={os.path.realpath(path)}, suffixes=suffixes):
            found = True
            yield item
        if not found:
            yield IngestError(given, messages.EMPTY_FOLDER)


def _walk(
    folder: Path, origin: str, *, seen: set[str], suffixes: frozenset[str] | None
) -> Iterator[InputRef | IngestError]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield IngestError(origin, _stat_problem(folder, exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        entry_origin = os.path.join(origin, entry.name)
        try:
            is_folder = entry.is_dir()  # follows links; False for a broken link
        except OSError as exc:
            yield IngestError(entry_origin, _stat_problem(Path(entry.path), exc))
            continue
        if not is_folder:
            suffix = Path(entry.name).suffix.lower()
            if suffixes is None or not suffix or suffix in suffixes:
                yield InputRef(entry_origin, path=Path(entry.path))
            continue
        real = os.path.realpath(entry.path)
        if real in seen:
            continue
        yield from _walk(Path(entry.path), entry_origin, seen=seen | {real}, suffixes=suffixes)


def _stat_problem(path: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return messages.broken_link(os.readlink(path))
        return messages.NO_SUCH_PATH
    if isinstance(exc, PermissionError):
        return messages.PERMISSION_DENIED
    return messages.cannot_read(exc.strerror or str(exc))


def load_input(ref: InputRef, *, max_bytes: int, timeout: float) -> InputDocument:
    """The bytes of one input, refusing anything over `max_bytes` before reading it all."""
    if ref.url is not None:
        return _fetch(ref, max_bytes=max_bytes, timeout=timeout)
    assert ref.path is not None
    return _read_file(ref.origin, ref.path, max_bytes=max_bytes)


def _read_file(origin: str, path: Path, *, max_bytes: int) -> InputDocument:
    try:
        status = os.stat(path)
    except OSError as exc:
        raise IngestError(origin, _stat_problem(path, exc)) from exc
    for test, kind in _FILE_KINDS:
        # Opening a FIFO would block until a writer appears, so look before opening.
        if test(status.st_mode):
            raise IngestError(origin, messages.not_regular_file(kind))
    if status.st_size > max_bytes:
        raise IngestError(origin, messages.too_large(status.st_size, max_bytes))
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(origin, _stat_problem(path, exc)) from exc
    if len(data) > max_bytes:  # it grew while we looked
        raise IngestError(origin, messages.too_large(None, max_bytes))
    modified = datetime.fromtimestamp(status.st_mtime, UTC)
    return InputDocument(
        origin=origin,
        data=data,
        suffix=path.suffix.lower(),
        fallback_date=DateChoice(modified, MTIME_ORIGIN),
    )


def _fetch(ref: InputRef, *, max_bytes: int, timeout: float) -> InputDocument:
    assert ref.url is not None
    request = urllib.request.Request(ref.url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IngestError(ref.origin, messages.too_large(int(length), max_bytes))
            data = response.read(max_bytes + 1)
            headers = response.headers
            final_url = response.geturl()
    except urllib.error.HTTPError as exc:
        raise IngestError(ref.origin, messages.http_status(exc.code, str(exc.reason))) from exc
    except urllib.error.URLError as exc:
        raise IngestError(ref.origin, messages.fetch_failed(str(exc.reason))) from exc
    except TimeoutError as exc:
        raise IngestError(
            ref.origin, messages.fetch_failed(f"no answer within {timeout:g} s")
        ) from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise IngestError(
            ref.origin, messages.fetch_failed(str(exc) or type(exc).__name__)
        ) from exc
    if len(data) > max_bytes:
        raise IngestError(ref.origin, messages.too_large(None, max_bytes))
    fetched = DateChoice(datetime.now(UTC), FETCH_TIME_ORIGIN)
    last_modified = headers.get("Last-Modified")
    if last_modified:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            fetched = DateChoice(as_utc(parsedate_to_datetime(last_modified)), LAST_MODIFIED_ORIGIN)
    content_type = headers.get_content_type() if headers.get("Content-Type") else None
    return InputDocument(
        origin=ref.origin,
        data=data,
        suffix=Path(urllib.parse.urlsplit(final_url).path).suffix.lower(),
        fallback_date=fetched,
        url=final_url,
        content_type=content_type,
        charset=headers.get_content_charset(),
    )


def reject_binary(document: InputDocument) -> None:
    """IngestError for empty input or bytes no article format has (NUL outside UTF-16)."""
    if not document.data.strip():
        raise IngestError(
            document.origin, messages.EMPTY_RESPONSE if document.url else messages.EMPTY_FILE
        )
    if document.data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    if b"\x00" in document.data:
        raise IngestError(document.origin, messages.BINARY)


def decode(document: InputDocument, *, declared: str | None = None) -> str:
    """The document as text, by the decoding rule in the module docstring.

    Valid UTF-8 is read as UTF-8 whatever a server declares (servers often label UTF-8 as
    ISO-8859-1); otherwise the declared character set is used, and without one it is an error.
    """
    reject_binary(document)
    data = document.data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(document.origin, data, "utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = document.charset or declared
        if encoding:
            return _decode_as(document.origin, data, encoding)
        raise IngestError(document.origin, messages.not_utf8(data[exc.start], exc.start)) from exc


def _decode_as(origin: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as exc:
        raise IngestError(origin, messages.unknown_encoding(encoding)) from exc
    except UnicodeDecodeError as exc:
        raise IngestError(
            origin, messages.bad_declared_encoding(encoding, data[exc.start], exc.start)
        ) from exc
