"""Statistics of the movement: the grouped counts by field, sub-unit, kind of unit and
year (``selectors``), their page with charts, and their Excel export. The API serves the
same numbers (``danvan.api.movement_stats``).
"""
