"""The catalogue of contents a unit must disclose (DisclosureKind rows, Law
10/2022/QH15, Điều 11; Chương III and IV): national rule data that only system
administrators change. `services` adds a new version of a kind or confirms one against
the official text, `forms` and `views` are the administrator's pages (routed by
danvan.disclosure.urls under /cong-khai/danh-muc/). Reading the catalogue in force is
danvan.disclosure.selectors' (kinds_in_force)."""
