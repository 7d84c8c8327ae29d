"""The hostile set, for the tests: it lives with the developer tools (`make bench` measures it)."""

from tools.hostiles import (  # noqa: F401
    LIBREOFFICE,
    MO,
    bombe_mensongere,
    cellule_lointaine,
    dimension_lointaine,
    mesurer,
    ods_repetee,
)
