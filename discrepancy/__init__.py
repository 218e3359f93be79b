"""discrepancy: an offline, explainable cross-source discrepancy checker for news articles."""

from .version import __version__

__all__ = ["__version__", "check_corpus"]


def __getattr__(name):
    # Lazy: importing the package for `--help` must not load torch.
    if name == "check_corpus":
        from .pipeline import check_corpus

        return check_corpus
    raise AttributeError(name)
