"""The SQL of customers, khata entries, their running roll-ups and the business summary, one
module per table group."""
