"""The legal figures of people's supervision (SupervisionRule rows): the size of a
community investment supervision board, its deputies, the people on each side of a
workplace dialogue. They are effective-dated rule data, never constants in code:
`selectors` reads the version in force on a day, `services`, `forms` and `views` let a
system administrator add a version or confirm one against the official text (the pages
are listed on the legal rules page and routed by `danvan.legal.urls`)."""
