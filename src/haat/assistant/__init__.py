"""The shopping assistant: answers from the approved catalogue and the caller's own orders."""
