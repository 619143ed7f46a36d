"""Workstation: a desktop annotation workstation for political news."""

__version__ = "0.1.0"
