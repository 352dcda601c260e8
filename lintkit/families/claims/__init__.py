"""The claims family (placeholder until implemented)."""
