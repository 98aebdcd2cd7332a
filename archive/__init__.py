"""Casefile's headless core. It never imports Qt."""
