"""Payments: the payment port (WeChat Pay v3 shaped), payment and refund records and use cases."""
