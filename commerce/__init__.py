"""Siyu's domain core: every business rule of the shop. No WeChat, no chat text."""
