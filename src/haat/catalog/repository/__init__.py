"""The SQL of the catalogue's tables, one module per table group."""
