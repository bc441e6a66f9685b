"""The tasks board (issue 12, item 7): for a unit's subtree and a period, the tasks led
in it counted the Government Office's four ways, by source and by child unit (rolled up
the tree), against the same period one year earlier, late work first. `selectors` counts
(a fixed number of queries), `views` shows it (/nhiem-vu/bang-theo-doi/), `workbook`
writes it as Excel; the API serves the same numbers (danvan.api.tasks)."""
