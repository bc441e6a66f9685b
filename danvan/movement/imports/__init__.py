"""Importing the movement's entries from an Excel spreadsheet: the template, reading and
checking an upload row by row (``excel``), the import jobs and the background tasks that
validate and write them (``services``), and their pages (docs/movement_import.md).
"""
