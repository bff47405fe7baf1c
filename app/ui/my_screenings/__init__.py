"""A handler's own screenings: list, detail and correction."""
