{# SQL expression: the probability that a customer is still alive (has not
   dropped out) given the purchase days, under the purchase model named by
   the column `purchase_model` ('bg_nbd' or 'mbg_nbd') of relation `fit`,
   with its parameters in fit's columns r, alpha, a and b (time in days):
     BG/NBD   1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))
     MBG/NBD  1 / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x))
   (Fader, Hardie & Lee 2005; Batislam et al. 2007). The odds of having
   dropped out are computed in log space and capped before exp: a customer
   silent for long after many purchases has odds far beyond a double, and
   their probability is 0 to any precision a mart shows.
   segmentation.value.p_alive is the same formula, for the tests. #}
{% macro p_alive(fit, x, t_x, big_t) -%}
    case
        when {{ fit }}.purchase_model = 'bg_nbd' and {{ x }} = 0 then 1.0
        else 1.0 / (1.0 + exp(least(
            700.0,
            ln({{ fit }}.a)
            - ln(
                {{ fit }}.b + {{ x }}
                - case when {{ fit }}.purchase_model = 'bg_nbd' then 1 else 0 end
            )
            + ({{ fit }}.r + {{ x }}) * (
                ln({{ fit }}.alpha + {{ big_t }}) - ln({{ fit }}.alpha + {{ t_x }})
            )
        )))
    end
{%- endmacro %}
