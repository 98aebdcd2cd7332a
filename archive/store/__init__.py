"""The archive's SQLite store (sqlite-utils), its schema and its queries."""
