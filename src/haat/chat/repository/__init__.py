"""The SQL of chat, one module per table group: conversations (with the joins that list
them), messages and read positions, cached translations."""
