"""The main window's panels, each a plain QWidget that gets data pushed in
and reports what the user did through signals."""
from .archive_panel import ArchivePanel
from .error_dialog import show_error
from .facts_panel import FactsPanel
from .problems_panel import ProblemsPanel
from .progress_bar import ProgressIndicator
from .reader import Reader
from .search_panel import SearchPanel

__all__ = ["ArchivePanel", "FactsPanel", "ProblemsPanel", "ProgressIndicator", "Reader",
           "SearchPanel", "show_error"]
