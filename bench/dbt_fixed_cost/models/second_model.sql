select id from {{ ref('first_model') }}
