"""Every input format: Markdown, JSON, JSONL, RSS, Atom and HTML, plus folders and forced formats."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings.errors import IngestError
from briefings.ingest import ReadResult, read_inputs
from briefings.models import ArticleDraft, Block

PARAGRAPH_ONE = (
    "Foreign ministers from the Gulf states met their Iranian counterpart in Muscat on Tuesday to "
    "discuss shipping security in the Strait of Hormuz."
)
PARAGRAPH_TWO = "Oman's foreign ministry said the talks were frank and that a second round would follow within a month."
PARAGRAPH_THREE = "Analysts said the meeting was the first of its kind since the 2023 rapprochement between Riyadh and Tehran."


def drafts(results: list[ReadResult]) -> list[ArticleDraft]:
    errors = [r for r in results if isinstance(r, IngestError)]
    assert not errors, errors
    return [r for r in results if isinstance(r, ArticleDraft)]


def read(*paths: Path, **kwargs: object) -> list[ReadResult]:
    return list(read_inputs([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


# -- Markdown --------------------------------------------------------------------------------


def test_markdown_with_yaml_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "muscat.md"
    path.write_text(
        "---\n"
        "title: Gulf and Iranian ministers meet in Muscat\n"
        "subtitle: Shipping security tops the agenda\n"
        "source: Harbour Line\n"
        "url: https://harbour.example/2026/02/muscat-talks\n"
        "published: 2026-02-03T09:15:00+04:00\n"
        "language: en-GB\n"
        "---\n"
        "# Gulf and Iranian ministers meet in Muscat\n\n"
        f"{PARAGRAPH_ONE.replace('Strait of Hormuz', '[Strait of Hormuz](https://example.org/hormuz)')}\n\n"
        "## What was *agreed*\n\n"
        "Oman's **foreign ministry** said the talks were frank and that a second round would\n"
        "follow within a month.\n\n"
        "- Analysts said the meeting was the first of its kind since the 2023 rapprochement between `Riyadh` and Tehran.\n",
        encoding="utf-8",
    )
    [draft] = drafts(read(path))
    assert draft.title == "Gulf and Iranian ministers meet in Muscat"
    assert draft.subtitle == "Shipping security tops the agenda"
    assert draft.source == "Harbour Line"
    assert draft.url == "https://harbour.example/2026/02/muscat-talks"
    assert draft.published_at == datetime(2026, 2, 3, 5, 15, tzinfo=UTC)
    assert draft.date_origin == "metadata: front matter 'published'"
    assert draft.language == "en"
    assert draft.blocks == (
        Block("paragraph", PARAGRAPH_ONE),
        Block("heading", "What was agreed"),
        Block("paragraph", PARAGRAPH_TWO),
        Block("paragraph", PARAGRAPH_THREE),
    )


def test_markdown_without_front_matter_uses_heading_title_and_text_date(tmp_path: Path) -> None:
    path = tmp_path / "muscat.markdown"
    path.write_text(
        "# Ministers meet in Muscat\n\n*Shipping security tops the agenda.*\n\n"
        f"On 3 February 2026, {PARAGRAPH_ONE[0].lower()}{PARAGRAPH_ONE[1:]}\n\n"
        "Setext heading\n--------------\n\n"
        f"{PARAGRAPH_TWO}\n",
        encoding="utf-8",
    )
    [draft] = drafts(read(path, source="Desk"))
    assert draft.title == "Ministers meet in Muscat"
    assert draft.subtitle == "Shipping security tops the agenda."
    assert draft.headings == ("Setext heading",)
    assert draft.source == "Desk"
    assert draft.published_at == datetime(2026, 2, 3, tzinfo=UTC)
    assert draft.date_origin == "text: 'On 3 February 2026'"


def test_markdown_with_toml_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        '+++\ntitle = "Ministers meet"\npublished = 2026-02-03\nsource = "Harbour Line"\n+++\n\n'
        f"{PARAGRAPH_ONE}\n\n{PARAGRAPH_TWO}\n",
        encoding="utf-8",
    )
    [draft] = drafts(read(path))
    assert (draft.title, draft.source) == ("Ministers meet", "Harbour Line")
    assert draft.published_at == datetime(2026, 2, 3, tzinfo=UTC)
    assert draft.paragraphs == (PARAGRAPH_ONE, PARAGRAPH_TWO)


# -- JSON and JSONL --------------------------------------------------------------------------

RECORD = {
    "title": "Gulf and Iranian ministers meet in Muscat",
    "subtitle": "Shipping security tops the agenda",
    "body": f"{PARAGRAPH_ONE}\n\n## What was agreed\n\n{PARAGRAPH_TWO}\n\n{PARAGRAPH_THREE}",
    "source": "Harbour Line",
    "url": "https://harbour.example/muscat",
    "published_at": "2026-02-03T09:15:00Z",
    "language": "en",
}


def test_json_single_object(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text(json.dumps(RECORD), encoding="utf-8")
    [draft] = drafts(read(path))
    assert draft.origin == str(path)
    assert draft.title == RECORD["title"]
    assert draft.subtitle == RECORD["subtitle"]
    assert draft.url == RECORD["url"]
    assert draft.source == "Harbour Line"
    assert draft.headings == ("What was agreed",)
    assert draft.paragraphs == (PARAGRAPH_ONE, PARAGRAPH_TWO, PARAGRAPH_THREE)
    assert draft.published_at == datetime(2026, 2, 3, 9, 15, tzinfo=UTC)
    assert draft.date_origin == "metadata: JSON field 'published_at'"


def test_json_list_with_paragraphs_blocks_and_headings_fields(tmp_path: Path) -> None:
    records = [
        {
            "title": "One",
            "paragraphs": [PARAGRAPH_ONE, "## Next steps", PARAGRAPH_TWO],
            "published": "2026-02-03",
        },
        {
            "title": "Two",
            "blocks": [
                {"kind": "paragraph", "text": PARAGRAPH_ONE},
                {"kind": "heading", "text": "Reaction"},
                {"kind": "paragraph", "text": PARAGRAPH_THREE},
            ],
        },
        {
            "title": "Three",
            "body": f"{PARAGRAPH_ONE}\nReaction in Tehran\n{PARAGRAPH_TWO}",
            "headings": ["Reaction in Tehran"],
        },
    ]
    path = tmp_path / "list.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    one, two, three = drafts(read(path, source="Wire"))
    assert [d.origin for d in (one, two, three)] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert one.blocks == (
        Block("paragraph", PARAGRAPH_ONE),
        Block("heading", "Next steps"),
        Block("paragraph", PARAGRAPH_TWO),
    )
    assert two.headings == ("Reaction",) and two.paragraphs == (PARAGRAPH_ONE, PARAGRAPH_THREE)
    assert three.headings == ("Reaction in Tehran",)
    assert {d.source for d in (one, two, three)} == {"Wire"}


def test_jsonl_one_record_a_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {
                **RECORD,
                "title": f"Story {n}",
                "url": f"https://harbour.example/{n}",
                "body": f"Story {n}. {PARAGRAPH_ONE}",
            }
        )
        for n in range(1, 4)
    ]
    path.write_text(lines[0] + "\n\n" + lines[1] + "\n" + lines[2] + "\n", encoding="utf-8")
    results = drafts(read(path))
    assert [d.title for d in results] == ["Story 1", "Story 2", "Story 3"]
    assert [d.origin for d in results] == [f"{path}#1", f"{path}#3", f"{path}#4"]  # line numbers


def test_round_trip_of_a_shown_article(tmp_path: Path) -> None:
    """What `briefbot show --json` prints can be ingested again as it is."""
    shown = {
        "id": 7, "url": None, "source": "Harbour Line", "title": "Ministers meet", "subtitle": None,
        "headings": ["Reaction"], "body": f"{PARAGRAPH_ONE}\n\n{PARAGRAPH_TWO}",
        "blocks": [{"kind": "paragraph", "text": PARAGRAPH_ONE}, {"kind": "heading", "text": "Reaction"},
                   {"kind": "paragraph", "text": PARAGRAPH_TWO}],
        "published_at": "2026-02-03T00:00:00+00:00", "ingested_at": "2026-02-04T00:00:00+00:00",
        "language": "en", "content_hash": "x", "summary": [], "analysis": None,
    }  # fmt: skip
    path = tmp_path / "shown.json"
    path.write_text(json.dumps(shown), encoding="utf-8")
    [draft] = drafts(read(path))
    assert draft.blocks == (
        Block("paragraph", PARAGRAPH_ONE),
        Block("heading", "Reaction"),
        Block("paragraph", PARAGRAPH_TWO),
    )
    assert draft.published_at == datetime(2026, 2, 3, tzinfo=UTC)


# -- Feeds -----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Harbour Line World</title>
    <link>https://harbour.example/</link>
    <language>en-gb</language>
    <item>
      <title>Ministers meet in Muscat</title>
      <link>https://harbour.example/muscat</link>
      <pubDate>Tue, 03 Feb 2026 09:15:00 +0400</pubDate>
      <description>&lt;p&gt;{one}&lt;/p&gt;&lt;h3&gt;What comes next&lt;/h3&gt;&lt;p&gt;{two}&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;</description>
    </item>
    <item>
      <title>Envoy &amp;amp; aides arrive in Doha</title>
      <link>https://harbour.example/doha</link>
      <description><![CDATA[<p>{three}<br><br>Second paragraph of the Doha story, with <a href="https://x.example">a link</a>.</p>]]></description>
    </item>
  </channel>
</rss>
""".format(one=PARAGRAPH_ONE, two=PARAGRAPH_TWO.replace("'", "&#39;"), three=PARAGRAPH_THREE)

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Policy Desk</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2026-02-04T10:00:00Z</updated>
  <entry>
    <title>Talks in Geneva</title>
    <link href="https://desk.example/geneva"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2026-02-04T08:00:00+01:00</published>
    <updated>2026-02-04T11:00:00Z</updated>
    <content type="html">&lt;p&gt;{PARAGRAPH_ONE}&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_rss_feed_entries_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "world.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second = drafts(read(path))
    assert first.origin == f"{path}#1" and second.origin == f"{path}#2"
    assert first.source == second.source == "Harbour Line World"
    assert first.title == "Ministers meet in Muscat"
    assert first.url == "https://harbour.example/muscat"
    assert first.blocks == (
        Block("paragraph", PARAGRAPH_ONE),
        Block("heading", "What comes next"),
        Block("paragraph", PARAGRAPH_TWO),
    )
    assert first.published_at == datetime(2026, 2, 3, 5, 15, tzinfo=UTC)
    assert first.date_origin == "feed: entry published date"
    assert first.language == "en"
    assert second.title == "Envoy &amp; aides arrive in Doha".replace("&amp;", "&")
    assert second.paragraphs == (
        PARAGRAPH_THREE,
        "Second paragraph of the Doha story, with a link.",
    )
    assert second.date_origin == "file modified time (no date in the file)"


def test_atom_feed_and_source_override(tmp_path: Path) -> None:
    path = tmp_path / "desk.atom"
    path.write_text(ATOM, encoding="utf-8")
    [draft] = drafts(read(path, source="Override"))
    assert draft.source == "Override"
    assert draft.url == "https://desk.example/geneva"
    assert draft.published_at == datetime(2026, 2, 4, 7, 0, tzinfo=UTC)
    assert draft.paragraphs == (PARAGRAPH_ONE,)


# -- HTML pages ------------------------------------------------------------------------------

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Ministers meet in Muscat | Harbour Line</title>
  <meta property="og:title" content="Ministers meet in Muscat">
  <meta property="og:site_name" content="Harbour Line">
  <meta property="article:published_time" content="2026-02-03T09:15:00+04:00">
  <link rel="canonical" href="https://harbour.example/2026/02/03/muscat">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>Ministers meet in Muscat</h1>
    <p>{PARAGRAPH_ONE}</p>
    <h2>What comes next</h2>
    <p>{PARAGRAPH_TWO}</p>
    <p>{PARAGRAPH_THREE}</p>
  </article>
  <footer>Copyright Harbour Line. All rights reserved. Contact us. Privacy policy.</footer>
</body>
</html>
"""


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "muscat.html"
    path.write_text(PAGE, encoding="utf-8")
    [draft] = drafts(read(path))
    assert draft.title == "Ministers meet in Muscat"
    assert draft.source == "Harbour Line"
    assert draft.url == "https://harbour.example/2026/02/03/muscat"
    assert draft.published_at == datetime(2026, 2, 3, 5, 15, tzinfo=UTC)
    assert draft.date_origin == "page metadata: <meta article:published_time>"
    assert draft.blocks == (
        Block("paragraph", PARAGRAPH_ONE),
        Block("heading", "What comes next"),
        Block("paragraph", PARAGRAPH_TWO),
        Block("paragraph", PARAGRAPH_THREE),
    )
    assert "Privacy policy" not in draft.body


def test_html_page_in_a_declared_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "legacy.htm"
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">').replace(
        "Oman's", "Omán's"
    )
    path.write_bytes(page.encode("iso-8859-1"))
    [draft] = drafts(read(path))
    assert draft.paragraphs[1].startswith("Omán's foreign ministry")


# -- Choosing the format; folders ------------------------------------------------------------


def test_format_sniffed_without_extension_and_forced(tmp_path: Path) -> None:
    (tmp_path / "a-feed").write_text(RSS, encoding="utf-8")
    (tmp_path / "records").write_text(
        json.dumps(RECORD) + "\n" + json.dumps({**RECORD, "title": "B", "url": None}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "note").write_text(
        "---\ntitle: Front matter note\n---\n" + PARAGRAPH_ONE + "\n", encoding="utf-8"
    )
    (tmp_path / "forced.dat").write_text(json.dumps(RECORD), encoding="utf-8")
    assert len(drafts(read(tmp_path / "a-feed"))) == 2
    assert [d.title for d in drafts(read(tmp_path / "records"))] == [RECORD["title"], "B"]
    assert drafts(read(tmp_path / "note"))[0].title == "Front matter note"
    assert drafts(read(tmp_path / "forced.dat", fmt="json"))[0].title == RECORD["title"]
    # Forced as plain text, the JSON line is just the title line of a text with no body.
    [error] = read(tmp_path / "forced.dat", fmt="text")
    assert isinstance(error, IngestError) and "no article text after the title" in str(error)


def test_folders_are_walked_recursively_in_order_skipping_hidden_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "b-day2").mkdir(parents=True)
    (corpus / ".git").mkdir()
    (corpus / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (corpus / ".draft.txt").write_text(
        "Hidden\nNot to be read at all, it is hidden.\n", encoding="utf-8"
    )
    (corpus / "b-day2" / "02.txt").write_text(f"Second day\n{PARAGRAPH_TWO}\n", encoding="utf-8")
    (corpus / "a.txt").write_text(f"First day\n{PARAGRAPH_ONE}\n", encoding="utf-8")
    (corpus / "c.json").write_text(json.dumps(RECORD), encoding="utf-8")
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    results = drafts(read(corpus))
    assert [d.title for d in results] == ["First day", "Second day", RECORD["title"]]
    assert results[1].origin == str(corpus / "b-day2" / "02.txt")


def test_folders_skip_other_file_types_unless_the_format_is_forced(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "story.txt").write_text(f"Ministers meet\n{PARAGRAPH_ONE}\n", encoding="utf-8")
    (folder / "NOTES").write_text(
        f"Desk notes\n{PARAGRAPH_TWO}\n", encoding="utf-8"
    )  # no extension: read
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    (folder / "build.py").write_text("print('not an article')\n", encoding="utf-8")
    assert [d.title for d in drafts(read(folder))] == ["Desk notes", "Ministers meet"]
    forced = read(folder, fmt="text")
    assert [str(r) for r in forced if isinstance(r, IngestError)] == [
        f"{folder}/build.py: no article text after the title",
        f"{folder}/photo.jpg: binary file (it contains NUL bytes), not an article; "
        "give a text, Markdown, JSON, feed or HTML file",
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_date_falls_back_to_file_time(tmp_path: Path, fmt: str) -> None:
    import os

    path = tmp_path / "undated.txt"
    path.write_text(f"Undated story\n{PARAGRAPH_ONE}\n", encoding="utf-8")
    stamp = datetime(2026, 2, 2, 14, 30, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    [draft] = drafts(read(path, fmt=fmt))
    assert draft.published_at == datetime(2026, 2, 2, 14, 30, tzinfo=UTC)
    assert draft.date_origin == "file modified time (no date in the file)"
