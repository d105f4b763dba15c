"""The analysis of an article: countries, people, organisations, figures, dates and events."""
