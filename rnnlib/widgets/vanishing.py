"""Widgets for notebook 04."""

__all__ = []
