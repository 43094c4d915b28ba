"""The event step: candidate incidents per clause (candidates.py), their features (features.py)
and the learned detector that decides which are events (model.py, trained by train.py with
`marsad train events`)."""

from .candidates import (PRO_GOVERNMENT, TYPE_OF, _actor_out, _is_victim, _same_side, _specificity,  # noqa: F401
                         component, country_name, is_verb, most_frequent_place)
