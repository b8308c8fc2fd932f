"""Inventory: stock reservation and release, purchase limits, low-stock warnings."""
