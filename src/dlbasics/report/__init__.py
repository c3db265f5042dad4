"""Figures and the reproduction report (Markdown and HTML)."""
