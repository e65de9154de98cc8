"""natodata: a hand-coded, versioned dataset of news coverage of NATO's training mission in Iraq."""

__all__ = ["load", "__version__"]


def __getattr__(name: str):
    # The version is defined once, in the root datapackage.json (the latest release, set by
    # `natodata publish`); the wheel's metadata is built from it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("natodata")
        except PackageNotFoundError:  # a source tree that is not installed
            import json

            from .layout import DESCRIPTOR, shipped_package

            return json.loads((shipped_package() / DESCRIPTOR).read_text(encoding="utf-8"))["version"]
    raise AttributeError(f"module 'natodata' has no attribute {name!r}")


def load(version=None, path=None, validate=True):
    """The package as one typed pandas DataFrame per table: the latest published release by
    default, ``version="X.Y.Z"`` for another, ``version="working"`` for the working copy,
    ``path=`` for any package. An invalid package is refused unless ``validate=False``.
    See :func:`natodata.tools.load.load`."""
    from .tools.load import load as _load

    return _load(version=version, path=path, validate=validate)
