"""Tasks proposed from the text of a conclusion: see ``extract`` (the rules), ``resolve``
(unit phrases → units) and ``evaluation`` (precision and recall on the labelled set)."""
