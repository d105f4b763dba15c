"""Rendering a briefing through Jinja2 templates for each platform, within its limits."""
