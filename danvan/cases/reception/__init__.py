"""Citizen reception (tiếp công dân): the leaders' reception schedules, published on the
portal with the legal minimum each leader owes, the sessions actually held (the cases
received there point back to them), and the warning when a leader received on fewer
days than the law asks. Mounted at /tiep-cong-dan/ (URL namespace ``reception``).
"""
