"""Catalog: categories, products (SPU), SKUs, shelf history, search, import."""
