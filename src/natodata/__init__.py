"""natodata: a hand-coded, versioned dataset of news coverage of NATO's training mission in Iraq."""

from ._version import __version__

__all__ = ["load", "__version__"]


def load(version=None, path=None, validate=True):
    """The package as one typed pandas DataFrame per table: the latest published release by
    default, ``version="X.Y.Z"`` for another, ``version="working"`` for the working copy,
    ``path=`` for any package. An invalid package is refused unless ``validate=False``.
    See :func:`natodata.tools.load.load`."""
    from .tools.load import load as _load

    return _load(version=version, path=path, validate=validate)
