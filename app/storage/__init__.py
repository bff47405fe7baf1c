"""The engine factory, ORM tables, repositories and migrations."""
