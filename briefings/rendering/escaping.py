"""Making untrusted article text inert in each output format, and building links from safe parts.

Article titles, summaries and outlet names come from the outside world. Whatever they contain
(`@everyone`, `<@123>`, `<!channel>`, `[x](http://evil)`, backticks, HTML, `{{ 7*7 }}`) must
reach the reader as text: it never pings anyone, never becomes a link or markup, never runs.
Templates receive text already escaped for their format (HTML is escaped by Jinja's autoescape),
so a template cannot forget to escape it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from markupsafe import escape as html_escape

ZERO_WIDTH_SPACE = "\u200b"
SAFE_SCHEMES = frozenset({"http", "https"})

_SPACE = re.compile(r"\s+")
# Discord markdown: emphasis, code, spoilers, quotes, headings, masked links, mentions, emoji.
_DISCORD_SPECIAL = re.compile(r"([\\*_~`|>#\[\]()<:])")
_COMMONMARK_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])")
_MENTION_WORD = re.compile(r"@(?=(everyone|here|channel|[!&]?\d|\w))", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def inline(text: str) -> str:
    """One line of text: control characters dropped, runs of white space (newlines too) folded."""
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()


def defuse_mentions(text: str) -> str:
    """`@everyone` -> `@\u200beveryone`: shown the same, never parsed as a mention."""
    return _MENTION_WORD.sub("@" + ZERO_WIDTH_SPACE, text)


def escape_discord(text: str) -> str:
    """Discord markdown: every markup character backslashed and every `@` defused."""
    escaped = _DISCORD_SPECIAL.sub(r"\\\1", inline(text))
    escaped = _LIST_START.sub(r"\1\2\\\3", escaped)
    if escaped.startswith(("-", "+")):
        escaped = "\\" + escaped
    return defuse_mentions(escaped)


def escape_markdown(text: str) -> str:
    """CommonMark/GFM: markup characters backslashed; a leading `1.` cannot start a list."""
    escaped = _COMMONMARK_SPECIAL.sub(r"\\\1", inline(text))
    escaped = _LIST_START.sub(r"\1\2\\\3", escaped)
    if escaped.startswith(("-", "=")):
        escaped = "\\" + escaped
    return escaped


def escape_slack(text: str) -> str:
    """Slack mrkdwn: `&`, `<`, `>` escaped, so no mention, channel ping or link can be formed."""
    text = inline(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return defuse_mentions(text)


def escape_text(text: str) -> str:
    return inline(text)


def escape_html(text: str) -> str:
    return str(html_escape(inline(text)))


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, with characters that could end a link encoded.

    Anything else (javascript:, data:, relative paths, URLs with credentials) gives None, and the
    outlet is then shown without a link.
    """
    if not url:
        return None
    url = url.strip()
    if _CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname or "@" in parts.netloc:
        return None
    # Keep URL syntax, percent-encode what would close a markdown, Slack or HTML link early.
    return quote(url, safe=":/?#@!$&'*+,;=%~-._[]")


def discord_link(outlet: str, url: str | None, *, in_embed: bool) -> str:
    """`[outlet](<url>)` in message content (no preview), `[outlet](url)` inside embeds."""
    label = escape_discord(outlet)
    target = safe_url(url)
    if target is None:
        return label
    target = target.replace("[", "%5B").replace("]", "%5D")
    return f"[{label}]({target})" if in_embed else f"[{label}](<{target}>)"


def slack_link(outlet: str, url: str | None) -> str:
    """`<url|outlet>` built from escaped parts; a `|` in the outlet cannot split the link."""
    label = escape_slack(outlet).replace("|", "¦")
    target = safe_url(url)
    if target is None:
        return label
    return f"<{target.replace('|', '%7C')}|{label}>"


def markdown_link(outlet: str, url: str | None) -> str:
    label = escape_markdown(outlet)
    target = safe_url(url)
    return f"[{label}]({target})" if target else label


def text_link(outlet: str, url: str | None) -> str:
    target = safe_url(url)
    return f"{inline(outlet)} <{target}>" if target else inline(outlet)


ESCAPERS: dict[str, Callable[[str], str]] = {
    "discord": escape_discord,
    "slack": escape_slack,
    "markdown": escape_markdown,
    "text": escape_text,
    # HTML text is escaped by Jinja's autoescape when the template prints it.
    "html": inline,
}


def cut_at_word(text: str, limit: int) -> str:
    """The longest prefix of `text` within `limit` characters that ends at a word boundary."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rfind(" ")
    if cut <= 0:
        # One word longer than the limit: break it, there is no boundary to keep.
        cut = limit
    return text[:cut].rstrip()
