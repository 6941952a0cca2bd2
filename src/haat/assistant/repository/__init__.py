"""The SQL of the shopping assistant: its conversations and messages (`conversations`), the
product embeddings (`embeddings`), and its reads of the approved catalogue and of the
caller's orders (`catalogue`)."""
