"""Reading a receiver (name, mobile phone, address) from chat text.

Pure functions.  The province is found from the address text (full or short
name, or a well-known city) and returned in its full official form
("浙江省", "新疆维吾尔自治区"), which the shipping templates match by prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROVINCES: tuple[str, ...] = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
    "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区",
    "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)
_SHORT = {p: re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", p) for p in PROVINCES}
CITIES: dict[str, str] = {
    "杭州": "浙江省", "宁波": "浙江省", "温州": "浙江省", "金华": "浙江省", "义乌": "浙江省", "绍兴": "浙江省",
    "南京": "江苏省", "苏州": "江苏省", "无锡": "江苏省", "常州": "江苏省", "广州": "广东省", "深圳": "广东省",
    "东莞": "广东省", "佛山": "广东省", "珠海": "广东省", "成都": "四川省", "武汉": "湖北省", "长沙": "湖南省",
    "郑州": "河南省", "济南": "山东省", "青岛": "山东省", "合肥": "安徽省", "福州": "福建省", "厦门": "福建省",
    "南昌": "江西省", "赣州": "江西省", "西安": "陕西省", "昆明": "云南省", "贵阳": "贵州省", "南宁": "广西壮族自治区",
    "石家庄": "河北省", "太原": "山西省", "沈阳": "辽宁省", "大连": "辽宁省", "长春": "吉林省",
    "哈尔滨": "黑龙江省", "兰州": "甘肃省", "西宁": "青海省", "银川": "宁夏回族自治区", "乌鲁木齐": "新疆维吾尔自治区",
    "拉萨": "西藏自治区", "呼和浩特": "内蒙古自治区", "海口": "海南省", "三亚": "海南省",
}
PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_PHONE_LOOSE = re.compile(r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9](?:[\s\-－—]?\d){9}(?!\d)")  # 138 1234 5678
_LABELS = re.compile(r"(?:收货人|收件人|联系人|姓名|名字|联系电话|电话号码|手机号码|手机号|手机|电话|联系方式|收货地址|详细地址|地址)"
                     r"\s*[:：]")  # 「收货人：张三 电话：138… 地址：…」 (WeChat's own address paste)
_PHONE_NOISE = re.compile(r"[\s\-－—()（）+]")
_BARE_NAME = re.compile(r"^[\u4e00-\u9fff·]{1,3}[\u4e00-\u9fff](?<![省市区县镇乡村路街道巷弄号楼栋室园苑城厦])$")
MIN_ADDRESS_CHARS = 8
MAX_NAME_CHARS = 20
MAX_ADDRESS_CHARS = 120


@dataclass(frozen=True)
class Receiver:
    name: str
    phone: str
    province: str
    detail: str


def find_phone(text: str) -> str | None:
    """An 11-digit mainland mobile number in the text (spaces, dashes and +86 tolerated)."""
    text = text.translate(_FULLWIDTH_DIGITS)
    loose = _PHONE_LOOSE.search(text)  # 「张三 +86 138 1234 5678 上海…」
    if loose is not None:
        return re.sub(r"\D", "", loose.group())[-11:]
    digits = _PHONE_NOISE.sub("", text)
    digits = digits.removeprefix("86") if digits.startswith("861") and len(digits) >= 13 else digits
    match = PHONE.search(digits)
    return match.group(1) if match else None


def valid_name(text: str) -> str | None:
    name = re.sub(r"\s+", " ", text).strip(" ，,。.:：")
    name = re.sub(r"^(收货人|收件人|姓名|名字)\s*[:：是为]?\s*", "", name)
    if not name or len(name) > MAX_NAME_CHARS or re.search(r"\d", name):
        return None
    return name


def find_province(text: str) -> str | None:
    for full in PROVINCES:
        if full in text:
            return full
    for full, short in _SHORT.items():
        if text.startswith(short) or short in text[:12]:
            return full
    for city, full in CITIES.items():
        if city in text:
            return full
    return None


def clean_address(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ，,。")
    return re.sub(r"^(收货地址|地址|寄到|送到)\s*[:：是为]?\s*", "", text)[:MAX_ADDRESS_CHARS]


def parse_one_line(text: str) -> Receiver | None:
    """「张三 13812345678 浙江省杭州市…」 (any order of name / phone / address) in one message."""
    phone = find_phone(text)
    if phone is None:
        return None
    unlabelled = _LABELS.sub(" ", _PHONE_LOOSE.sub(" ", text.translate(_FULLWIDTH_DIGITS)))
    rest = [p for p in re.split(r"[\s,，;；、/|]+", PHONE.sub(" ", _PHONE_NOISE.sub(" ", unlabelled))) if p]
    province = None
    address_parts: list[str] = []
    name_parts: list[str] = []
    for part in rest:
        found = find_province(part) if len(part) >= 4 else None
        if found or address_parts:
            province = province or found
            address_parts.append(part)
        else:
            name_parts.append(part)
    if not name_parts and len(address_parts) > 1 and _BARE_NAME.match(address_parts[-1]):
        name_parts = [address_parts.pop()]  # 「浙江省杭州市… 张三 138…」: the address came first
    name = valid_name(" ".join(name_parts))
    detail = clean_address(" ".join(address_parts))
    if not (name and province and len(detail) >= MIN_ADDRESS_CHARS):
        return None
    return Receiver(name=name, phone=phone, province=province, detail=detail)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
