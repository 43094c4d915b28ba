"""Pipeline components of the extraction core (lexicons, numbers, dates, events, document)."""
