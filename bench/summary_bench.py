"""Summarizer benchmark: briefbot against Lead-k and sumy's LexRank, TextRank and Luhn on BBC News Summary.

Every method gets each article's title and paragraphs and chooses among the same sentence units
(`briefings.sentences.split_sentences`; sumy through `bench.sumy_baselines.BriefbotTokenizer`).
Two budgets: the reference's own sentence count, and 3 sentences. Scores are mean ROUGE-1,
ROUGE-2 and ROUGE-Lsum F1 (rouge-score, Porter stemming); speed is articles per second over both
budgets, summarising only (ROUGE is computed outside the timed part; each method first summarises
one article untimed, so one-off set-up such as loading stemmers or the country table is not
counted), on one core.

    .venv/bin/python -m bench.summary_bench                      # politics-dev and all categories
    .venv/bin/python -m bench.summary_bench --sets politics-dev --no-ablations
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rouge_score import rouge_scorer

from bench.bbc_summary_data import CATEGORIES, BbcArticle, iter_bbc
from bench.sumy_baselines import sumy_summarizer
from briefings.sentences import split_sentences
from briefings.summaries import SelectionRules, summarize_paragraphs

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "bbc-news-summary"
BUDGETS: tuple[str | int, ...] = ("ref", 3)
METRICS = ("rouge1", "rouge2", "rougeLsum")

Method = Callable[[str, Sequence[str], int], list[str]]


def lead(title: str, paragraphs: Sequence[str], budget: int) -> list[str]:
    return [s for p in paragraphs for s in split_sentences(p)][:budget]


def briefbot(rules: SelectionRules) -> Method:
    def summarize(title: str, paragraphs: Sequence[str], budget: int) -> list[str]:
        return summarize_paragraphs(title, paragraphs, sentences=budget, rules=rules)

    return summarize


def methods(*, ablations: bool) -> dict[str, Method]:
    chosen: dict[str, Method] = {
        "Lead-k (Lead-3 at 3)": lead,
        "sumy LexRank": sumy_summarizer("lexrank"),
        "sumy TextRank": sumy_summarizer("textrank"),
        "sumy Luhn": sumy_summarizer("luhn"),
        "briefbot": briefbot(SelectionRules()),
    }
    if ablations:
        chosen |= {
            "  - countries not folded": briefbot(SelectionRules(fold_countries=False)),
            "  - quotes may end open": briefbot(SelectionRules(close_quotes=False)),
            "  - any opener": briefbot(SelectionRules(dependent_penalty=None)),
            "  - no lead boost": briefbot(SelectionRules(lead_boost=0.0)),
            "  - no length prior": briefbot(SelectionRules(length_prior=0.0)),
            "  - none of the above": briefbot(
                SelectionRules(
                    fold_countries=False, keep_quotes_whole=False, close_quotes=False, dependent_penalty=None,
                    pair_dependents=False, lead_boost=0.0, length_prior=0.0,
                )
            ),
        }
    return chosen


@dataclass
class MethodResult:
    """Per-article ROUGE F1 for each budget and metric, and the time spent summarising."""

    scores: dict[tuple[str | int, str], list[float]] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)  # per article, both budgets together


def run(articles: Sequence[BbcArticle], chosen: dict[str, Method]) -> dict[str, MethodResult]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    results = {name: MethodResult() for name in chosen}
    for name, method in chosen.items():
        result = results[name]
        if articles:  # one-off set-up (stemmers, the country table) stays outside the timing
            method(articles[0].title, articles[0].paragraphs, 3)
        for article in articles:
            summaries = {}
            started = time.perf_counter()
            for budget in BUDGETS:
                count = len(article.reference) if budget == "ref" else int(budget)
                summaries[budget] = method(article.title, article.paragraphs, max(count, 1))
            result.seconds.append(time.perf_counter() - started)
            reference = "\n".join(article.reference)
            for budget, summary in summaries.items():
                score = scorer.score(reference, "\n".join(summary))
                for metric in METRICS:
                    result.scores.setdefault((budget, metric), []).append(score[metric].fmeasure)
    return results


def table(title: str, results: dict[str, MethodResult], indices: Sequence[int]) -> str:
    header = (
        f"{'method':<26} | {'R1':>5} {'R2':>5} {'RLsum':>5} | {'R1':>5} {'R2':>5} {'RLsum':>5} | "
        f"{'art/s':>7} {'x LexRank':>9}"
    )
    budget_line = f"{'':<26} | {'budget = reference':^17} | {'budget = 3 sentences':^17} |"
    lines = [f"{title} ({len(indices)} articles)", budget_line, header, "-" * len(header)]
    speeds = {name: len(indices) / max(sum(r.seconds[i] for i in indices), 1e-9) for name, r in results.items()}
    lexrank = speeds.get("sumy LexRank")
    for name, result in results.items():
        cells = []
        for budget in BUDGETS:
            for metric in METRICS:
                values = result.scores[(budget, metric)]
                cells.append(f"{100 * sum(values[i] for i in indices) / len(indices):5.1f}")
        ratio = f"{speeds[name] / lexrank:8.1f}x" if lexrank else ""
        lines.append(
            f"{name:<26} | {' '.join(cells[:3])} | {' '.join(cells[3:])} | {speeds[name]:7.0f} {ratio:>9}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the bbc-news-summary folder")
    parser.add_argument(
        "--sets", default="politics-dev,all",
        help="comma-separated tables to print: a category name or 'all' (default: politics-dev,all)",
    )
    parser.add_argument("--limit", type=int, default=None, help="at most N articles per category")
    parser.add_argument("--no-ablations", action="store_true", help="leave out the briefbot ablation rows")
    args = parser.parse_args(argv)

    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    categories = list(CATEGORIES) if "all" in sets else [s for s in CATEGORIES if s in sets]
    unknown = [s for s in sets if s != "all" and s not in CATEGORIES]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; choose from all, {', '.join(CATEGORIES)}")
    articles: list[BbcArticle] = []
    for category in categories:
        found = list(iter_bbc(args.data, [category]))
        articles.extend(found[: args.limit] if args.limit else found)

    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, one process")
    results = run(articles, methods(ablations=not args.no_ablations))
    for name in sets:
        indices = [i for i, a in enumerate(articles) if name == "all" or a.category == name]
        print()
        print(table("all categories" if name == "all" else name, results, indices))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
