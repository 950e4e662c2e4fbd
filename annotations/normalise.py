"""URL normalisation, so that one cited document is one Source (the rule lives with the articles'
web addresses, in ``articles/validators.py``)."""

from articles.validators import normalise_url

__all__ = ["normalise_url"]
