"""The journal's core: plain Python over SQLite. Never imports Qt."""
