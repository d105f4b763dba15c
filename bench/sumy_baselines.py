"""sumy's LexRank, TextRank and Luhn set up offline, on the same sentence units as briefbot.

sumy's own `Tokenizer("english")` needs NLTK's Punkt data, which is a download; here sumy gets
`BriefbotTokenizer` instead: sentences from `briefings.sentences.split_sentences` (the units
every method in the benchmark chooses from) and words from NLTK's Treebank word tokenizer (pure
code, no data), filtered with sumy's own word pattern, so sumy sees the words it normally sees.
Stemming is sumy's English Snowball stemmer; stop words are sumy's bundled English list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nltk.tokenize import TreebankWordTokenizer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefings.sentences import split_sentences

Summarizer = Callable[[str, Sequence[str], int], list[str]]


class BriefbotTokenizer:
    """The `to_sentences`/`to_words` pair sumy's document model asks of a tokenizer."""

    language = "english"

    def __init__(self) -> None:
        self._words = TreebankWordTokenizer()

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._words.tokenize(sentence) if Tokenizer._is_word(w))


def sumy_document(paragraphs: Sequence[str], tokenizer: BriefbotTokenizer) -> ObjectDocumentModel:
    return ObjectDocumentModel(
        [Paragraph([Sentence(s, tokenizer) for s in tokenizer.to_sentences(p)]) for p in paragraphs]
    )


def sumy_summarizer(kind: str) -> Summarizer:
    """A benchmark method: title, paragraphs and a sentence budget in, chosen sentences out."""
    classes = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "luhn": LuhnSummarizer}
    summarizer = classes[kind](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = BriefbotTokenizer()

    def summarize(title: str, paragraphs: Sequence[str], budget: int) -> list[str]:
        return [str(s) for s in summarizer(sumy_document(paragraphs, tokenizer), budget)]

    return summarize
