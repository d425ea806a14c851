"""What each customer is worth: BG/NBD, MBG/NBD and Gamma-Gamma, with scipy.

The purchase models describe how many days a customer buys on and whether
the customer is still "alive" (has not silently left); Gamma-Gamma the value
of a purchase day. Each customer is summarised by the papers' statistics,
time in days:

- ``x``: repeat purchase days (distinct purchase days minus one);
- ``t_x``: days from the first to the last purchase day;
- ``T``: days from the first purchase day to the end of the period;
- ``m``: mean value of the repeat purchase days (Gamma-Gamma).

References: Fader, Hardie & Lee (2005), "Counting your customers the easy
way: an alternative to the Pareto/NBD model" (BG/NBD) and "RFM and CLV:
using iso-value curves for customer base analysis" (Gamma-Gamma); Batislam,
Denizel & Filiztekin (2007), "Empirical validation and comparison of models
for customer base analysis" (MBG/NBD).

The log-likelihoods are written in log space with ``gammaln``/``betaln`` and
``logaddexp``, so they stay finite where the products under- or overflow,
in particular where the drop-out parameter ``a`` goes to 0 (BG/NBD then
tends to the NBD model: no drop-out). Fits maximise them with L-BFGS-B over
the logs of the parameters, within bounds, so that a parameter running off
to its boundary ends on a bound that is reported rather than on an overflow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special

#: the purchase models this module fits
PURCHASE_MODELS = ("bg_nbd", "mbg_nbd")
#: bounds of every parameter (BG/NBD: r, alpha, a, b; Gamma-Gamma: p, q,
#: gamma), wide enough that a fit ending on one has found a boundary
#: solution, not a bound set too tight
LOWER_BOUND = 1e-6
UPPER_BOUND = 1e6
#: Gamma-Gamma's q must exceed 1 for the mean spend p gamma / (q - 1) to exist
Q_LOWER_BOUND = 1 + 1e-6
#: a parameter whose move to a bound costs less log-likelihood than this is
#: put on the bound (_settle_on_bounds)
AT_BOUND_LOG_LIKELIHOOD = 1e-3
#: ... and is refitted there only when the move alone costs less than this
PROBE_LOG_LIKELIHOOD = 1.0
#: Gauss-Jacobi nodes for the expectation over the drop-out probability
#: (beta_quadrature), by how far ahead the horizon looks, t / (alpha + T)
QUADRATURE_NODES = 64
NODES_BY_HORIZON = ((40.0, 64), (400.0, 128), (4000.0, 256), (np.inf, 512))

PURCHASE_PARAMETERS = ("r", "alpha", "a", "b")
SPEND_PARAMETERS = ("p", "q", "gamma")


@dataclass(frozen=True)
class PurchaseFit:
    """A fitted BG/NBD or MBG/NBD model (time in days)."""

    model: str
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int
    converged: bool
    at_bound: tuple[str, ...]

    @property
    def params(self) -> tuple[float, float, float, float]:
        return (self.r, self.alpha, self.a, self.b)


@dataclass(frozen=True)
class GammaGammaFit:
    """A fitted Gamma-Gamma spend model."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    customers: int
    converged: bool
    at_bound: tuple[str, ...]

    @property
    def params(self) -> tuple[float, float, float]:
        return (self.p, self.q, self.gamma)


def _check_model(model: str) -> None:
    if model not in PURCHASE_MODELS:
        raise ValueError(
            f"unknown purchase model {model!r}: expected one of {PURCHASE_MODELS}"
        )


def _arrays(*values) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(v, dtype=float) for v in values)


def check_purchase_inputs(x, t_x, big_t) -> None:
    """Raise ValueError unless every customer has 0 <= t_x <= T, x >= 0 and
    t_x = 0 exactly when x = 0 (one purchase day)."""
    x, t_x, big_t = _arrays(x, t_x, big_t)
    if x.size == 0:
        raise ValueError("no customers to fit: the purchase models need at least one")
    problems = []
    if not (np.isfinite(x) & np.isfinite(t_x) & np.isfinite(big_t)).all():
        problems.append("missing or infinite values")
    if (x < 0).any() or (x != np.floor(x)).any():
        problems.append("x (repeat purchase days) not a whole number >= 0")
    if (t_x < 0).any() or (t_x > big_t).any():
        problems.append("t_x outside [0, T]")
    if (big_t <= 0).any():
        problems.append("T (days since the first purchase) not positive")
    if ((x == 0) & (t_x != 0)).any():
        problems.append("t_x > 0 with x = 0")
    if problems:
        raise ValueError("invalid purchase-model inputs: " + "; ".join(problems))


def bgnbd_log_likelihood(params, x, t_x, big_t) -> np.ndarray:
    """BG/NBD log-likelihood of each customer (Fader, Hardie & Lee 2005, eq. 6).

    L = B(a, b+x)/B(a, b) G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
        + [x > 0] B(a+1, b+x-1)/B(a, b) G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))

    Parameters
    ----------
    params : (r, alpha, a, b)
    x, t_x, big_t : array-like
        Repeat purchase days, days first to last purchase day, days since the
        first purchase day.

    Returns
    -------
    ndarray
        One log-likelihood per customer.
    """
    r, alpha, a, b = params
    x, t_x, big_t = _arrays(x, t_x, big_t)
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    survived = (
        special.betaln(a, b + x)
        - special.betaln(a, b)
        - (r + x) * np.log(alpha + big_t)
    )
    # the second term exists for x > 0 only; b + x - 1 > 0 there
    repeat = x > 0
    dropped = np.full_like(x, -np.inf)
    dropped[repeat] = (
        special.betaln(a + 1, b + x[repeat] - 1)
        - special.betaln(a, b)
        - (r + x[repeat]) * np.log(alpha + t_x[repeat])
    )
    return common + np.logaddexp(survived, dropped)


def mbgnbd_log_likelihood(params, x, t_x, big_t) -> np.ndarray:
    """MBG/NBD log-likelihood of each customer (Batislam et al. 2007).

    L = B(a, b+x+1)/B(a, b) G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
        + B(a+1, b+x)/B(a, b) G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x)),

    for every x, 0 included: a customer may drop out right after the first
    purchase.
    """
    r, alpha, a, b = params
    x, t_x, big_t = _arrays(x, t_x, big_t)
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    survived = (
        special.betaln(a, b + x + 1)
        - special.betaln(a, b)
        - (r + x) * np.log(alpha + big_t)
    )
    dropped = (
        special.betaln(a + 1, b + x)
        - special.betaln(a, b)
        - (r + x) * np.log(alpha + t_x)
    )
    return common + np.logaddexp(survived, dropped)


def purchase_log_likelihood(model: str, params, x, t_x, big_t) -> np.ndarray:
    """The log-likelihood of ``model`` ('bg_nbd' or 'mbg_nbd'), per customer."""
    _check_model(model)
    function = bgnbd_log_likelihood if model == "bg_nbd" else mbgnbd_log_likelihood
    return function(params, x, t_x, big_t)


def gamma_gamma_log_likelihood(params, x, m) -> np.ndarray:
    """Gamma-Gamma log-likelihood of each customer's mean spend (Fader, Hardie
    & Lee 2005, "RFM and CLV"): the density of the mean ``m`` of ``x``
    purchase values, each gamma(p, nu) with nu ~ gamma(q, gamma).

    ln L = ln G(px+q) - ln G(px) - ln G(q) + q ln gamma + (px-1) ln m
           + px ln x - (px+q) ln(gamma + x m)

    Only customers with x > 0 and m > 0.
    """
    p, q, gamma = params
    x, m = _arrays(x, m)
    px = p * x
    return (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(gamma + x * m)
    )


def _settle_on_bounds(negative, log_values, bounds, names):
    """Put each parameter the data cannot tell from a bound onto it.

    Near a boundary solution the likelihood is flat (as a -> 0 BG/NBD stops
    depending on a, and then on b), so L-BFGS-B stops anywhere along the
    flat stretch, at a point that depends on rounding. Each parameter in
    turn is fixed at its nearer bound and the others refitted; when that
    costs less than :data:`AT_BOUND_LOG_LIKELIHOOD`, the parameter stays
    there and is named: the fit is then the boundary solution, reported as
    such.
    """
    values = np.array(log_values, dtype=float)
    bounds = list(bounds)
    settled = []
    for index, name in enumerate(names):
        low, high = bounds[index]
        if low == high:
            continue
        bound = low if values[index] - low <= high - values[index] else high
        start = values.copy()
        start[index] = bound
        # a parameter the data pin down costs far more at its bound even
        # before the others adjust: no refit needed to keep it
        if negative(start) - negative(values) > PROBE_LOG_LIKELIHOOD:
            continue
        fixed = [*bounds[:index], (bound, bound), *bounds[index + 1 :]]
        refit = _maximise(negative, start, fixed)
        if refit.fun - negative(values) < AT_BOUND_LOG_LIKELIHOOD:
            values, bounds = refit.x, fixed
            settled.append(name)
    return values, tuple(settled)


def _maximise(negative_log_likelihood, start, bounds):
    result = optimize.minimize(
        negative_log_likelihood,
        start,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000},
    )
    return result


def fit_purchase_model(model: str, x, t_x, big_t) -> PurchaseFit:
    """Fit BG/NBD or MBG/NBD by maximum likelihood.

    Identical (x, t_x, T) rows are collapsed into weights first: customers
    share few distinct histories, so each evaluation costs the distinct ones
    only. The optimiser starts at r = alpha = a = b = 1 (log 0), a neutral
    point of every parameter's scale, so the fit is deterministic.

    Returns
    -------
    PurchaseFit
        ``at_bound`` names the parameters that ended on a bound (e.g. ``a``
        when the data show no drop-out).
    """
    _check_model(model)
    check_purchase_inputs(x, t_x, big_t)
    x, t_x, big_t = _arrays(x, t_x, big_t)
    rows, counts = np.unique(
        np.column_stack([x, t_x, big_t]), axis=0, return_counts=True
    )
    ux, ut, u_big_t = rows.T
    bounds = [(np.log(LOWER_BOUND), np.log(UPPER_BOUND))] * 4

    def negative(log_params):
        ll = purchase_log_likelihood(model, np.exp(log_params), ux, ut, u_big_t)
        return -np.dot(counts, ll)

    result = _maximise(negative, np.zeros(4), bounds)
    log_values, at_bound = _settle_on_bounds(
        negative, result.x, bounds, PURCHASE_PARAMETERS
    )
    r, alpha, a, b = np.exp(log_values)
    return PurchaseFit(
        model=model,
        r=float(r),
        alpha=float(alpha),
        a=float(a),
        b=float(b),
        log_likelihood=float(-negative(log_values)),
        customers=int(x.size),
        converged=bool(result.success),
        at_bound=at_bound,
    )


def fit_gamma_gamma(x, m) -> GammaGammaFit:
    """Fit Gamma-Gamma by maximum likelihood on customers with x > 0.

    Starts at p = 1, q = e (so the mean spend is finite) and gamma = the mean
    of ``m`` (the scale of the data), and keeps q above 1.
    """
    x, m = _arrays(x, m)
    if x.size == 0:
        raise ValueError(
            "no customer with a repeat purchase day: Gamma-Gamma cannot be fitted"
        )
    if (x <= 0).any() or not np.isfinite(m).all() or (m <= 0).any():
        raise ValueError(
            "invalid Gamma-Gamma inputs: every customer needs x > 0 repeat purchase "
            "days and a positive mean value m"
        )
    # fitted in units of the mean spend (gamma scales with the currency, p
    # and q do not), so gamma's bounds and start do not depend on the
    # currency's size; the log-likelihood is then that of the original m
    scale = float(np.mean(m))
    rows, counts = np.unique(np.column_stack([x, m]), axis=0, return_counts=True)
    ux, um = rows.T
    bounds = [
        (np.log(LOWER_BOUND), np.log(UPPER_BOUND)),
        (np.log(Q_LOWER_BOUND), np.log(UPPER_BOUND)),
        (np.log(LOWER_BOUND), np.log(UPPER_BOUND)),
    ]

    def negative(log_params):
        scaled = gamma_gamma_log_likelihood(np.exp(log_params), ux, um / scale)
        return -np.dot(counts, scaled)

    result = _maximise(negative, np.array([0.0, 1.0, 0.0]), bounds)
    log_values, at_bound = _settle_on_bounds(
        negative, result.x, bounds, SPEND_PARAMETERS
    )
    p, q, gamma = np.exp(log_values)
    gamma *= scale
    log_likelihood = np.dot(counts, gamma_gamma_log_likelihood((p, q, gamma), ux, um))
    return GammaGammaFit(
        p=float(p),
        q=float(q),
        gamma=float(gamma),
        log_likelihood=float(log_likelihood),
        customers=int(x.size),
        converged=bool(result.success),
        at_bound=at_bound,
    )


def p_alive(model: str, params, x, t_x, big_t) -> np.ndarray:
    """Probability that each customer is still alive at T.

    BG/NBD: 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x));
    MBG/NBD: 1 / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x)).
    The same formula as the SQL macro ``p_alive``, in log space.
    """
    _check_model(model)
    r, alpha, a, b = params
    x, t_x, big_t = _arrays(x, t_x, big_t)
    shift = 1.0 if model == "bg_nbd" else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = (
            np.log(a)
            - np.log(b + x - shift)
            + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
        )
    alive = special.expit(-log_odds)
    if model == "bg_nbd":
        alive = np.where(x == 0, 1.0, alive)
    return alive


def beta_quadrature(a: float, beta: float, nodes: int = QUADRATURE_NODES):
    """Gauss-Jacobi nodes on [0, 1] and weights, summing to 1, for
    E[f(P)] = sum(weights * f(nodes)) with P ~ Beta(a, beta).

    Golub-Welsch: the nodes are the eigenvalues of the Jacobi matrix of the
    weight (1 - u)^(beta - 1) (1 + u)^(a - 1) on [-1, 1], mapped to [0, 1],
    and the normalised weights the squared first components of its
    eigenvectors. scipy.special.roots_jacobi scales its weights by
    2^(a + beta - 1) B(a, beta), which overflows for the large beta (b plus
    hundreds of repeat purchase days) of frequent buyers; normalised weights
    need no such factor. The density may be infinite at 0 (a < 1, and a -> 0
    at the no-drop-out boundary): it is in the weights, so it costs no
    accuracy.
    """
    jacobi_a, jacobi_b = beta - 1.0, a - 1.0
    total = jacobi_a + jacobi_b
    k = np.arange(1, nodes, dtype=float)
    diagonal = np.empty(nodes)
    diagonal[0] = (jacobi_b - jacobi_a) / (total + 2)
    diagonal[1:] = (jacobi_b**2 - jacobi_a**2) / ((2 * k + total) * (2 * k + total + 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        off_squared = (
            4
            * k
            * (k + jacobi_a)
            * (k + jacobi_b)
            * (k + total)
            / ((2 * k + total) ** 2 * (2 * k + total + 1) * (2 * k + total - 1))
        )
    # k = 1 with its common factor (1 + total) cancelled: 0 / 0 at total = -1
    off_squared[0] = (
        4 * (1 + jacobi_a) * (1 + jacobi_b) / ((2 + total) ** 2 * (3 + total))
    )
    roots, vectors = linalg.eigh_tridiagonal(diagonal, np.sqrt(off_squared))
    return (1 + roots) / 2, vectors[0] ** 2


def expected_purchases_if_alive(model: str, params, x, big_t, t) -> np.ndarray:
    """Purchase days expected in (T, T + t] of a customer alive at T.

    Given alive after x repeat purchase days in T days, the purchase rate is
    gamma(r + x, alpha + T) and the drop-out probability beta(a, beta) with
    beta = b + x (BG/NBD) or b + x + 1 (MBG/NBD, which also risks a drop-out
    after the first purchase). A customer with rate lambda and drop-out
    probability p buys (1 - exp(-lambda p t)) / p times in t days on average;
    over lambda that is (1 - ((alpha+T) / (alpha+T+p t))^(r+x)) / p, and over p
    it is computed by Gauss-Jacobi quadrature. Depends on (x, T) only, not
    t_x: the SQL multiplies it by each customer's p_alive. Tends to
    (r + x) t / (alpha + T) as a -> 0 (no drop-out).

    Parameters
    ----------
    model : {'bg_nbd', 'mbg_nbd'}
    params : (r, alpha, a, b)
    x, big_t : array-like
        Repeat purchase days and days since the first purchase day.
    t : float or array-like
        Days ahead; an array gives one column per horizon.

    Returns
    -------
    ndarray
        Shape of ``x`` (scalar ``t``) or ``x``'s shape plus one axis of
        horizons.
    """
    _check_model(model)
    r, alpha, a, b = params
    x, big_t = np.broadcast_arrays(*_arrays(x, big_t))
    horizons = np.atleast_1d(np.asarray(t, dtype=float))
    shift = 0.0 if model == "bg_nbd" else 1.0
    out = np.empty((*x.shape, horizons.size), dtype=float)
    for value in np.unique(x):
        where = x == value
        # the further ahead the horizon (z = t / (alpha + T)), the closer to
        # p = 0 the integrand turns: more nodes, which cluster there
        z = horizons.max() / (alpha + big_t[where].min())
        nodes = next(n for limit, n in NODES_BY_HORIZON if z <= limit)
        p, weights = beta_quadrature(a, b + value + shift, nodes)
        # (node, customer, horizon); -expm1(-shape log1p(.)) keeps the
        # small-p end accurate, where 1 - (..)^shape cancels
        growth = np.log1p(
            p[:, None, None]
            * horizons[None, None, :]
            / (alpha + big_t[where])[None, :, None]
        )
        purchases = -np.expm1(-(r + value) * growth) / p[:, None, None]
        out[where] = np.tensordot(weights, purchases, axes=1)
    return out[..., 0] if np.ndim(t) == 0 else out


def conditional_expected_purchases(model: str, params, x, t_x, big_t, t) -> np.ndarray:
    """Purchase days expected in the next ``t`` days: p_alive times the
    purchases expected if alive (the papers' conditional expectation)."""
    return p_alive(model, params, x, t_x, big_t) * expected_purchases_if_alive(
        model, params, x, big_t, t
    )


def horizon_months(horizon_days: float) -> int:
    """Whole months of 365.25 / 12 days in the horizon, at least one."""
    return max(1, round(horizon_days * 12 / 365.25))


def discounted_purchases_if_alive(
    model: str, params, x, big_t, horizon_days: float, annual_discount_rate: float
) -> np.ndarray:
    """Purchases expected if alive over the horizon, each month's discounted.

    The horizon is cut into M = :func:`horizon_months` equal months; month m's
    expected purchases E(t_m) - E(t_(m-1)) are discounted by
    (1 + annual_discount_rate)^(-m / 12).
    """
    months = horizon_months(horizon_days)
    ends = horizon_days * np.arange(1, months + 1) / months
    cumulative = expected_purchases_if_alive(model, params, x, big_t, ends)
    monthly = np.diff(cumulative, axis=-1, prepend=0.0)
    factors = (1 + annual_discount_rate) ** (-np.arange(1, months + 1) / 12)
    return monthly @ factors


def expected_purchase_value(params, x, m) -> np.ndarray:
    """Gamma-Gamma's expected value of a customer's next purchase day.

    p (gamma + x m) / (p x + q - 1) for x > 0; the population mean
    p gamma / (q - 1) for x = 0 or a missing m.
    """
    p, q, gamma = params
    x, m = _arrays(x, m)
    population = p * gamma / (q - 1)
    known = (x > 0) & np.isfinite(m)
    with np.errstate(invalid="ignore"):
        conditional = p * (gamma + x * m) / (p * x + q - 1)
    return np.where(known, conditional, population)


def spend_frequency_correlation(x, m) -> float | None:
    """Pearson correlation of x and m over the customers with x > 0: Gamma-
    Gamma assumes the two independent. None below three customers or
    without variance."""
    x, m = _arrays(x, m)
    keep = (x > 0) & np.isfinite(m) & (m > 0)
    x, m = x[keep], m[keep]
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(m) == 0:
        return None
    return float(np.corrcoef(x, m)[0, 1])


# ---- the dbt Python models' entry points --------------------------------

FULL_COLUMNS = (
    "repeat_purchase_days",
    "days_first_to_last_purchase",
    "days_since_first_purchase",
)
CALIBRATION_COLUMNS = (
    "calibration_repeat_purchase_days",
    "calibration_days_first_to_last_purchase",
    "calibration_days_since_first_purchase",
)
FIT_COLUMNS = (
    "purchase_model",
    "fit_period",
    "customers",
    "r",
    "alpha",
    "a",
    "b",
    "p",
    "q",
    "gamma",
    "log_likelihood",
    "converged",
    "parameters_at_bound",
    "spend_frequency_correlation",
)


def _fit_row(purchase_model, fit_period, fit, correlation=None) -> dict:
    row = {column: None for column in FIT_COLUMNS}
    row.update(
        purchase_model=purchase_model,
        fit_period=fit_period,
        customers=fit.customers,
        log_likelihood=fit.log_likelihood,
        converged=fit.converged,
        parameters_at_bound=",".join(fit.at_bound),
        spend_frequency_correlation=correlation,
    )
    names = PURCHASE_PARAMETERS if isinstance(fit, PurchaseFit) else SPEND_PARAMETERS
    row.update(zip(names, fit.params, strict=True))
    return row


def fit_value_models(sample: pd.DataFrame) -> pd.DataFrame:
    """Every fit of int_value__fits, from the fit sample's value inputs.

    BG/NBD and MBG/NBD at the as-of date (``full``) and before the holdout
    (``calibration``: customers whose first purchase is in the holdout have
    null calibration columns and are left out), and Gamma-Gamma at the as-of
    date on the customers with a repeat purchase day of positive value. Rows
    are sorted by customer_id first, so the result never depends on the
    warehouse's row order.
    """
    sample = sample.sort_values("customer_id", kind="stable")
    rows = []
    for model in PURCHASE_MODELS:
        for period, columns in (
            ("full", FULL_COLUMNS),
            ("calibration", CALIBRATION_COLUMNS),
        ):
            period_rows = sample.dropna(subset=list(columns))
            if period_rows.empty:
                raise ValueError(
                    f"no customer bought before the holdout start: var "
                    f"value_holdout_days leaves no calibration period "
                    f"({period} fit of {model})"
                )
            fit = fit_purchase_model(
                model,
                *(period_rows[column].to_numpy(dtype=float) for column in columns),
            )
            rows.append(_fit_row(model, period, fit))
    # a customer whose repeat purchases were all returned has a mean value
    # of 0, which Gamma-Gamma's density cannot take: scored, not fitted
    repeat = sample[
        (sample.repeat_purchase_days > 0) & (sample.repeat_purchase_value_mean > 0)
    ]
    x = repeat.repeat_purchase_days.to_numpy(dtype=float)
    m = repeat.repeat_purchase_value_mean.to_numpy(dtype=float)
    spend = fit_gamma_gamma(x, m)
    rows.append(
        _fit_row("gamma_gamma", "full", spend, spend_frequency_correlation(x, m))
    )
    fits = pd.DataFrame(rows, columns=list(FIT_COLUMNS))
    for column in (
        *PURCHASE_PARAMETERS,
        *SPEND_PARAMETERS,
        "spend_frequency_correlation",
    ):
        fits[column] = fits[column].astype("float64")
    fits["customers"] = fits.customers.astype("int64")
    fits["log_likelihood"] = fits.log_likelihood.astype("float64")
    fits["converged"] = fits.converged.astype(bool)
    return fits


def expected_purchases_table(
    fits: pd.DataFrame,
    patterns: pd.DataFrame,
    horizon_days: int,
    holdout_days: int,
    annual_discount_rate: float,
) -> pd.DataFrame:
    """Purchases expected if alive, per purchase model, fit period and
    purchase pattern (x, T): over ``horizon_days`` for ``full``, over the
    holdout for ``calibration``, undiscounted and discounted monthly."""
    frames = []
    patterns = patterns.sort_values(
        ["fit_period", "repeat_purchase_days", "days_since_first_purchase"]
    )
    for model in PURCHASE_MODELS:
        for period, days in (("full", horizon_days), ("calibration", holdout_days)):
            chosen = fits[(fits.purchase_model == model) & (fits.fit_period == period)]
            if len(chosen) != 1:
                raise ValueError(
                    f"expected one {period} fit of {model}, found {len(chosen)}"
                )
            fit = chosen.iloc[0]
            params = (fit.r, fit.alpha, fit.a, fit.b)
            rows = patterns[patterns.fit_period == period]
            x = rows.repeat_purchase_days.to_numpy(dtype="int64")
            big_t = rows.days_since_first_purchase.to_numpy(dtype="int64")
            frames.append(
                pd.DataFrame(
                    {
                        "purchase_model": model,
                        "fit_period": period,
                        "repeat_purchase_days": x,
                        "days_since_first_purchase": big_t,
                        "horizon_days": np.full(len(rows), days, dtype="int64"),
                        "expected_purchases_if_alive": expected_purchases_if_alive(
                            model, params, x, big_t, days
                        ),
                        "discounted_purchases_if_alive": discounted_purchases_if_alive(
                            model, params, x, big_t, days, annual_discount_rate
                        ),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
