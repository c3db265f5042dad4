"""``dlbasics data info|fetch``."""
