"""The desktop client (PySide6 widgets). Thin: events in, service calls out."""
