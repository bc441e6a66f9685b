"""URLs of the movement, one module per area (entries, evaluation, imports, statistics)."""

from . import urls_entries, urls_evaluation, urls_imports, urls_stats

app_name = "movement"

urlpatterns = [
    *urls_stats.urlpatterns,
    *urls_evaluation.urlpatterns,
    *urls_imports.urlpatterns,
    *urls_entries.urlpatterns,
]
