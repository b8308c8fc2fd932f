"""Adapters to external systems (real and sandbox), chosen by the composition root from settings."""
