"""Numbered schema scripts run by ``playhouse.migrations``; each sets ``user_version``."""
