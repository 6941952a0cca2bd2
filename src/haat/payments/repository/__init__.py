"""The SQL of payments, one module per table group: `ledger` (accounts, journal entries,
postings), `payments` (payments and their history), `milestones` (escrow milestones and
their history), `events` (provider webhook events), `settings` (each business's provider),
and `orders` (reads and row locks of commerce's orders, which payments never write)."""
