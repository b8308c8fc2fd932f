from __future__ import annotations

from commerce.orders.views import mask_address


def test_masked_address_names_the_province_once_and_hides_the_street() -> None:
    masked = mask_address("浙江省", "浙江省杭州市西湖区文三路100号")
    assert masked.startswith("浙江省杭州市西")
    assert masked.count("浙江省") == 1
    assert "100" not in masked
