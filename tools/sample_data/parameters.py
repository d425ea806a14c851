"""What the synthetic sample is made of: columns, shares, prices and words.

These are the broad proportions borrowed from the UCI "Online Retail" data
(never its rows); every stage of the generator reads them from here.
"""

from __future__ import annotations

import numpy as np

#: Output columns, in the UCI "Online Retail" order and spelling.
COLUMNS: tuple[str, ...] = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)

DEFAULT_SEED = 20261123
DEFAULT_CUSTOMERS = 3000
CUSTOMER_ID_RANGE = (12000, 18999)
FIRST_INVOICE_NUMBER = 489434

# Share of customers per country (exact counts, largest remainder).
COUNTRY_SHARES: dict[str, float] = {
    "United Kingdom": 0.875,
    "Germany": 0.030,
    "France": 0.027,
    "EIRE": 0.016,
    "Spain": 0.014,
    "Belgium": 0.014,
    "Netherlands": 0.012,
    "Switzerland": 0.012,
}
# Postage charged per line "POST" on invoices to each foreign country.
POSTAGE_PRICE: dict[str, float] = {
    "Germany": 18.0,
    "France": 18.0,
    "EIRE": 15.0,
    "Spain": 28.0,
    "Belgium": 18.0,
    "Netherlands": 18.0,
    "Switzerland": 40.0,
}

# Behaviour segments: share of customers, basket-scale lognormal (mu, sigma).
SEGMENTS: dict[str, tuple[float, float, float]] = {
    "one_off": (0.38, 0.0, 0.55),
    "occasional": (0.29, 0.0, 0.55),
    "regular": (0.25, 0.15, 0.5),
    "loyal": (0.065, 0.3, 0.5),
    "wholesaler": (0.015, 1.0, 0.8),
}

# Share of the final row count taken by each quirk.
MISSING_CUSTOMER_SHARE = 0.22
CANCELLATION_SHARE = 0.0175
DUPLICATE_SHARE = 0.01
ADJUSTMENT_SHARE = 0.0025
FREE_LINE_SHARE = 0.001
FREE_GUEST_LINE_SHARE = 0.0005

# Hours of day 7..20 (invoice start), shaped like the real shop's day.
HOUR_WEIGHTS = np.array(
    [0.7, 16.5, 63.5, 90.2, 106.0, 145.3, 133.7, 124.8, 143.9, 100.6, 52.2, 14.6]
    + [6.6, 1.5]
)

PRICE_POINTS = np.array(
    [0.19, 0.21, 0.29, 0.36, 0.39, 0.42, 0.55, 0.65, 0.72, 0.79, 0.83, 0.85]
    + [0.95, 1.25, 1.45, 1.65, 1.69, 1.85, 1.95, 2.10, 2.46, 2.55, 2.95, 3.25]
    + [3.75, 4.25, 4.95, 5.95, 6.75, 7.95, 8.50, 9.95, 12.75, 14.95]
)

# Words of the synthetic product names.
# fmt: off
ADJECTIVES = (
    "VINTAGE", "RETRO", "WHITE", "HANGING", "DOTTY", "FLORAL", "ENAMEL", "KNITTED",
    "GLASS", "WOODEN", "CERAMIC", "PAPER", "ZINC", "CHROME", "LACE", "STRIPEY",
    "POLKADOT", "ANTIQUE", "RUSTIC", "SWEETHEART", "GARDEN", "CHRISTMAS", "REGENCY",
    "SCANDI", "FELTCRAFT", "WICKER", "TIN", "SPACEBOY", "WOODLAND", "PARISIENNE",
    "HOMESPUN", "ORIGAMI", "JUMBO", "MINI", "BAROQUE",
)
COLOURS = (
    "RED", "PINK", "BLUE", "GREEN", "IVORY", "CREAM", "BLACK", "SILVER", "GOLD",
    "PURPLE", "ORANGE", "YELLOW", "TURQUOISE", "NATURAL",
)
NOUNS = (
    "T-LIGHT HOLDER", "LANTERN", "COAT HANGER", "HOT WATER BOTTLE", "MUG",
    "TEA TOWEL", "LUNCH BOX", "JAM JAR", "DOORSTOP", "CAKE STAND", "PHOTO FRAME",
    "NOTEBOOK", "WALL CLOCK", "BUNTING", "CUSHION COVER", "SHOPPING BAG", "CANDLE",
    "PLACEMATS", "BAKING SET", "GIFT WRAP", "GREETING CARD", "DOORMAT",
    "JEWELLERY BOX", "PICNIC BASKET", "WATERING CAN", "STORAGE TIN", "PARTY CUPS",
    "NAPKINS", "EGG CUP", "TRINKET BOX", "KEY RING", "UMBRELLA", "BIRD ORNAMENT",
    "HEART DECORATION", "CHARM BRACELET", "BATH SPONGE", "DRINKS BOTTLE", "METAL SIGN",
)
# fmt: on
PACK_PREFIXES = ("SET OF 3", "SET/6", "PACK OF 12", "SET OF 2")
ADJUSTMENT_NOTES = (
    ("", 0.40),
    ("check", 0.15),
    ("damages", 0.10),
    ("damaged", 0.09),
    ("?", 0.07),
    ("thrown away", 0.06),
    ("wet damaged", 0.05),
    ("smashed", 0.04),
    ("sold as set on dotcom", 0.04),
)

# Invoice kinds (also the tie-break order of invoices at the same minute).
PURCHASE, GUEST, CANCEL, ADJUST, BAD_DEBT = 0, 1, 2, 3, 4
#: No invoice has more lines than this (duplicates included).
MAX_LINES = 30
N_PRODUCTS = 400
