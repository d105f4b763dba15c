"""Extractive summaries of articles and of stories told by several articles."""
