"""The JSON Schemas natodata ships as package data, and validators that never fetch.

Every JSON Schema natodata checks against sits beside this module (the Data Package
profiles in ``profiles/``) and is read with :func:`shipped`, once per process. A validator
from :func:`offline_validator` resolves ``$ref`` only inside its own schema: jsonschema
would otherwise retrieve a ``$ref`` to an ``http(s)`` address, and natodata never touches
the network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def shipped(name: str) -> dict:
    """The JSON file ``name`` (a path below ``natodata/model/``, such as
    ``profiles/2.0/datapackage.json``), parsed once; callers must not modify it."""
    return json.loads(files(__package__).joinpath(name).read_text(encoding="utf-8"))


def offline_validator(schema: dict, format_checker=None):
    """A jsonschema validator of ``schema``'s draft whose references resolve within
    ``schema`` only: a ``$ref`` to anything else fails to resolve instead of being fetched."""
    from jsonschema import validators
    from referencing import Registry

    return validators.validator_for(schema)(schema, registry=Registry(), format_checker=format_checker)
