"""Våga fråga: ask about violence, record it, inform and refer."""

__version__ = "0.1.0"
