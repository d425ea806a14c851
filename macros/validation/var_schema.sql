{# The one declaration of every var: its default, type, bounds and meaning.
   validate_vars() checks each var against it before anything runs, so the
   models (SQL and Python) use the values without checking them again.
   dbt_project.yml repeats the defaults because dbt reads them from there; a
   pytest (python_tests/test_var_schema.py) fails when the two, or the
   README's var table (printed by python -m scripts.var_table), disagree.

   Types: path (non-empty text), text, boolean, choice (one of choices),
   table_or_null (a schema-qualified table name, or null),
   number and whole_number (min, max inclusive; below exclusive),
   whole_number_or_auto, whole_number_or_all, whole_number_pair and number_pair ([lowest, highest],
   each element within min/max), list (of plain values), mapping and
   date_or_null. default_in_table replaces a long default in the README.
   Keep the YAML free of Jinja braces: the block is rendered before it is
   read. #}
{% macro var_schema() %}
{%- set schema -%}
# --- input ---------------------------------------------------------------
transactions_path:
  default: data/sample/transactions.csv.gz
  type: path
  meaning: CSV, gzip CSV or Parquet file (or a glob of them) to read
transactions_table:
  default: null
  type: table_or_null
  meaning: >-
    a loaded table (`schema.table`) to read instead of `transactions_path`,
    its columns mapped by `transaction_columns` as a file's are; null reads
    the file
transaction_columns:
  default:
    invoice_id: InvoiceNo
    product_id: StockCode
    description: Description
    quantity: Quantity
    invoiced_at: InvoiceDate
    unit_price: UnitPrice
    customer_id: CustomerID
    country: Country
  default_in_table: UCI Online Retail names
  type: mapping
  meaning: >-
    canonical name → the file's own column name; the optional columns
    (`product_id`, `description`, `country`) may be mapped to null or absent
date_formats:
  default: ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M", "%m/%d/%Y"]
  default_in_table: "ISO and `%m/%d/%Y` forms"
  type: list
  meaning: strptime formats tried in order for text dates (ISO dates always work)
max_unparseable_share:
  default: 0
  type: number
  min: 0
  max: 1
  meaning: >-
    share of lines with an unreadable date or number that is tolerated (they
    are audited); above it the build stops and names the file, column and an
    example value

# --- cleaning rules ------------------------------------------------------
countries:
  default: []
  default_in_table: "`[]` (all)"
  type: list
  meaning: keep only these countries (case-insensitive); empty = every country
excluded_stock_codes:
  default: []
  type: list
  meaning: exclude lines with these stock codes, e.g. `[POST, DOT, M, BANK CHARGES]`

# --- features ------------------------------------------------------------
as_of_date:
  default: null
  type: date_or_null
  meaning: >-
    date (YYYY-MM-DD) the features are measured at; null = the day after the
    last kept invoice date; lines on or after it are audited as `future_date`
count_distinct_products:
  default: false
  type: boolean
  meaning: >-
    also count each customer's distinct products (`distinct_products`, otherwise
    null); costs one more pass over every raw line
monetary_basis:
  default: net
  type: choice
  choices: [net, gross]
  meaning: >-
    `net`: `monetary` (and `avg_order_value`, `revenue`) is spend minus the
    value of cancellations and returns, floored at 0; `gross`: every kept
    purchase, for
    files that carry no returns
segment_features:
  default: [recency_days, frequency, monetary, avg_order_value]
  type: list
  meaning: >-
    features K-Means uses (distinct numeric columns of
    `int_customers__features`; at least one)
lower_is_better_features:
  default: [recency_days]
  type: list
  meaning: features where a lower value is better, for ordering segments by value
feature_cap_quantiles:
  default: [0.01, 0.99]
  type: number_pair
  min: 0
  max: 1
  meaning: >-
    each feature is capped at these quantiles of the customer base before the
    log transform (winsorising), so a few huge customers cannot decide the
    segmentation

# --- clustering ----------------------------------------------------------
n_segments:
  default: auto
  type: whole_number_or_auto
  min: 1
  meaning: a whole number, or `auto` to choose k from `k_range`
k_range:
  default: [2, 10]
  type: whole_number_pair
  min: 2
  meaning: "the k values `auto` tries: `[lowest, highest]`"
min_segment_share:
  default: 0.02
  type: number
  min: 0
  below: 1
  meaning: no accepted k may give a segment smaller than this share of customers
min_stability_ari:
  default: 0.8
  type: number
  min: 0
  max: 1
  meaning: >-
    no accepted k may be less stable than this (mean adjusted Rand index of
    refits on bootstrap resamples; 1 = always the same segments)
random_state:
  default: 42
  type: whole_number
  min: 0
  max: 4294967295
  meaning: seed for sampling and K-Means; the same input gives the same output
n_init:
  default: 10
  type: whole_number
  min: 1
  meaning: K-Means restarts per k
fit_sample_size:
  default: 200000
  type: whole_number
  min: 100
  meaning: >-
    K-Means is fitted on a fixed-seed sample of at most this many customers;
    every customer is then assigned to its nearest centroid in SQL
silhouette_sample_size:
  default: 5000
  type: whole_number
  min: 100
  meaning: >-
    silhouette and stability are computed on a fixed-seed sample of at most
    this many customers (silhouette is quadratic in the rows)
stability_resamples:
  default: 5
  type: whole_number
  min: 0
  meaning: refits on bootstrap resamples behind the `stability_ari` diagnostic
segment_match_tolerance:
  default: 0.25
  type: number
  min: 0
  max: 1
  meaning: >-
    a rerun on the same input keeps the previous ids and names when every
    previous centroid, taken through this run's scaling, lies within this
    distance (root-mean-square standard deviations) of a new one

# --- naming --------------------------------------------------------------
naming_scheme:
  default: rfm
  type: choice
  choices: [rfm, action]
  meaning: >-
    `rfm` (Champions, Loyal Customers, Big One-Timers, ...) or `action` (REWARD,
    RETAIN, UPSELL, CONVERT, ENCOURAGE, EXCITE, RE-ENGAGE)
max_name_fit:
  default: 0.2
  type: number
  min: 0
  max: 1
  meaning: >-
    a name fits its segment when `name_fit` (the weighted root-mean-square gap
    between the segment's percentile profile and the name's) is at most this;
    above it a warning test fires and a previous run's name is not carried
    over
currency_symbol:
  default: "£"
  type: text
  meaning: the currency symbol `segment_description` writes before amounts

# --- outputs -------------------------------------------------------------
export_parquet:
  default: false
  type: boolean
  meaning: >-
    also write every mart as a Parquet file named after it under
    `export_path`, for BI tools that should not open the DuckDB file (replaced
    atomically; the folder is created when missing)
export_path:
  default: exports
  type: path
  meaning: folder the exports (Parquet, CSV, audiences) are written to
export_format:
  default: parquet
  type: choice
  choices: [parquet, csv, both]
  meaning: >-
    which files `export_parquet` writes for each mart: `<mart>.parquet` (BI
    tools), `<mart>.csv` (RFC 4180, for CRM and ads tools) or both; the
    per-segment audiences (`audiences/<segment>.csv`) are written either way

# --- segments over time --------------------------------------------------
history_grain:
  default: month
  type: choice
  choices: [week, month, quarter]
  meaning: >-
    the history's as-of dates are the starts of these periods (Monday for a
    week) before the current `as_of_date`, which is always the last
history_periods:
  default: all
  type: whole_number_or_all
  min: 1
  meaning: >-
    how many as-of dates the history holds, the current one included; `all`
    = every period start after the first kept order
max_centroid_drift:
  default: 0.5
  type: number
  min: 0
  meaning: >-
    a warning test fires when a refitted centroid moved further than this
    (standard deviations, Euclidean) since the previous as-of date
min_refit_customers:
  default: 500
  type: whole_number
  min: 1
  meaning: >-
    an as-of date whose refit sample has fewer customers than this is not
    refitted (a refit on a handful of customers says nothing about the
    segments): it carries the current centroids and the drift test skips it
lifecycle_new_days:
  default: 30
  type: whole_number
  min: 1
  meaning: "lifecycle stage `new`: the first order is less than this many days old"
lifecycle_at_risk_days:
  default: 90
  type: whole_number
  min: 1
  meaning: "lifecycle stage `at_risk`: no order for at least this many days"
lifecycle_churned_days:
  default: 180
  type: whole_number
  min: 1
  meaning: >-
    lifecycle stage `churned`: no order for at least this many days (more
    than `lifecycle_at_risk_days`)
churn_window_days:
  default: 90
  type: whole_number
  min: 1
  meaning: >-
    `segment_kpis.retained_share`: share of a segment's customers who order
    again within this many days of the as-of date

# --- customer value ------------------------------------------------------
purchase_model:
  default: bg_nbd
  type: choice
  choices: [bg_nbd, mbg_nbd]
  meaning: >-
    the model of purchase days behind `p_alive` and `predicted_clv`: `bg_nbd`
    (Fader, Hardie & Lee 2005) or `mbg_nbd` (Batislam et al. 2007, which lets
    a customer drop out right after the first purchase)
value_horizon_days:
  default: 365
  type: whole_number
  min: 1
  max: 3650
  meaning: >-
    `customer_value`: how many days ahead expected purchases and
    `predicted_clv` look
annual_discount_rate:
  default: 0.1
  type: number
  min: 0
  max: 1
  meaning: >-
    `predicted_clv` discounts each month's expected spend at this yearly rate
value_holdout_days:
  default: 90
  type: whole_number
  min: 1
  meaning: >-
    `value_model_validation`: the models are refitted on the orders before
    the last this many days and judged on those days
max_spend_frequency_correlation:
  default: 0.3
  type: number
  min: 0
  max: 1
  meaning: >-
    a warning test fires when the correlation of repeat purchase days and
    their mean value is above this: Gamma-Gamma assumes they are independent

# --- segments as plain rules (segment_rules) ----------------------------
rules_max_depth:
  default: 3
  type: whole_number
  min: 1
  max: 3
  meaning: >-
    depth of the decision tree whose leaves are `segment_rules` (at most 3:
    a rule of more than three conditions is no plain rule)
rules_min_leaf_share:
  default: 0.01
  type: number
  min: 0
  below: 0.5
  meaning: >-
    every rule covers at least this share of the fit sample, so that no rule
    describes a handful of customers

# --- analyses (analyses/*.sql) -------------------------------------------
top_n_customers:
  default: 20
  type: whole_number
  min: 1
  meaning: how many customers the analysis `biggest_spenders` lists
lapsed_after_days:
  default: 90
  type: whole_number
  min: 0
  meaning: "the analysis `lapsed_big_customers`: no order for more than this many days"
{%- endset -%}
    {{ return(fromyaml(schema)) }}
{% endmacro %}
