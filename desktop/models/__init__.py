"""Qt item models over tuples of the core's dataclasses (articles, hits, facts, problems)."""
from .articles import ArticleFilterProxy, ArticleTableModel
from .facts import FactFilterProxy, FactTreeModel
from .filters import ArticleFilter
from .hits import HitListModel
from .problems import ProblemTableModel

__all__ = ["ArticleTableModel", "ArticleFilterProxy", "ArticleFilter", "HitListModel",
           "FactTreeModel", "FactFilterProxy", "ProblemTableModel"]
