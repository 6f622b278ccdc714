"""Imports every domain's tasks so that a worker registers them all."""

from golive.events import tasks as event_tasks

__all__ = ["event_tasks"]
