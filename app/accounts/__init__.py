"""Users, roles, what each role may see, and the audit log."""
