"""IP minimisation (privacy.ip) with built-in Spark functions only: no Python UDF runs per row.

The collector applies the same modes before anything is stored (constructs/ingestion/collector);
the ETL applies them again to what it keeps of raw lines (the quarantine's raw_record), which may
come from other senders. Truncated addresses are printed as Go's net/netip prints them
(lower-case, leading zeros dropped, the trailing zero groups of an IPv6 network as "::"), so the
collector and the ETL store the same text.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from clickstream_etl.contract import EXPORT

_PRIVACY = EXPORT["privacy"]
IP_MODES: tuple[str, ...] = tuple(_PRIVACY["ipModes"])
DROP, TRUNCATE, KEEP = "drop", "truncate", "keep"
DEFAULT_IP_MODE: str = _PRIVACY["defaultIpMode"]
IP_FIELD: str = _PRIVACY["ipField"]
if {DROP, TRUNCATE, KEEP} != set(IP_MODES):
    raise ValueError(f"contract IP modes {IP_MODES} are not the ones implemented here: {DROP}, {TRUNCATE}, {KEEP}")
# Whole octets and hextets: the only prefix lengths a text rewrite keeps exactly.
if _PRIVACY["ipv4TruncateBits"] % 8 or _PRIVACY["ipv6TruncateBits"] % 16:
    raise ValueError("contract truncation prefixes must be whole IPv4 octets and IPv6 groups")
IPV4_OCTETS: int = _PRIVACY["ipv4TruncateBits"] // 8
IPV6_GROUPS: int = _PRIVACY["ipv6TruncateBits"] // 16

_IPV4 = r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$"
_HEXTET = r"^[0-9a-f]{1,4}$"
# A JSON member "ip": "<text>" (any spacing); the value has no quote or backslash in practice,
# and a value that has one is dropped whole whatever the mode (see minimise_ips_in_json).
_IP_MEMBER = rf'"{IP_FIELD}"\s*:\s*"'


def check_ip_mode(mode: str) -> str:
    """The mode, or a ValueError naming what is allowed."""
    if mode not in IP_MODES:
        raise ValueError(f"ip_mode: got {mode!r}, must be one of {', '.join(IP_MODES)}")
    return mode


def truncate_ip(ip: Column) -> Column:
    """The address's network (IPv4 /24, IPv6 /48) as text; null for text that is no address."""
    text = F.trim(ip)
    v4 = F.concat_ws(".", F.slice(F.split(text, r"\."), 1, IPV4_OCTETS), *[F.lit("0")] * (4 - IPV4_OCTETS))
    return F.when(text.rlike(_IPV4), v4).otherwise(_truncate_ipv6(F.lower(text)))


def _truncate_ipv6(text: Column) -> Column:
    # The zone ("%eth0") names a local interface: no part of the network.
    s = F.regexp_replace(text, "%.*$", "")
    compressed = s.contains("::")
    halves = F.split(s, "::")
    head = F.when(compressed, halves.getItem(0)).otherwise(s)
    tail = F.when(compressed, halves.getItem(1)).otherwise(F.lit(""))
    none = F.array().cast("array<string>")
    head_groups = F.when(head == "", none).otherwise(F.split(head, ":"))
    tail_groups = F.when(tail == "", none).otherwise(F.split(tail, ":"))
    # An embedded IPv4 address (::ffff:192.0.2.1) ends the address and counts as two groups.
    dotted = F.when(s.contains("."), 1).otherwise(0)
    missing = F.lit(8) - F.size(head_groups) - F.size(tail_groups) - dotted
    groups = F.concat(head_groups, F.array_repeat(F.lit("0"), F.greatest(missing, F.lit(0))), tail_groups)
    last = F.element_at(groups, -1)
    valid = (
        s.rlike(r"^[0-9a-f:.]+$")
        & (F.size(halves) <= 2)
        & F.when(compressed, missing >= 1).otherwise(missing == 0)
        & (F.size(F.filter(F.slice(groups, F.lit(1), F.size(groups) - 1), lambda g: ~g.rlike(_HEXTET))) == 0)
        & (last.rlike(_HEXTET) | ((dotted == 1) & last.rlike(_IPV4)))
    )
    kept = F.transform(F.slice(groups, 1, IPV6_GROUPS), lambda g: F.regexp_replace(g, "^0+(?=.)", ""))
    network = F.concat(F.concat_ws(":", kept), F.lit("::"))
    # netip's form: the trailing zero groups join the "::" ("2001:db8:0::" is "2001:db8::").
    canonical = F.regexp_replace(F.regexp_replace(network, "(:0)+::$", "::"), "^0::$", "::")
    return F.when(valid, canonical)


def minimise_ip(ip: Column, mode: str) -> Column:
    """An IP column as the mode keeps it: null (drop), its network (truncate) or as is (keep)."""
    check_ip_mode(mode)
    if mode == KEEP:
        return ip
    if mode == TRUNCATE:
        return truncate_ip(ip)
    return F.lit(None).cast("string")


def minimise_ips_in_json(text: Column, mode: str) -> Column:
    """A raw JSON line with the value of every "ip" member minimised: dropped is null, truncated
    is its network (null when it is no address). Works on lines that are not valid JSON too
    (quarantined lines), by text: the line is split at each `"ip": "` and the value up to the
    next quote rewritten with higher-order functions, so there is no Python per row."""
    check_ip_mode(mode)
    if mode == KEEP:
        return text
    parts = F.split(text, _IP_MEMBER)

    def rewrite(part: Column) -> Column:
        value = F.substring_index(part, '"', 1)
        # What follows the value's closing quote.
        rest = part.substr(F.length(value) + 2, F.length(part))
        minimised = minimise_ip(value, mode)
        member = F.when(minimised.isNull(), F.lit(f'"{IP_FIELD}":null')).otherwise(
            F.concat(F.lit(f'"{IP_FIELD}":"'), minimised, F.lit('"'))
        )
        return F.concat(member, rest)

    rewritten = F.transform(F.slice(parts, 2, F.greatest(F.size(parts) - 1, F.lit(0))), rewrite)
    return F.when(F.size(parts) <= 1, text).otherwise(F.concat(parts.getItem(0), F.array_join(rewritten, "")))
