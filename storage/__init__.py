"""The ledger (台账) on SQLite: schema migrations and the functions that read and change it."""
