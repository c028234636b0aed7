"""Widgets for notebook 05."""

__all__ = []
