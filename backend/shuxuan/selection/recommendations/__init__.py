"""People–goods matching (人货匹配, action plan 三(一)5): which products suit an anchor, which anchors
suit a product, and why.

The score is a fixed blend of explainable signals in [0, 1], each learned from the history of
picks (`Pick`, implicit interest) and daily sales (`AnchorProductSales`, implicit conversion) before
`as_of` — nothing after it is read, so an evaluation on a time split is honest:

| signal | weight | what it measures |
|---|---|---|
| category | 0.30 | share of the anchor's picks/sales in the product's leaf and top category, plus the declared main categories |
| similar anchors | 0.25 | item–item co-occurrence: anchors who took what this anchor took also took this (cosine) |
| conversion | 0.15 | how the anchor's earlier picks in the same category sold (sold share × units per product) |
| price band | 0.12 | the product's retail price against the anchor's log-price band of picked and sold goods |
| region | 0.08 | origin city = anchor's city, or the anchor already sells goods of that origin, or both in Sichuan |
| commission | 0.07 | the rate `rate_quotes` would give the anchor now (anchor → products), the public rate otherwise |
| popularity | 0.03 | how many anchors took the product (a tie-breaker, and the evaluation's baseline on its own) |

An interaction's weight is 1 + ln(1 + units sold). Only approved products are recommended; a
product the anchor already has a pick of (any state) is never recommended to it. Each call runs a
fixed number of queries whatever the number of candidates (neighbours and candidates are capped).
Scores are floats: they are rankings, never money. Reasons carry Chinese and English text.

The package: `history.py` reads the history and builds each anchor's profile (the signals' input),
`scoring.py` turns a profile and a candidate into signals, reasons and a score, `for_anchor.py` and
`for_product.py` generate the candidates of each direction and rank them.
"""

from shuxuan.selection.recommendations.for_anchor import ProductMatch, popular_products, recommend_products_for_anchor
from shuxuan.selection.recommendations.for_product import AnchorMatch, recommend_anchors_for_product
from shuxuan.selection.recommendations.scoring import WEIGHTS, MatchReason

__all__ = [
    "WEIGHTS",
    "AnchorMatch",
    "MatchReason",
    "ProductMatch",
    "popular_products",
    "recommend_anchors_for_product",
    "recommend_products_for_anchor",
]
