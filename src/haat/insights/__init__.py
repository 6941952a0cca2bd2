"""Behaviour events, and later the churn / spend models and analytics that read them."""
