"""The tools built on the tables: fmt, anchor, stats, codebook, export, timeline and load."""
