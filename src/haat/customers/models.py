"""A business's customers and their khata (credit ledger) entries."""
