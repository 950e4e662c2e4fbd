from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Only web addresses: javascript:, data:, file: and the rest are refused at input.
validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)


def is_web_url(url: str | None) -> bool:
    """Whether ``validate_web_url`` accepts ``url``: the importer keeps only such link targets."""
    if not url:
        return False
    try:
        validate_web_url(url)
    except ValidationError:
        return False
    return True
