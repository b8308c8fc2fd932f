"""Logistics: the courier port (query + push), shipments with their latest tracking, delivery detection."""
