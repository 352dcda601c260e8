"""The consistency family (placeholder until implemented)."""
