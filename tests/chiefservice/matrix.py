from tests.conftest import PERSONA_SPECS
from tests.matrix import Row

EVERYONE = list(PERSONA_SPECS)

ROWS = [
    Row("chiefservice:index", lambda p: "/chiefservice/", {name: 200 for name in EVERYONE}),
    Row(
        "chiefservice_public:roster",
        lambda p: "/public/service-officers/",
        {"anonymous": 200} | {name: 200 for name in EVERYONE},
    ),
]
