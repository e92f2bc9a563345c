"""The roles of keys and accounts, lowest first (kept free of imports: the CLI names them at start-up)."""

ROLES = ("viewer", "planner", "admin")
