from __future__ import annotations

from xml.etree import ElementTree

from bot.edge.reply_xml import render_reply, xml_safe
from bot.messages import EmptyReply, ImageReply, NewsReply, TextReply, TransferReply


def parsed(reply):  # type: ignore[no-untyped-def]
    return ElementTree.fromstring(render_reply(reply, "o_user", "gh_x"))


def test_text_reply_is_addressed_back_to_the_user() -> None:
    root = parsed(TextReply("你好"))
    assert [root.findtext(k) for k in ("MsgType", "Content", "ToUserName", "FromUserName")] == [
        "text", "你好", "o_user", "gh_x"]


def test_text_with_cdata_terminator_and_control_characters_stays_valid_xml() -> None:
    root = parsed(TextReply("a]]>b\x00\x01c"))
    assert root.findtext("Content") == "a]]>bc"


def test_news_reply_has_exactly_one_article() -> None:
    root = parsed(NewsReply("标题", "描述", "http://x/pay/1", "http://x/p.jpg"))
    assert root.findtext("ArticleCount") == "1"
    assert root.findtext("Articles/item/Url") == "http://x/pay/1"
    assert root.findtext("Articles/item/PicUrl") == "http://x/p.jpg"


def test_image_reply_carries_media_id() -> None:
    assert parsed(ImageReply("MEDIA1")).findtext("Image/MediaId") == "MEDIA1"


def test_transfer_reply_hands_over_to_customer_service() -> None:
    assert parsed(TransferReply()).findtext("MsgType") == "transfer_customer_service"
    assert parsed(TransferReply("kf01@gh")).findtext("TransInfo/KfAccount") == "kf01@gh"


def test_empty_reply_is_success() -> None:
    assert render_reply(EmptyReply(), "o", "gh") == "success"


def test_xml_safe_drops_lone_surrogates() -> None:
    assert xml_safe("a\ud800b") == "ab"
