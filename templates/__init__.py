"""Jinja2 templates for every briefing format, shipped as package data."""
