"""The catalogue of bad scenario codes: every app, command and the class server must refuse each one clearly.

Each entry is ``(code, words the message must hold)``; the class's hand-ins (tests/test_handins.py) and
the scenario codes' own tests (tests/test_scenario_code.py) read the same list, so a new kind of bad code
is added once.
"""

from model.scenario_code import VERSION, _check, _varint, _zigzag


def raw_code(*numbers: int, check: bool = True) -> str:
    """Symbols of ``numbers`` as varints, with the right check symbols (or a wrong pair)."""
    symbols = "".join(_varint(n) for n in numbers)
    return symbols + (_check(symbols) if check else "XX")


_raw = raw_code
BAD_CODES = [
    ("", "empty"),
    ("K7M2", "too short"),
    ("K7M2-0Q4A-!!", "uses only digits"),
    ("Ü" * 8, "uses only digits"),
    ("1" * 3000, "at most"),
    (_raw(VERSION, 1, 0, 0, check=False), "does not check out"),
    (_raw(VERSION + 1, 1, 0, 0), "newer version"),
    (_raw(0, 1, 0, 0), "does not exist"),
    (_raw(VERSION, 999, 0, 0), "preset number 999"),
    (_raw(VERSION, 1, 4, 0), "features this version does not know"),
    (_raw(VERSION, 1, 1, 5, 40, 0), "the model covers"),
    (_raw(VERSION, 1, 0, 1, 9999, 2, 0), "parameter number 9999"),
    (_raw(VERSION, 1, 0, 2), "ends in the middle"),
    (_raw(VERSION, 1, 0, 500), "claims 500 changes"),
    (_raw(VERSION, 1, 0, 0, 7), "left over"),
    (_raw(VERSION, 1, 0, 1, 1, 2, _zigzag(400)), "impossible size"),
]


def out_of_range_code() -> tuple[str, str]:
    """A well-formed code whose value is out of its parameter's range, and the words its message must hold."""
    from model.scenario_code import parameter_codes

    number = parameter_codes()["china_smuggling_enforcement"]
    return raw_code(VERSION, 1, 0, 1, number, _zigzag(7), _zigzag(0)), "china_smuggling_enforcement = 7.0"
