"""Search ranking: how close "where the words are" ranking comes to bm25, on real news articles.

SQLite ranks a query with a common word (in more than `BM25_TERM_LIMIT` articles) by where its
words appear (title, subtitle and headings, body, with bm25's column weights; newest first
among equals) instead of by bm25. This measures what that costs in ranking quality, on the
2,225 BBC News Summary articles (../shared/eval/bbc-news-summary, dated one hour apart in file
order): for each query, the top 5 of every match ranked by bm25 (the reference) against the top
5 of the same matches ranked by fields, and, as the baseline, by recency alone (newest first).
Printed: mean overlap of the top 5 with bm25's, and how often bm25's first hit is in the top 5.

    python -m bench.search_ranking_bench
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.bbc_summary_data import iter_bbc
from briefings.models import ArticleDraft, Block
from briefings.store import SqlArticleStore, open_store
from briefings.store import sql as store_sql

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "bbc-news-summary"
TOP = 5
# Words and phrases of every section of the set, from common to fairly rare.
QUERIES = (
    "government", "election", "tax", "economy growth", "mobile phone", "film award", "champion",
    "prime minister", "interest rates", "oil prices", "music", "games", "security", "china",
    "football club", "internet", "court", "police", "market", "chancellor", "labour", "tories",
    "music industry", "broadband", "software", "virus", "injury", "coach", "oscar", "box office",
    '"chief executive"', "profits", "shares", "bank", "europe", "immigration", "iraq",
    "album", "television", "players",
)


def build_store(root: Path, path: Path) -> SqlArticleStore:
    store = open_store(f"sqlite:///{path}")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    drafts = [
        (
            ArticleDraft(
                title=article.title,
                blocks=tuple(Block("paragraph", p) for p in article.paragraphs),
                source=f"BBC {article.category}",
                origin=article.label,
                published_at=start + timedelta(hours=n),
            ),
            None,
        )
        for n, article in enumerate(iter_bbc(root))
    ]
    store.add_many(drafts)
    store.optimize()
    return store


def ranked(store: SqlArticleStore, query: str, *, ranking: str) -> list[int]:
    """Every match's id in `ranking` order ("bm25", "fields" or "newest"), in one tier."""
    store_sql.RANK_WINDOW = 1_000_000
    store_sql.BM25_TERM_LIMIT = 1_000_000 if ranking == "bm25" else 0
    page = store.search(query, limit=store_sql.MAX_PAGE_SIZE)
    ids = [hit.article_id for hit in page.hits]
    return sorted(ids, reverse=True) if ranking == "newest" else ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_ranking_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the BBC News Summary folder")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"{args.root}: not found (the BBC News Summary set, ../shared/eval/bbc-news-summary)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as workdir:
        store = build_store(args.root, Path(workdir) / "bbc.db")
        try:
            print(f"{store.count():,} BBC articles; {len(QUERIES)} queries; top {TOP} against bm25 over every match")
            overlap: dict[str, list[float]] = {"fields": [], "newest": []}
            first: dict[str, list[bool]] = {"fields": [], "newest": []}
            matches = []
            for query in QUERIES:
                reference = ranked(store, query, ranking="bm25")
                matches.append(len(reference))
                if len(reference) <= TOP:
                    continue  # every ranking shows every match
                for ranking in overlap:
                    top = ranked(store, query, ranking=ranking)[:TOP]
                    overlap[ranking].append(len(set(top) & set(reference[:TOP])) / TOP)
                    first[ranking].append(reference[0] in top)
            print(f"matches per query: median {statistics.median(matches):.0f}, "
                  f"min {min(matches)}, max {max(matches)}; {len(overlap['fields'])} queries with more than {TOP}")
            print(f"{'ranking':<44}{'top-5 overlap':>15}{'bm25 #1 in top 5':>18}")
            labels = {"newest": "baseline: newest first", "fields": "briefbot: where the words are (common words)"}
            for ranking in ("newest", "fields"):
                print(f"{labels[ranking]:<44}{statistics.mean(overlap[ranking]):>15.2f}"
                      f"{sum(first[ranking]) / len(first[ranking]):>18.0%}")
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
