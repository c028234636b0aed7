"""Self-checks for notebook 00."""

__all__ = []
