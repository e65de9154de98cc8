"""natodata: a hand-coded, versioned dataset of news coverage of NATO's training mission in Iraq."""

__version__ = "1.0.0"  # the one definition; pyproject.toml reads it (hatch dynamic version)

__all__ = ["load", "__version__"]


def load(version=None, path=None, validate=True):
    """The package as one typed pandas DataFrame per table; see :func:`natodata.tools.load.load`."""
    from .tools.load import load as _load

    return _load(version=version, path=path, validate=validate)
