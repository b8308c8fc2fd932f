"""Customers (one per WeChat openid), their consents and saved addresses."""
