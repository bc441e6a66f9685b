"""Comparisons of a report's figures with earlier periods (issue 13, item 6): the
comparison page of one report, and the reads the home page's report panel shares."""
