"""Stage 1: the product catalogue, and the products of each invoice."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.sample_data.parameters import (
    ADJECTIVES,
    COLOURS,
    MAX_LINES,
    N_PRODUCTS,
    NOUNS,
    PACK_PREFIXES,
    PRICE_POINTS,
)


def catalogue(rng: np.random.Generator) -> pd.DataFrame:
    """Build the product catalogue: code, description, price, pack, weight."""
    bases = rng.choice(np.arange(20600, 90300), N_PRODUCTS, replace=False)
    codes: list[str] = []
    descriptions: list[str] = []
    seen: set[str] = set()
    for base in bases:
        if len(codes) >= N_PRODUCTS:
            break
        n_variants = int(rng.choice([1, 1, 1, 1, 2, 3, 4]))
        adjective = str(rng.choice(ADJECTIVES))
        noun = str(rng.choice(NOUNS))
        prefix = str(rng.choice(PACK_PREFIXES)) if rng.random() < 0.12 else ""
        colours = rng.choice(COLOURS, n_variants, replace=False)
        with_suffix = n_variants > 1 or rng.random() < 0.1
        first_letter = int(rng.integers(0, 4))
        for j, colour in enumerate(colours):
            words = [prefix, adjective, str(colour) if with_suffix else "", noun]
            text = " ".join(w for w in words if w)
            if text in seen or len(codes) >= N_PRODUCTS:
                continue
            seen.add(text)
            suffix = "ABCDEFGH"[first_letter + j] if with_suffix else ""
            codes.append(f"{base:05d}{suffix}")
            descriptions.append(text)
    n = len(codes)
    # A few descriptions that need CSV quoting, and a few with trailing spaces.
    picks = rng.choice(n, 14, replace=False)
    for i in picks[:3]:
        descriptions[i] = f"{descriptions[i]}, ASSORTED"
    for i in picks[3:5]:
        descriptions[i] = f'{descriptions[i]} "HOME SWEET HOME"'
    for i in picks[5:]:
        descriptions[i] = descriptions[i] + " "
    log_price = rng.normal(np.log(2.0), 0.8, n)
    snapped = np.abs(np.log(PRICE_POINTS)[None, :] - log_price[:, None]).argmin(1)
    price = PRICE_POINTS[snapped]
    price[rng.choice(n, 2, replace=False)] = [PRICE_POINTS[0], PRICE_POINTS[-1]]
    pack = np.select(
        [price < 0.6, price < 1.5, price < 3.0, price < 6.0],
        [
            rng.choice([12, 24, 25], n),
            rng.choice([6, 10, 12], n),
            rng.choice([2, 3, 4, 6], n),
            rng.choice([1, 2, 3], n),
        ],
        default=1,
    )
    weight = 1.0 / np.arange(1, n + 1) ** 0.9
    return pd.DataFrame(
        {
            "code": codes,
            "description": descriptions,
            "price": price,
            "pack": pack,
            "weight": rng.permutation(weight),
        }
    )


def pick_products(
    rng: np.random.Generator, weight: np.ndarray, n_lines: np.ndarray
) -> np.ndarray:
    """Weighted sample without replacement of ``n_lines[i]`` products each."""
    out = []
    logw = np.log(weight)
    chunk = 4096
    for lo in range(0, len(n_lines), chunk):
        counts = n_lines[lo : lo + chunk]
        keys = logw[None, :] + rng.gumbel(size=(len(counts), len(weight)))
        top = np.argpartition(-keys, MAX_LINES, axis=1)[:, :MAX_LINES]
        order = np.argsort(-np.take_along_axis(keys, top, 1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, 1)
        out.append(top[np.arange(MAX_LINES)[None, :] < counts[:, None]])
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)
