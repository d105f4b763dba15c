"""The platforms' documented message limits, and the margins briefbot keeps below them."""

from __future__ import annotations

# Discord: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
DISCORD_CONTENT = 2000
DISCORD_EMBED_TITLE = 256
DISCORD_EMBED_DESCRIPTION = 4096
DISCORD_EMBED_FIELDS = 25
DISCORD_FIELD_NAME = 256
DISCORD_FIELD_VALUE = 1024
DISCORD_EMBED_FOOTER = 2048
DISCORD_EMBEDS_TOTAL = 6000  # title + description + field names and values + footer, all embeds
DISCORD_EMBEDS_PER_MESSAGE = 10

# Slack: https://docs.slack.dev/reference/block-kit/blocks
SLACK_BLOCKS = 50
SLACK_SECTION_TEXT = 3000
SLACK_HEADER_TEXT = 150
SLACK_CONTEXT_ELEMENTS = 10
SLACK_MESSAGE_TEXT = 40000
# Slack rejects some messages well below its documented maxima ("msg_too_long", "invalid_blocks"
# for large block payloads), so each message keeps its block text and fallback text modest.
SLACK_MESSAGE_BUDGET = 12000
SLACK_FALLBACK_TEXT = 2000

# Room kept below a limit for the note that says how much of a story was cut.
CUT_NOTE_ROOM = 160
