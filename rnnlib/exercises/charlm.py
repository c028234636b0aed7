"""Self-checks for notebook 07."""

__all__ = []
