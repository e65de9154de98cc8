"""natodata: a hand-coded, versioned dataset of news coverage of NATO's training mission in Iraq."""

__version__ = "0.1.0"
