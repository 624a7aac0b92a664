"""Legal channels across borders: a knowledge base built from curated Markdown entries."""

__version__ = "0.1.0"
