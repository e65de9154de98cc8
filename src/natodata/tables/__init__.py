"""The tables: each CSV read, structure-checked and cast to typed columns, and the canonical form."""
