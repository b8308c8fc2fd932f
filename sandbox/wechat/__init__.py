"""Imitation of WeChat's API server and of WeChat's servers calling us (see wire.py, api.py)."""
