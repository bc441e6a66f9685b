"""Evaluation rounds of the movement: criteria sets, opening a round over a period's
candidate entries, reviewers' score sheets, and the confirmation that records each
candidate's outcome on its entry (docs/movement.md).
"""
