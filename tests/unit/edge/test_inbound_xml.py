from __future__ import annotations

import pytest

from bot.edge.inbound_xml import dedup_key, parse_fields, require_sender, to_inbound
from bot.edge.rejection import Rejected
from sandbox.wechat import wire


def inbound_of(xml: str):  # type: ignore[no-untyped-def]
    return to_inbound(parse_fields(xml), "rid1")


class TestNormalisation:
    def test_text_message_carries_content_and_msg_id(self) -> None:
        got = inbound_of(wire.text_xml("gh", "o1", 1700000000, "你好", 42))
        assert (got.openid, got.kind, got.text, got.msg_id, got.create_time) == ("o1", "text", "你好", "42", 1700000000)
        assert got.request_id == "rid1"

    def test_subscribe_with_qrscene_becomes_subscribe_with_scene(self) -> None:
        got = inbound_of(wire.event_xml("gh", "o1", 1, "subscribe", "qrscene_ref_42", ticket="T"))
        assert (got.kind, got.event, got.scene, got.key) == ("event", "subscribe", "ref_42", "")

    def test_plain_subscribe_has_no_scene(self) -> None:
        got = inbound_of(wire.event_xml("gh", "o1", 1, "subscribe"))
        assert (got.event, got.scene) == ("subscribe", "")

    def test_scan_keeps_the_raw_scene(self) -> None:
        got = inbound_of(wire.event_xml("gh", "o1", 1, "SCAN", "ref_42", ticket="T"))
        assert (got.event, got.scene) == ("scan", "ref_42")

    def test_click_becomes_click_with_menu_key(self) -> None:
        got = inbound_of(wire.event_xml("gh", "o1", 1, "CLICK", "MENU_CART"))
        assert (got.event, got.key) == ("click", "MENU_CART")

    def test_voice_uses_recognition_or_empty_text(self) -> None:
        with_asr = "<xml><FromUserName>o</FromUserName><MsgType>voice</MsgType><Recognition>脐橙</Recognition></xml>"
        without = "<xml><FromUserName>o</FromUserName><MsgType>voice</MsgType><MediaId>m</MediaId></xml>"
        assert (inbound_of(with_asr).kind, inbound_of(with_asr).text) == ("voice", "脐橙")
        assert inbound_of(without).text == ""

    def test_unknown_message_type_keeps_its_kind(self) -> None:
        xml = "<xml><FromUserName>o</FromUserName><MsgType>miniprogram_page</MsgType></xml>"
        assert inbound_of(xml).kind == "miniprogram_page"

    def test_nested_event_extras_are_kept_in_raw(self) -> None:
        xml = ("<xml><FromUserName>o</FromUserName><MsgType>event</MsgType><Event>scancode_push</Event>"
               "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>x</ScanResult></ScanCodeInfo></xml>")
        got = inbound_of(xml)
        assert got.event == "scancode_push"
        assert got.raw["ScanCodeInfo"] == {"ScanType": "qrcode", "ScanResult": "x"}


class TestDedupKey:
    def test_messages_are_identified_by_msg_id(self) -> None:
        assert dedup_key(parse_fields(wire.text_xml("gh", "o1", 1, "a", 7))) == "m:7"

    def test_events_are_identified_by_sender_time_event_and_key(self) -> None:
        fields = parse_fields(wire.event_xml("gh", "o1", 99, "CLICK", "K"))
        assert dedup_key(fields) == "e:o1:99:CLICK:K"
        assert dedup_key(parse_fields(wire.event_xml("gh", "o1", 99, "subscribe", ""))) == "e:o1:99:subscribe"

    def test_two_menu_taps_in_the_same_second_are_two_events(self) -> None:
        cart = parse_fields(wire.event_xml("gh", "o1", 99, "CLICK", "MENU_CART"))
        recommend = parse_fields(wire.event_xml("gh", "o1", 99, "CLICK", "MENU_RECOMMEND"))
        assert dedup_key(cart) != dedup_key(recommend)


class TestHardening:
    def test_billion_laughs_is_refused(self) -> None:
        bomb = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                "<xml><FromUserName>o</FromUserName><MsgType>text</MsgType><Content>&c;</Content></xml>")
        with pytest.raises(Rejected) as err:
            parse_fields(bomb)
        assert err.value.status == 400

    def test_external_entity_is_refused(self) -> None:
        xxe = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               "<xml><Content>&x;</Content></xml>")
        with pytest.raises(Rejected):
            parse_fields(xxe)

    @pytest.mark.parametrize("xml", [
        '<!DOCTYPE xml [<!ENTITY a "x">]><xml><Content><![CDATA[hi]]>&a;</Content></xml>',
        '<xml><Content><![CDATA[a]]></Content></xml><!DOCTYPE x>',
        '<<![CDATA[!DOCTYPE xml [<!ENTITY a "x">]><xml><Content>&a;</Content></xml>',
    ])
    def test_a_dtd_next_to_cdata_sections_is_still_refused(self, xml: str) -> None:
        with pytest.raises(Rejected):
            parse_fields(xml)

    def test_cdata_and_comments_are_fine(self) -> None:
        fields = parse_fields("<xml><!-- WeChat never sends this --><FromUserName><![CDATA[o1]]></FromUserName>"
                              "<Content><![CDATA[<b>&amp;</b>]]></Content><N>&lt;</N></xml>")
        assert fields == {"FromUserName": "o1", "Content": "<b>&amp;</b>", "N": "<"}

    def test_malformed_xml_is_a_bad_request(self) -> None:
        with pytest.raises(Rejected) as err:
            parse_fields("<xml><Content>unclosed</xml>")
        assert err.value.status == 400

    def test_other_root_element_is_refused(self) -> None:
        with pytest.raises(Rejected):
            parse_fields("<html><FromUserName>o</FromUserName></html>")

    @pytest.mark.parametrize("xml", [
        "<xml><MsgType>text</MsgType><Content>x</Content></xml>",
        "<xml><FromUserName>  </FromUserName><MsgType>text</MsgType></xml>",
        "<xml><FromUserName>o</FromUserName></xml>",
    ])
    def test_missing_sender_or_type_is_a_bad_request(self, xml: str) -> None:
        with pytest.raises(Rejected) as err:
            require_sender(parse_fields(xml))
        assert err.value.status == 400
