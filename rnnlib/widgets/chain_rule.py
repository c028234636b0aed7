"""Widgets for notebook 02."""

__all__ = []
