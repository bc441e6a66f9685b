"""URLs of the movement, one sub-package per area (entries, evaluation, imports, stats)."""

from .entries import urls as entries
from .evaluation import urls as evaluation
from .imports import urls as imports
from .stats import urls as stats

app_name = "movement"

urlpatterns = [
    *stats.urlpatterns,
    *evaluation.urlpatterns,
    *imports.urlpatterns,
    *entries.urlpatterns,
]
