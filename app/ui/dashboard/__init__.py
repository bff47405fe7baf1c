"""The statistics dashboard."""
