"""Widgets for notebook 07."""

__all__ = []
