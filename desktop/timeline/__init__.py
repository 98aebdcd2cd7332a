"""The timeline panel of the desktop app: a case's events as a table and a time axis.

    from desktop.timeline import TimelinePanel
    panel = TimelinePanel(session)
"""
from .panel import PASSAGE_MIME, TimelinePanel, passage_mime

__all__ = ["TimelinePanel", "PASSAGE_MIME", "passage_mime"]
