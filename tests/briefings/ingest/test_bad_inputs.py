"""Bad input: each problem is one clear message naming the input, and the rest is still read."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from briefings.errors import IngestError
from briefings.ingest import ReadResult, read_inputs
from briefings.models import ArticleDraft

GOOD_TEXT = "Envoys meet in Vienna\nDiplomats from both sides met in Vienna on Monday to discuss the nuclear file.\n"


def read(*paths: Path | str, **kwargs: object) -> list[ReadResult]:
    return list(read_inputs([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def only_error(results: list[ReadResult]) -> str:
    assert len(results) == 1, results
    assert isinstance(results[0], IngestError), results
    return str(results[0])


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return path


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_bytes(b"\xef\xbb\xbf  \r\n\n\t\n")
    assert only_error(read(empty)) == f"{empty}: empty file: there is no text to read"
    assert only_error(read(blank)) == f"{blank}: empty file: there is no text to read"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert only_error(read(path)).startswith(f"{path}: binary file (it contains NUL bytes)")


def test_undecodable_bytes_name_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Talks in Bogotá\nThe delegations met.\n".encode("cp1252"))
    message = only_error(read(path))
    assert message.startswith(f"{path}: not UTF-8: byte 0xe1 at offset 14 cannot be decoded")


def test_utf16_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(GOOD_TEXT.encode("utf-16"))
    [draft] = read(path)
    assert isinstance(draft, ArticleDraft) and draft.title == "Envoys meet in Vienna"


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 50 MB long, no disk used
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    message = only_error(read(path))
    assert time.perf_counter() - started < 5  # a generous bound: reading 50 MB would not be refused
    assert (
        message == f"{path}: too large: 52.4 MB exceeds the 10 MB limit (raise it with --max-size)"
    )
    small_limit = only_error(read(path, max_bytes=1000))
    assert small_limit.endswith(
        "too large: 52.4 MB exceeds the 1 kB limit (raise it with --max-size)"
    )


def test_malformed_json_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"title": "x",\n  "body": "y" "z"}', encoding="utf-8")
    assert (
        only_error(read(path))
        == f"{path}: malformed JSON at line 2, column 15: Expecting ',' delimiter"
    )


def test_jsonl_bad_records_fail_alone(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = {"title": "Good", "body": "Ministers met in Rome on Monday.", "published": "2026-02-02"}
    lines = [
        json.dumps(good),
        '{"title": "Broken",',
        json.dumps({"title": "C", "body": "Body.", "published": 42}),
        json.dumps([1, 2]),
        json.dumps({"title": "  ", "body": "Body."}),
        json.dumps({"title": "F"}),
        json.dumps({"title": "G", "body": "Body.", "url": "ftp://files.example/g"}),
        json.dumps({"title": 7, "body": "Body."}),
        json.dumps({"title": "I", "body": "Body.", "published": "sometime soon"}),
        json.dumps({"title": "J", "body": "\n\n"}),
        json.dumps({"title": "K", "paragraphs": "not a list"}),
        json.dumps({"title": "L", "body": "Body.", "headings": ["Missing heading"]}),
        json.dumps({**good, "title": "Last good", "body": "Ministers met in Oslo on Tuesday."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read(path)
    assert [r.title for r in results if isinstance(r, ArticleDraft)] == ["Good", "Last good"]
    assert [str(r) for r in results if isinstance(r, IngestError)] == [
        f"{path}#2: malformed JSON at column 20: Expecting property name enclosed in double quotes",
        f"{path}#3: field 'published' must be a date, got 42",
        f"{path}#4: a record must be a JSON object, got [1, 2]",
        f"{path}#5: field 'title' is empty",
        f"{path}#6: field 'body' is missing (give 'body', 'paragraphs' or 'blocks')",
        f"{path}#7: field 'url' must be an http(s) URL, got \"ftp://files.example/g\"",
        f"{path}#8: field 'title' must be a string, got 7",
        f"{path}#9: field 'published' must be a date, got \"sometime soon\" (not a recognisable date)",
        f"{path}#10: the article text is empty",
        f"{path}#11: field 'paragraphs' must be a list of strings, got \"not a list\"",
        f"{path}#12: field 'headings': 'Missing heading' is not a line of the body",
    ]


def test_json_that_is_not_records(tmp_path: Path) -> None:
    scalar = tmp_path / "scalar.json"
    scalar.write_text('"just a string"', encoding="utf-8")
    empty_list = tmp_path / "list.json"
    empty_list.write_text("[]", encoding="utf-8")
    assert only_error(read(scalar)).endswith(
        "a JSON article file must hold one object or a list of objects"
    )
    assert only_error(read(empty_list)).endswith("no records: the JSON list is empty")


def test_malformed_xml_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>\n'
        "<item><title>A</title><description>Fine.</description></item>\n"
        "<item><title>B<title></item></channel></rss>\n",
        encoding="utf-8",
    )
    assert only_error(read(path)) == f"{path}: malformed XML at line 4, column 23: mismatched tag"


def test_xml_that_is_not_a_feed_and_feed_entry_problems(tmp_path: Path) -> None:
    other = tmp_path / "config.xml"
    other.write_text("<?xml version='1.0'?><settings><a>1</a></settings>", encoding="utf-8")
    assert only_error(read(other)).endswith(
        "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root element)"
    )
    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title></title><description>Body of the untitled entry.</description></item>"
        "<item><title>No body</title></item>"
        "<item><title>Fine</title><description>A body.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    results = read(feed)
    assert [str(r) for r in results if isinstance(r, IngestError)] == [
        f"{feed}#1: the title is empty",
        f"{feed}#2: the article text is empty",
    ]
    assert [r.title for r in results if isinstance(r, ArticleDraft)] == ["Fine"]


def test_malformed_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody text.\n", encoding="utf-8")
    assert only_error(read(path)).startswith(
        f"{path}: malformed front matter: YAML at line 2, column 17: expected"
    )
    typed = tmp_path / "typed.md"
    typed.write_text("---\ntitle: Fine\npublished: 42\n---\nBody text.\n", encoding="utf-8")
    assert (
        only_error(read(typed))
        == f"{typed}: front matter: field 'published' must be a date, got 42"
    )


def test_folder_with_entries_that_cannot_be_read(tmp_path: Path, good_file: Path) -> None:
    """Works as root too: a dangling link and a FIFO fail for every user."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a-good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "b-dangling.txt").symlink_to(folder / "gone.txt")
    os.mkfifo(folder / "c-pipe.txt")
    (folder / "d-good.txt").write_text(GOOD_TEXT.replace("Vienna", "Geneva"), encoding="utf-8")
    results = read(folder)
    assert [r.title for r in results if isinstance(r, ArticleDraft)] == [
        "Envoys meet in Vienna",
        "Envoys meet in Geneva",
    ]
    assert [str(r) for r in results if isinstance(r, IngestError)] == [
        f"{folder}/b-dangling.txt: broken symbolic link: its target '{folder / 'gone.txt'}' does not exist",
        f"{folder}/c-pipe.txt: not a regular file (a FIFO); only files, folders and URLs can be ingested",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    secret = folder / "b.txt"
    secret.write_text(GOOD_TEXT, encoding="utf-8")
    secret.chmod(0)
    (folder / "locked").chmod(0)
    try:
        results = read(folder)
    finally:
        secret.chmod(0o644)
        (folder / "locked").chmod(0o755)
    assert [str(r) for r in results if isinstance(r, IngestError)] == [
        f"{folder}/b.txt: permission denied",
        f"{folder}/locked: permission denied",
    ]
    assert len([r for r in results if isinstance(r, ArticleDraft)]) == 1


def test_missing_paths_empty_folders_and_other_schemes(tmp_path: Path, good_file: Path) -> None:
    (tmp_path / "empty").mkdir()
    results = read(
        tmp_path / "nope.txt", tmp_path / "empty", "ftp://files.example/a.txt", good_file
    )
    assert [str(r) for r in results[:3]] == [
        f"{tmp_path / 'nope.txt'}: no such file or folder",
        f"{tmp_path / 'empty'}: no article files in this folder (hidden files and other file types are skipped)",
        "ftp://files.example/a.txt: unsupported URL scheme 'ftp'; only http and https URLs can be fetched",
    ]
    assert isinstance(results[3], ArticleDraft)


def test_fifo_given_directly_does_not_block(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert only_error(read(pipe)).endswith(
        "not a regular file (a FIFO); only files, folders and URLs can be ingested"
    )


def test_html_page_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>",
        encoding="utf-8",
    )
    assert only_error(read(path)) == f"{path}: no article text found in the page"
