"""Jiju (集聚): steering development zones and industrial clusters."""

__version__ = "0.1.0"
