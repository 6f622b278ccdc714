"""Imports every domain's tasks so that a worker registers them all."""

from golive.commerce import tasks as payment_tasks
from golive.engagement.analytics import tasks as analytics_tasks
from golive.events import tasks as event_tasks
from golive.live import tasks as live_tasks
from golive.media import tasks as media_tasks
from golive.notify import tasks as notify_tasks

__all__ = ["analytics_tasks", "event_tasks", "live_tasks", "media_tasks", "notify_tasks", "payment_tasks"]
