"""The event step: candidate incidents per clause (candidates.py, with the rules it applies in
modules named for what they do: docs/events.md), their features (features.py) and the learned
detector that decides which are events (model.py, trained by train.py with `marsad train events`)."""

from .actors import ARMED, actor_in, actor_out, armed_groups, country_name, dead_side_struck, drop_bystanders, fill_unnamed, is_victim, same_side, toll_side_struck  # noqa: F401
from .candidates import component  # noqa: F401
from .places import most_frequent_place, specificity  # noqa: F401
from .rules import PRO_GOVERNMENT, TYPE_OF, is_verb  # noqa: F401
