"""Double-entry ledger tables: accounts, journal entries and their postings."""
