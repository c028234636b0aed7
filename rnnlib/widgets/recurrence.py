"""Widgets for notebook 01."""

__all__ = []
