"""How an imitated parcel travels: five stages a fixed step apart, from the moment it was first seen.

Cities, hubs and the courier's name come from the tracking number, so the same
parcel always tells the same story.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))
CARRIER_NAMES = {
    "yuantong": "圆通速递", "zhongtong": "中通快递", "shentong": "申通快递", "yunda": "韵达快递",
    "shunfeng": "顺丰速运", "jd": "京东快递", "ems": "EMS", "youzhengguonei": "邮政快递包裹",
    "jtexpress": "极兔速递", "debangkuaidi": "德邦快递",
}
ORIGINS = ("浙江省杭州市", "广东省广州市", "江西省赣州市", "福建省福州市", "山东省烟台市")
DESTINATIONS = ("上海市浦东新区", "北京市朝阳区", "广东省深圳市", "四川省成都市", "湖北省武汉市")
HUBS = ("杭州转运中心", "广州转运中心", "南昌转运中心", "郑州转运中心", "武汉转运中心")
COURIERS = ("王师傅", "李师傅", "张师傅", "刘师傅")
STAGES = 5
SIGNED_STAGE = STAGES - 1
STATE_CODES = ("1", "0", "0", "5", "3")  # Kuaidi100 main states: 揽收, 在途, 在途, 派件, 签收
STATUS_WORDS = ("揽收", "在途", "在途", "派件", "签收")


@dataclass(frozen=True)
class Track:
    state: str
    ischeck: str
    data: list[dict[str, str]]  # newest first, Kuaidi100 `data` items


def _pick(num: str, options: tuple[str, ...], salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{num}".encode()).digest()
    return options[digest[0] % len(options)]


def _context(stage: int, com: str, num: str) -> tuple[str, str]:
    origin, dest = _pick(num, ORIGINS, "o"), _pick(num, DESTINATIONS, "d")
    hub, courier = _pick(num, HUBS, "h"), _pick(num, COURIERS, "c")
    name = CARRIER_NAMES.get(com, "快递")
    phone = "9" + hashlib.sha256(num.encode()).hexdigest()[:4].translate(str.maketrans("abcdef", "123456"))
    lines = (
        (origin, f"【{origin}】{name}已揽收，揽投员：{courier}"),
        (hub, f"【{hub}】快件已发往 {dest}"),
        (dest, f"【{dest}】快件已到达 {dest}营业部"),
        (dest, f"【{dest}】快递员 {courier}（电话 1380000{phone}）正在为您派件"),
        (dest, f"【{dest}】您的快件已签收，签收人：本人，感谢使用{name}"),
    )
    return lines[stage][1], lines[stage][0]


def stage_at(first_seen: float, now: float, step_seconds: float) -> int:
    if now < first_seen:
        return 0
    return min(SIGNED_STAGE, int((now - first_seen) // max(step_seconds, 0.001)))


def track(com: str, num: str, first_seen: float, now: float, step_seconds: float) -> Track:
    stage = stage_at(first_seen, now, step_seconds)
    data = []
    for n in range(stage, -1, -1):
        at = datetime.fromtimestamp(first_seen + n * step_seconds, UTC).astimezone(CHINA)
        stamp = at.strftime("%Y-%m-%d %H:%M:%S")
        context, location = _context(n, com, num)
        data.append({"time": stamp, "ftime": stamp, "context": context, "location": location,
                     "areaName": location, "status": STATUS_WORDS[n]})
    return Track(STATE_CODES[stage], "1" if stage == SIGNED_STAGE else "0", data)
