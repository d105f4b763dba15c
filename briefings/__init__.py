"""briefbot's domain core: articles, their analysis, and briefings, with no chat platform in sight."""

__version__ = "0.1.0"
