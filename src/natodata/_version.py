"""The toolkit's version: the one definition, read by hatch for the wheel's metadata and
exported as ``natodata.__version__``. It versions the code (the CLI and library), and
follows semver; the data releases (``releases/X.Y.Z``, ``load(version=)``) have versions
of their own, set by ``natodata publish``. docs/releasing.md says how each is released."""

__version__ = "2.0.0"
