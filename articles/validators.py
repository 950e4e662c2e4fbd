from __future__ import annotations

from django.core.validators import URLValidator

# Only web addresses: javascript:, data:, file: and the rest are refused at input.
validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)
