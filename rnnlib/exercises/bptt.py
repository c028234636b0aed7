"""Self-checks for notebook 03."""

__all__ = []
