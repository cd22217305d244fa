from tests.conftest import PERSONA_SPECS
from tests.matrix import Row

EVERYONE = list(PERSONA_SPECS)

ROWS = [
    Row("awards:index", lambda p: "/awards/", {name: 200 for name in EVERYONE}),
]
