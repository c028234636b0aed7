"""Widgets for notebook 03."""

__all__ = []
