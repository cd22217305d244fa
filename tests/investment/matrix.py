from tests.conftest import PERSONA_SPECS
from tests.matrix import Row

EVERYONE = list(PERSONA_SPECS)

ROWS = [
    Row("investment:index", lambda p: "/investment/", {name: 200 for name in EVERYONE}),
]
