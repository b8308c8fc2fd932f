"""Imitations of external servers (WeChat, WeChat Pay v3, courier) and the web chat simulator."""
