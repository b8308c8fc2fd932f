"""Shipping fee templates (by piece or weight, per-province rates, free-shipping threshold)."""
