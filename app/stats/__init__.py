"""Metric definitions, aggregate queries, equality breakdowns and exports."""
