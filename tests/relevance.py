"""Relevance set placeholder: filled below."""
QUERIES = [("preserve data netherlands", "/countries/nl#preservation")]
