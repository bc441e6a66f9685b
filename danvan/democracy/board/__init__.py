"""The steering committee's compliance board: every unit of a subtree against every
obligation of grassroots democracy (disclosures, reception days, dialogues, inspection
boards, conferences, votes), each cell done, late, missing or not applicable.
`selectors` builds the board (its heavy cells computed by `sql`, one statement each),
`views` shows it a page at a time (/dan-chu/bang-theo-doi/) and `workbook` writes it,
every row, as an Excel file. The API serves the same board (danvan.api.compliance)."""
