"""Each adapter on files shaped like the platform's export or API answer, with their quirks."""

from __future__ import annotations

import io

import pytest

from shuxuan.orders.adapters import ParsedLine, Rejected, WrongFormat, adapter_for
from shuxuan.orders.adapters.base import clean, percent_bps, yuan
from shuxuan.orders.tests.conftest import DY_DOUBAN, DY_HOTPOT, DY_XIAOMAN, at, fixture


def parse(source: str, name: str) -> tuple[list[ParsedLine], list[Rejected]]:
    with fixture(name).open("rb") as stream:
        items = list(adapter_for(source).parse(stream))
    return [i for i in items if isinstance(i, ParsedLine)], [i for i in items if isinstance(i, Rejected)]


def parse_bytes(source: str, data: bytes) -> list[ParsedLine | Rejected]:
    return list(adapter_for(source).parse(io.BytesIO(data)))


def test_cell_quirks():
    assert clean("6953547102608758621\t") == "6953547102608758621"
    assert clean("'6953547102608758621") == "6953547102608758621"
    assert clean('="6953547102608758621"') == "6953547102608758621"
    assert clean("-") is None and clean("--") is None and clean("  ") is None
    assert yuan("¥1,299.00", name="x") == 129900
    assert yuan("￥0.005", name="x") == 1  # half-up
    assert yuan("12元", name="x") == 1200
    assert percent_bps("32.00%", name="x") == 3200
    assert percent_bps("30.00", name="x") == 3000
    assert percent_bps("0.125%", name="x") == 13  # 12.5 bp, half-up


@pytest.mark.parametrize("name", ["douyin_export_gb18030.csv", "douyin_export.xlsx"])
def test_douyin_export_gb18030_and_xlsx(name):
    lines, rejected = parse("douyin", name)
    expected = [4, 6, 7] if name.endswith(".csv") else [5, 7, 8]  # the XLSX has a title row above the header
    assert [r.line for r in rejected] == expected
    reasons = " | ".join(r.reason for r in rejected)
    assert "支付金额" in reasons and "订单状态" in reasons and "scientific notation" in reasons
    first, settled, stranger, refunded = lines
    assert first == ParsedLine(
        line=first.line,
        platform="douyin",
        order_id="6953547102608758621",
        line_id="",
        author_id=DY_XIAOMAN,
        product_id=DY_DOUBAN,
        product_name="郫县豆瓣酱 500g",
        media_type="直播",
        quantity=1,
        pay_amount_minor=16900,
        commission_rate_bps=3200,
        estimated_commission_minor=5408,
        status="paid",
        paid_at=at("2025-06-09 21:25:25"),
    )
    assert (settled.pay_amount_minor, settled.quantity, settled.status) == (129900, 2, "settled")
    assert (settled.settled_commission_minor, settled.commission_base_minor) == (25980, 129900)
    assert settled.settled_at == at("2025-06-21 10:00:00") and settled.confirmed_at == at("2025-06-13 09:00:00")
    assert stranger.product_id == "3587421906599999999" and stranger.media_type == "短视频"
    assert (refunded.status, refunded.refunded_minor) == ("refunded", 16900)


def test_douyin_institute_csv_and_api_json_agree():
    csv_lines, csv_rejected = parse("douyin", "douyin_institute_v1.csv")
    json_lines, json_rejected = parse("douyin", "douyin_api_page.json")
    assert not csv_rejected and not json_rejected
    assert [line.fingerprint() for line in csv_lines] == [line.fingerprint() for line in json_lines]
    first = csv_lines[0]
    assert (first.order_id, first.author_id, first.product_id) == ("4981234567890123401", DY_XIAOMAN, DY_DOUBAN)
    assert (first.pay_amount_minor, first.commission_base_minor, first.commission_rate_bps) == (16900, 16900, 3200)
    assert (first.estimated_commission_minor, first.settled_commission_minor) == (5408, None)
    assert (first.service_fee_rate_bps, first.service_fee_minor, first.media_type) == (1000, 1690, "live")
    settled, refunded = parse("douyin", "douyin_institute_v2.csv")[0]
    assert (settled.status, settled.settled_commission_minor, settled.settled_at) == ("settled", 5408, at("2025-06-28 10:00:00"))
    assert (refunded.status, refunded.refunded_minor, refunded.refunded_at) == ("refunded", 4990, at("2025-06-18 09:30:00"))
    assert refunded.product_id == DY_HOTPOT


def test_kuaishou_export_with_bom_and_yuan():
    lines, rejected = parse("kuaishou", "kuaishou_export_bom.csv")
    assert [(r.line, "待付款" in r.reason) for r in rejected] == [(5, True)]
    paid, settled, refunded = lines
    assert (paid.order_id, paid.line_id, paid.author_id, paid.pay_amount_minor) == ("2419000011112222", "22001", "3390217", 5990)
    assert (paid.estimated_commission_minor, paid.status, paid.paid_at) == (1198, "paid", at("2025-06-09 20:00:10"))
    assert (settled.status, settled.quantity, settled.pay_amount_minor) == ("settled", 2, 11980)
    # No 付款时间: the creation time stands in; 80 with the whole payment refunded is a refund.
    assert (refunded.status, refunded.refunded_minor, refunded.paid_at) == ("refunded", 5990, at("2025-06-09 20:06:00"))


def test_kuaishou_api_json_cps_codes_and_partial_refund():
    lines, rejected = parse("kuaishou", "kuaishou_api.json")
    assert not rejected
    received, partly_refunded = lines
    assert (received.status, received.confirmed_at, received.paid_at) == (
        "confirmed",
        at("2025-06-12 20:00:00"),
        at("2025-06-09 20:00:00"),
    )
    assert (received.commission_rate_bps, received.service_fee_rate_bps, received.service_fee_minor) == (2000, 500, 300)
    assert (partly_refunded.status, partly_refunded.pay_amount_minor, partly_refunded.refunded_minor) == ("paid", 11980, 5990)


def test_taobao_api_fields_and_chinese_xlsx_agree():
    lines, rejected = parse("taobao", "taobao_tbk.csv")
    assert [(r.line, "11" in r.reason or "未付款" in r.reason) for r in rejected] == [(5, True)]
    paid, settled, invalid = lines
    assert (paid.order_id, paid.line_id, paid.author_id) == ("1987654321000001", "1987654321000011", "2800001")
    assert (paid.pay_amount_minor, paid.commission_rate_bps, paid.estimated_commission_minor) == (380, 3000, 103)
    assert (paid.service_fee_rate_bps, paid.service_fee_minor, paid.media_type) == (1000, 11, "")
    assert (settled.status, settled.pay_amount_minor, settled.settled_commission_minor) == ("settled", 17600, 3960)
    assert settled.settled_at == at("2025-06-20 09:00:00") and invalid.status == "invalid"
    xlsx_lines, xlsx_rejected = parse("taobao", "taobao_export.xlsx")
    assert len(xlsx_rejected) == 1
    assert [(x.order_id, x.status, x.pay_amount_minor, x.author_id) for x in xlsx_lines] == [
        (x.order_id, x.status, x.pay_amount_minor, x.author_id) for x in lines
    ]


def test_wechat_league_json_lines():
    lines, rejected = parse("wechat", "wechat_league.jsonl")
    assert not rejected
    unsettled, settled, cancelled = lines
    assert (unsettled.order_id, unsettled.line_id, unsettled.author_id, unsettled.product_id) == (
        "3712000000000001",
        "100200300",
        "ofd_chashan01",
        "10000088",
    )
    # ratio 100000 ppm = 10% = 1000 bp; service_ratio 300000 ppm = 3000 bp.
    assert (unsettled.commission_rate_bps, unsettled.estimated_commission_minor, unsettled.service_fee_rate_bps) == (
        1000,
        880,
        3000,
    )
    assert unsettled.status == "paid" and unsettled.paid_at == at("2025-06-09 20:00:05")
    assert settled.status == "settled" and settled.settled_at is not None
    assert (cancelled.status, cancelled.refunded_minor) == ("refunded", 8800)


def test_generic_utf8_and_gb18030_tab_separated_agree():
    utf8, rejected = parse("generic", "generic_day1.csv")
    gb, gb_rejected = parse("generic", "generic_day1_gb18030.tsv")
    assert not rejected and not gb_rejected
    assert [line.fingerprint() for line in utf8] == [line.fingerprint() for line in gb]
    assert (utf8[0].platform, utf8[0].order_id, utf8[0].line_id, utf8[0].pay_amount_minor) == ("douyin", "G-1001", "1", 10000)
    day2, _ = parse("generic", "generic_day2.csv")
    assert (day2[0].status, day2[0].refunded_minor) == ("paid", 3000)


@pytest.mark.parametrize("source", ["douyin", "kuaishou", "taobao", "wechat", "generic"])
def test_wrong_headers_are_refused_before_any_row(source):
    with fixture("wrong_headers.csv").open("rb") as stream, pytest.raises(WrongFormat) as refused:
        next(adapter_for(source).parse(stream))
    assert "missing columns" in refused.value.message or "missing keys" in refused.value.message


def test_a_json_file_given_to_the_wrong_adapter_is_refused():
    with fixture("kuaishou_api.json").open("rb") as stream, pytest.raises(WrongFormat):
        next(adapter_for("douyin").parse(stream))
    with fixture("douyin_api_page.json").open("rb") as stream, pytest.raises(WrongFormat):
        next(adapter_for("generic").parse(stream))


def test_generic_row_errors_name_the_problem():
    header = "platform,order_id,status,paid_at,pay_amount,refund_amount\n"
    rows = [
        "douyin,A1,paid,2025-06-01 10:00:00,10.00,20.00\n",  # refund over payment
        "mars,A2,paid,2025-06-01 10:00:00,10.00,\n",
        "douyin,A3,paid,not a date,10.00,\n",
        "douyin,A4,refunded,2025-06-01 10:00:00,10.00,\n",
    ]
    items = parse_bytes("generic", (header + "".join(rows)).encode())
    assert [type(i).__name__ for i in items] == ["Rejected", "Rejected", "Rejected", "ParsedLine"]
    assert "退款金额" in items[0].reason and "platform" in items[1].reason and "paid_at" in items[2].reason  # type: ignore[union-attr]
    assert items[3].refunded_minor == 1000  # type: ignore[union-attr]


# The back-office 联盟订单明细 export's real column order (platform-formats.md §6a): 订单来源 stands
# before 流量来源, and the adapter reads 流量来源 first.
DOUYIN_EXPORT_HEADER = (
    "订单id,商品id,商品名称,作者账号,抖音/火山号,支付金额,佣金率,预估佣金支出,结算金额,实际佣金支出,订单状态,"
    "超时未结算原因,付款时间,收货时间,订单结算时间,商品来源,尾款支付时间,定金金额,店铺id,店铺名称,商品数量,佣金发票,"
    "冻结比例,是否阶梯佣金,门槛销量,基础佣金率,升佣佣金率,预估奖励佣金支出,结算奖励佣金支出,阶梯计划ID,支付补贴,"
    "平台补贴,达人补贴,运费,税费,运费补贴,分销来源,营销活动id,推广费率,推广技术服务费,预估推广费支出,结算推广费支出,"
    "计划类型,订单来源,流量细分来源,流量来源,订单类型"
)


def douyin_export_row(order_id: str, *, order_source: str, traffic_source: str) -> str:
    cells = dict.fromkeys(DOUYIN_EXPORT_HEADER.split(","), "-")
    cells.update(
        {
            "订单id": f'"{order_id}\t"',
            "商品id": f'"{DY_DOUBAN}\t"',
            "商品名称": "郫县豆瓣酱 500g",
            "抖音/火山号": f'"{DY_XIAOMAN}\t"',
            "支付金额": "¥169.00",
            "佣金率": "32.00%",
            "预估佣金支出": "¥54.08",
            "订单状态": "订单付款",
            "付款时间": "2025-06-09 21:25:25",
            "商品数量": "1",
            "订单来源": order_source,
            "流量来源": traffic_source,
        }
    )
    return ",".join(cells.values())


def test_douyin_traffic_source_wins_over_order_source_in_the_real_column_order():
    rows = [
        DOUYIN_EXPORT_HEADER,
        douyin_export_row("6953547102608758621", order_source="直播", traffic_source="千川"),
        douyin_export_row("6953547102608758622", order_source="直播", traffic_source="-"),
    ]
    data = "\r\n".join(rows).encode("gb18030")
    ads, organic = parse_bytes("douyin", data)
    assert isinstance(ads, ParsedLine) and isinstance(organic, ParsedLine)
    assert (ads.line, ads.order_id, ads.media_type, ads.commission_rate_bps) == (2, "6953547102608758621", "千川", 3200)
    assert (organic.line, organic.media_type) == (3, "")


def test_aliases_resolve_by_priority_not_by_column_order():
    from shuxuan.orders.adapters.base import alias_lookup, match_header

    lookup = alias_lookup({"media_type": ("流量来源", "订单来源"), "order_id": ("订单id",)})
    assert match_header(lookup, ["订单来源", "订单id", "流量来源"]) == {"media_type": 2, "order_id": 1}
    assert match_header(lookup, ["订单来源", "订单id"]) == {"media_type": 0, "order_id": 1}
    assert match_header(lookup, ["media_type", "流量来源"]) == {"media_type": 0}
