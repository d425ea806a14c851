"""segmentation.value: the published likelihoods, their fits and the scores.

Checked against hand computation of the papers' formulas (the un-logged
products, with math.lgamma), against brute-force numerical integration of
the individual-level models, at the no-drop-out boundary a -> 0, and by
recovering known parameters from simulated customers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from segmentation import value

PARAMS = (0.5, 10.0, 0.8, 3.0)  # r, alpha (days), a, b


def beta_function(a, b):
    return math.exp(math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))


def bgnbd_by_hand(r, alpha, a, b, x, t_x, big_t):
    """Fader, Hardie & Lee (2005), eq. 6, as printed."""
    gamma_part = math.exp(math.lgamma(r + x) - math.lgamma(r)) * alpha**r
    first = beta_function(a, b + x) / beta_function(a, b) * gamma_part
    first /= (alpha + big_t) ** (r + x)
    second = 0.0
    if x > 0:
        second = beta_function(a + 1, b + x - 1) / beta_function(a, b) * gamma_part
        second /= (alpha + t_x) ** (r + x)
    return first + second


def mbgnbd_by_hand(r, alpha, a, b, x, t_x, big_t):
    """Batislam et al. (2007)."""
    gamma_part = math.exp(math.lgamma(r + x) - math.lgamma(r)) * alpha**r
    first = beta_function(a, b + x + 1) / beta_function(a, b) * gamma_part
    first /= (alpha + big_t) ** (r + x)
    second = beta_function(a + 1, b + x) / beta_function(a, b) * gamma_part
    second /= (alpha + t_x) ** (r + x)
    return first + second


@pytest.mark.parametrize(
    ("x", "t_x", "big_t"), [(0, 0, 30), (1, 5, 30), (4, 20, 40), (12, 300, 365)]
)
def test_purchase_likelihoods_are_the_papers_formulas(x, t_x, big_t):
    got = value.bgnbd_log_likelihood(PARAMS, [x], [t_x], [big_t])[0]
    assert got == pytest.approx(math.log(bgnbd_by_hand(*PARAMS, x, t_x, big_t)))
    got = value.mbgnbd_log_likelihood(PARAMS, [x], [t_x], [big_t])[0]
    assert got == pytest.approx(math.log(mbgnbd_by_hand(*PARAMS, x, t_x, big_t)))


def test_gamma_gamma_likelihood_is_the_papers_formula():
    p, q, gamma = 2.0, 3.5, 40.0
    x, m = 3, 25.0
    # density of the mean of x gamma(p, nu) values, nu ~ gamma(q, gamma)
    by_hand = (
        math.exp(math.lgamma(p * x + q) - math.lgamma(p * x) - math.lgamma(q))
        * gamma**q
        * m ** (p * x - 1)
        * x ** (p * x)
        / (gamma + x * m) ** (p * x + q)
    )
    got = value.gamma_gamma_log_likelihood((p, q, gamma), [x], [m])[0]
    assert got == pytest.approx(math.log(by_hand))
    # and it is a density of m: it integrates to 1
    total, _ = integrate.quad(
        lambda mean: math.exp(
            value.gamma_gamma_log_likelihood((p, q, gamma), [x], [mean])[0]
        ),
        0,
        np.inf,
    )
    assert total == pytest.approx(1, abs=1e-6)


@pytest.mark.parametrize("model", ["bg_nbd", "mbg_nbd"])
@pytest.mark.parametrize(("x", "t_x", "big_t"), [(0, 0, 20), (2, 8, 20)])
def test_likelihood_is_the_individual_model_integrated(model, x, t_x, big_t):
    """Brute force: the individual-level likelihood (Poisson purchases at rate
    lambda, drop-out with probability p after each purchase (MBG/NBD: also at
    the start)) integrated against gamma(r, alpha) and beta(a, b)."""
    r, alpha, a, b = PARAMS
    first_dropout = 1 if model == "mbg_nbd" else 0

    def individual(lam, p):
        alive = (1 - p) ** (x + first_dropout) * lam**x * np.exp(-lam * big_t)
        dropped = 0.0
        if x > 0 or first_dropout:
            dropped = p * (1 - p) ** (x - 1 + first_dropout) * lam**x
            dropped = dropped * np.exp(-lam * t_x)
        return alive + dropped

    # midpoint rule on lambda = u^2, p = v^5 (to 3 and 1): the substitutions
    # take away the gamma and beta densities' infinite ends at 0
    u = (np.arange(1500) + 0.5) / 1500 * math.sqrt(3)
    v = (np.arange(1500) + 0.5) / 1500
    lam, p = np.meshgrid(u**2, v**5, indexing="ij")
    jacobian = 2 * u[:, None] * 5 * v[None, :] ** 4
    density = stats.gamma.pdf(lam, r, scale=1 / alpha) * stats.beta.pdf(p, a, b)
    cell = (math.sqrt(3) / 1500) * (1 / 1500)
    total = (individual(lam, p) * density * jacobian).sum() * cell
    got = value.purchase_log_likelihood(model, PARAMS, [x], [t_x], [big_t])[0]
    assert math.exp(got) == pytest.approx(total, rel=1e-3)


def test_bgnbd_tends_to_the_nbd_as_a_goes_to_zero():
    r, alpha, b = 0.7, 60.0, 3.0
    x = np.array([0, 1, 5, 40])
    t_x = np.array([0, 10, 100, 300])
    big_t = np.array([50, 200, 200, 365])
    # no drop-out: Poisson-gamma counts, which ignore t_x
    nbd = (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * np.log(alpha)
        - (r + x) * np.log(alpha + big_t)
    )
    got = value.bgnbd_log_likelihood((r, alpha, 1e-9, b), x, t_x, big_t)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, nbd, atol=1e-6)
    alive = value.p_alive("bg_nbd", (r, alpha, 1e-9, b), x, t_x, big_t)
    np.testing.assert_allclose(alive, 1, atol=1e-6)
    expected = value.expected_purchases_if_alive(
        "bg_nbd", (r, alpha, 1e-9, b), x, big_t, 365
    )
    np.testing.assert_allclose(expected, (r + x) * 365 / (alpha + big_t), rtol=1e-5)


def simulate_bgnbd(r, alpha, a, b, customers, days, seed):
    """Customers' (x, t_x, T) from the BG/NBD story, first purchase at day 0."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(r, 1 / alpha, customers)
    dropouts = rng.beta(a, b, customers)
    big_t = rng.integers(days // 3, days, customers).astype(float)
    x = np.zeros(customers)
    t_x = np.zeros(customers)
    for i in range(customers):
        now = 0.0
        while True:
            now += rng.exponential(1 / rates[i])
            if now > big_t[i]:
                break
            x[i] += 1
            t_x[i] = now
            if rng.random() < dropouts[i]:
                break
    # purchase days are whole days
    return x, np.floor(t_x), big_t


def test_fit_recovers_known_parameters():
    truth = (0.8, 40.0, 0.6, 2.5)
    x, t_x, big_t = simulate_bgnbd(*truth, customers=4000, days=730, seed=7)
    fit = value.fit_purchase_model("bg_nbd", x, t_x, big_t)
    assert fit.converged
    assert fit.customers == 4000
    # the mean rate r / alpha and the mean drop-out a / (a + b) are what the
    # data pin down best
    assert fit.r / fit.alpha == pytest.approx(truth[0] / truth[1], rel=0.15)
    assert fit.a / (fit.a + fit.b) == pytest.approx(truth[2] / sum(truth[2:]), rel=0.3)
    assert fit.at_bound == ()
    # MBG/NBD converges on the same data and fits it about as well
    mbg = value.fit_purchase_model("mbg_nbd", x, t_x, big_t)
    assert mbg.converged
    assert abs(mbg.log_likelihood - fit.log_likelihood) < 0.05 * abs(fit.log_likelihood)


def test_data_without_dropout_fit_no_dropout():
    rng = np.random.default_rng(3)
    rates = rng.gamma(0.8, 1 / 40, 3000)
    big_t = rng.integers(100, 365, 3000).astype(float)
    times = [
        np.sort(rng.uniform(0, t, rng.poisson(rate * t)))
        for rate, t in zip(rates, big_t, strict=True)
    ]
    x = np.array([len(t) for t in times], dtype=float)
    t_x = np.array([np.floor(t[-1]) if len(t) else 0.0 for t in times])
    fit = value.fit_purchase_model("bg_nbd", x, t_x, big_t)
    assert fit.a / (fit.a + fit.b) < 1e-3
    # so nearly every customer is alive
    alive = value.p_alive("bg_nbd", fit.params, x, t_x, big_t)
    assert np.median(alive) > 0.99


def test_a_parameter_the_likelihood_ignores_is_put_on_its_bound():
    """Where the likelihood is flat in a parameter (as BG/NBD's in a, and then
    b, at the no-drop-out boundary) the optimiser stops anywhere: the fit
    moves it to its nearer bound and names it; the others stay."""
    bounds = [(-5.0, 5.0), (-5.0, 5.0)]

    def negative(values):
        return (values[0] - 1.0) ** 2

    values, settled = value._settle_on_bounds(negative, [1.0, -3.7], bounds, ("r", "a"))
    assert settled == ("a",)
    assert values[1] == -5.0
    assert values[0] == pytest.approx(1.0, abs=1e-4)


def test_gamma_gamma_fit_recovers_known_parameters():
    rng = np.random.default_rng(11)
    p, q, gamma = 3.0, 4.0, 60.0
    x = rng.integers(1, 10, 5000).astype(float)
    nu = rng.gamma(q, 1 / gamma, x.size)
    m = np.array(
        [rng.gamma(p, 1 / n, int(k)).mean() for n, k in zip(nu, x, strict=True)]
    )
    fit = value.fit_gamma_gamma(x, m)
    assert fit.converged
    # the population mean spend p gamma / (q - 1)
    assert fit.p * fit.gamma / (fit.q - 1) == pytest.approx(
        p * gamma / (q - 1), rel=0.1
    )
    assert fit.q > 1


@pytest.mark.parametrize("model", ["bg_nbd", "mbg_nbd"])
@pytest.mark.parametrize(
    "params",
    [PARAMS, (2.0, 30.0, 5.0, 1.5), (0.7, 66.0, 1e-6, 200.0), (0.5, 1.0, 0.8, 3.0)],
)
@pytest.mark.parametrize(
    ("x", "big_t", "t"), [(0, 5, 365), (3, 200, 90), (250, 400, 365), (1, 1, 3650)]
)
def test_expected_purchases_if_alive_is_the_integral_over_dropout(
    model, params, x, big_t, t
):
    r, alpha, a, b = params
    beta = b + x + (1 if model == "mbg_nbd" else 0)

    def purchases(p):
        return -math.expm1(-(r + x) * math.log1p(p * t / (alpha + big_t))) / p

    if a < 1e-3:
        # the density piles up at p = 0: its limit, no drop-out
        reference = (r + x) * t / (alpha + big_t)
        tolerance = 1e-4
    else:
        # a horizon far beyond alpha + T turns the integrand near p = 0
        reference = integrate.quad(
            lambda p: purchases(p) * stats.beta.pdf(p, a, beta),
            0,
            1,
            limit=500,
            points=[1e-6, 1e-4, 1e-2],
        )[0]
        tolerance = 1e-7
    got = value.expected_purchases_if_alive(model, params, [x], [big_t], t)[0]
    assert got == pytest.approx(reference, rel=tolerance)


@pytest.mark.parametrize(
    ("x", "t_x", "big_t"), [(0, 0, 30), (3, 150, 200), (40, 300, 365)]
)
def test_conditional_expectation_is_the_published_closed_form(x, t_x, big_t):
    """BG/NBD's E[Y(t) | x, t_x, T] with the Gaussian hypergeometric function
    (Fader, Hardie & Lee 2005, eq. 10), where it is defined (a > 1 here)."""
    r, alpha, a, b = 0.9, 20.0, 2.5, 4.0
    t = 180.0
    z = t / (alpha + big_t + t)
    closed = (
        (a + b + x - 1)
        / (a - 1)
        * (
            1
            - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x)
            * special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        )
    )
    if x > 0:
        closed /= 1 + a / (b + x - 1) * ((alpha + big_t) / (alpha + t_x)) ** (r + x)
    got = value.conditional_expected_purchases(
        "bg_nbd", (r, alpha, a, b), [x], [t_x], [big_t], t
    )[0]
    assert got == pytest.approx(closed, rel=1e-8)


def test_p_alive_orders_recent_above_lapsed_and_stays_a_probability():
    x = np.array([10, 10, 0, 1])
    t_x = np.array([330, 30, 0, 1])
    big_t = np.array([340, 340, 340, 340])
    for model in ("bg_nbd", "mbg_nbd"):
        alive = value.p_alive(model, PARAMS, x, t_x, big_t)
        assert ((alive >= 0) & (alive <= 1)).all()
        # often and recently beats as often, long ago
        assert alive[0] > 0.9 > 0.01 > alive[1]
    # BG/NBD: one purchase only, alive for certain; MBG/NBD: maybe gone
    assert value.p_alive("bg_nbd", PARAMS, x, t_x, big_t)[2] == 1
    assert value.p_alive("mbg_nbd", PARAMS, x, t_x, big_t)[2] < 1
    # the odds overflow a double without the log space: still 0, not nan
    far = value.p_alive("bg_nbd", PARAMS, [500], [1], [10_000])
    assert far[0] == 0


def test_discounting():
    x, big_t = np.array([0, 5]), np.array([30, 200])
    plain = value.expected_purchases_if_alive("bg_nbd", PARAMS, x, big_t, 365)
    undiscounted = value.discounted_purchases_if_alive(
        "bg_nbd", PARAMS, x, big_t, 365, 0
    )
    np.testing.assert_allclose(undiscounted, plain, rtol=1e-12)
    discounted = value.discounted_purchases_if_alive(
        "bg_nbd", PARAMS, x, big_t, 365, 0.1
    )
    assert (discounted < plain).all()
    # at most a year's discount, since the last month ends at the horizon
    assert (discounted > plain / 1.1).all()
    assert value.horizon_months(365) == 12
    assert value.horizon_months(10) == 1


def test_expected_purchase_value_shrinks_towards_the_population():
    p, q, gamma = 2.0, 3.0, 50.0
    population = p * gamma / (q - 1)
    got = value.expected_purchase_value(
        (p, q, gamma), [0, 1, 50, 2], [np.nan, 200.0, 200.0, 0.0]
    )
    assert got[0] == pytest.approx(population)
    # one repeat purchase at 200: between the population's 50 and 200; many: near 200
    assert population < got[1] < got[2] < 200
    assert got[2] == pytest.approx(200, rel=0.02)
    # everything returned: below the population mean, not negative
    assert 0 < got[3] < population


def test_spend_frequency_correlation():
    assert value.spend_frequency_correlation(
        [1, 2, 3, 4], [10, 20, 30, 40]
    ) == pytest.approx(1)
    assert value.spend_frequency_correlation([0, 1, 2], [np.nan, 5, 6]) is None


def value_inputs(customers: int, seed: int) -> pd.DataFrame:
    x, t_x, big_t = simulate_bgnbd(0.8, 40.0, 0.6, 2.5, customers, 400, seed)
    rng = np.random.default_rng(seed)
    holdout = 60
    calibration = big_t > holdout
    return pd.DataFrame(
        {
            "customer_id": [f"c{i:05d}" for i in range(customers)],
            "repeat_purchase_days": x.astype("int64"),
            "days_first_to_last_purchase": t_x.astype("int64"),
            "days_since_first_purchase": big_t.astype("int64"),
            "repeat_purchase_value_mean": np.where(
                x > 0, rng.gamma(3, 20, customers), np.nan
            ),
            # a crude calibration history: what was bought before the holdout
            "calibration_repeat_purchase_days": np.where(
                calibration, np.floor(x / 2), np.nan
            ),
            "calibration_days_first_to_last_purchase": np.where(
                calibration, np.minimum(np.floor(t_x / 2), big_t - holdout), np.nan
            ),
            "calibration_days_since_first_purchase": np.where(
                calibration, big_t - holdout, np.nan
            ),
        }
    ).assign(
        calibration_days_first_to_last_purchase=lambda f: np.where(
            f.calibration_repeat_purchase_days == 0,
            0,
            f.calibration_days_first_to_last_purchase,
        )
    )


def test_fit_value_models_gives_every_fit_whatever_the_row_order():
    inputs = value_inputs(800, seed=5)
    fits = value.fit_value_models(inputs)
    assert list(fits.columns) == list(value.FIT_COLUMNS)
    assert list(zip(fits.purchase_model, fits.fit_period, strict=True)) == [
        ("bg_nbd", "full"),
        ("bg_nbd", "calibration"),
        ("mbg_nbd", "full"),
        ("mbg_nbd", "calibration"),
        ("gamma_gamma", "full"),
    ]
    assert fits.converged.all()
    assert fits.loc[4, "spend_frequency_correlation"] == pytest.approx(
        np.corrcoef(
            inputs.repeat_purchase_days[inputs.repeat_purchase_days > 0],
            inputs.repeat_purchase_value_mean.dropna(),
        )[0, 1]
    )
    shuffled = value.fit_value_models(inputs.sample(frac=1, random_state=1))
    pd.testing.assert_frame_equal(fits, shuffled)

    patterns = pd.concat(
        [
            inputs[["repeat_purchase_days", "days_since_first_purchase"]]
            .drop_duplicates()
            .assign(fit_period="full"),
            inputs.dropna(subset=["calibration_repeat_purchase_days"])[
                [
                    "calibration_repeat_purchase_days",
                    "calibration_days_since_first_purchase",
                ]
            ]
            .set_axis(["repeat_purchase_days", "days_since_first_purchase"], axis=1)
            .astype("int64")
            .drop_duplicates()
            .assign(fit_period="calibration"),
        ]
    )
    table = value.expected_purchases_table(fits, patterns, 365, 60, 0.1)
    assert len(table) == 2 * len(patterns)
    assert set(table.horizon_days[table.fit_period == "calibration"]) == {60}
    assert (
        table.discounted_purchases_if_alive <= table.expected_purchases_if_alive
    ).all()
    assert str(table.repeat_purchase_days.dtype) == "int64"


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="t_x outside"):
        value.fit_purchase_model("bg_nbd", [1], [50], [10])
    with pytest.raises(ValueError, match="no customers"):
        value.fit_purchase_model("bg_nbd", [], [], [])
    with pytest.raises(ValueError, match="unknown purchase model"):
        value.fit_purchase_model("pareto_nbd", [1], [1], [10])
    with pytest.raises(ValueError, match="positive mean value"):
        value.fit_gamma_gamma([1, 2], [10.0, -1.0])
    inputs = value_inputs(50, seed=2).assign(
        calibration_repeat_purchase_days=np.nan,
        calibration_days_first_to_last_purchase=np.nan,
        calibration_days_since_first_purchase=np.nan,
    )
    with pytest.raises(ValueError, match="value_holdout_days"):
        value.fit_value_models(inputs)
