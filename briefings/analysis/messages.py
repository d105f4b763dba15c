"""Messages analysis shows users (gazetteer problems, unknown names), kept together for one voice."""

from __future__ import annotations

GAZETTEER_MISSING = "{where}: no such gazetteer file"
GAZETTEER_UNREADABLE = "{where}: gazetteer file cannot be read ({problem})"
GAZETTEER_NOT_TOML = "{where}: gazetteer file is not valid TOML ({problem})"
GAZETTEER_UNKNOWN_COUNTRY = (
    "{where}: {entry}: unknown country code {code!r} (use an ISO 3166-1 alpha-3 code such as "
    "'CHN', or declare it with pseudo = true)"
)
GAZETTEER_DUPLICATE = "{where}: {entry}: {key} {value!r} appears more than once in this file"
GAZETTEER_NO_OFFICES = "{where}: {entry}: a person needs at least one office"
GAZETTEER_OFFICE_HOLDER = "{where}: {entry}: an office needs exactly one of 'country' or 'organisation'"
GAZETTEER_END_BEFORE_START = "{where}: {entry}: office ends ({end}) before it starts ({start})"
GAZETTEER_UNKNOWN_EVENT_TYPE = "{where}: {entry}: unknown event type (use one of: {choices})"
GAZETTEER_UNCLASSIFIED_CUES = "{where}: {entry}: the unclassified type is the fallback and takes no cues"
GAZETTEER_UNKNOWN_PARENT = "{where}: organisation {entry!r}: parent {parent!r} is not a known organisation code"

UNKNOWN_COUNTRY = "unknown country {text!r}"
UNKNOWN_COUNTRY_CODE = "unknown country code {text!r}"
UNKNOWN_REGION = "unknown region {text!r}"
DID_YOU_MEAN = " (did you mean {choices}?)"
KNOWN_REGIONS = " (known regions: {choices})"
