"""Reading receiver name, phone and address from what people type."""

from __future__ import annotations

import pytest

from bot.dialogue.receiver import clean_address, find_phone, find_province, parse_one_line, valid_name


class TestPhone:
    @pytest.mark.parametrize("text", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
                                      "手机13812345678", "１３８１２３４５６７８"])
    def test_mobile_numbers_are_found_in_common_spellings(self, text: str) -> None:
        assert find_phone(text) == "13812345678"

    @pytest.mark.parametrize("text", ["1234", "12812345678", "138123456789", "电话号码", "0571-88888888", ""])
    def test_anything_else_is_not_a_mobile_number(self, text: str) -> None:
        assert find_phone(text) is None


class TestProvince:
    @pytest.mark.parametrize(("text", "province"), [
        ("浙江省杭州市西湖区文三路100号", "浙江省"), ("浙江杭州西湖区", "浙江省"), ("上海市浦东新区世纪大道1号", "上海市"),
        ("新疆乌鲁木齐天山区", "新疆维吾尔自治区"), ("广西南宁青秀区", "广西壮族自治区"), ("杭州市西湖区文三路", "浙江省"),
        ("深圳南山区科技园", "广东省"), ("内蒙古呼和浩特市", "内蒙古自治区"),
    ])
    def test_the_province_is_found_from_full_or_short_names_and_big_cities(self, text: str, province: str) -> None:
        assert find_province(text) == province

    def test_no_province_in_a_bare_street_address(self) -> None:
        assert find_province("幸福小区3栋2单元501室") is None


class TestOneLine:
    @pytest.mark.parametrize("text", [
        "张三 13812345678 浙江省杭州市西湖区文三路100号",
        "张三，13812345678，浙江省杭州市西湖区文三路100号",
        "13812345678 张三 浙江省杭州市西湖区文三路100号",
        "张三，138 1234 5678，浙江省杭州市西湖区文三路100号",
        "张三 +86 138-1234-5678 浙江省杭州市西湖区文三路100号",
        "收货人：张三 电话：13812345678 地址：浙江省杭州市西湖区文三路100号",
        "浙江省杭州市西湖区文三路100号 张三 13812345678",
    ])
    def test_name_phone_and_address_in_one_message(self, text: str) -> None:
        r = parse_one_line(text)
        assert r is not None
        assert (r.name, r.phone, r.province) == ("张三", "13812345678", "浙江省")
        assert r.detail == "浙江省杭州市西湖区文三路100号"

    @pytest.mark.parametrize("text", ["张三", "张三 13812345678", "13812345678 幸福小区3栋", "张三 浙江省杭州市西湖区",
                                      "浙江省杭州市 西湖区 13812345678"])
    def test_an_incomplete_line_is_not_taken(self, text: str) -> None:
        assert parse_one_line(text) is None


class TestNameAndAddress:
    def test_a_name_may_carry_a_label(self) -> None:
        assert valid_name("收货人：李四") == "李四"

    @pytest.mark.parametrize("text", ["", "   ", "李4", "x" * 21])
    def test_bad_names_are_refused(self, text: str) -> None:
        assert valid_name(text) is None

    def test_an_address_loses_its_label_and_extra_spaces(self) -> None:
        assert clean_address("地址： 浙江省杭州市  西湖区 ") == "浙江省杭州市 西湖区"
