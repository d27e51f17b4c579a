"""Calendar and size units shared by the formulas (not prices: those are in prices.json)."""

DAYS_PER_YEAR = 365
MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR
HOURS_PER_DAY = 24
SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = SECONDS_PER_HOUR * HOURS_PER_DAY
MILLISECONDS_PER_SECOND = 1000
MIB = 2**20
# Lambda's memory is configured in MB (2^20 bytes) and billed in GB-seconds of 1024 MB.
MB_PER_GB = 1024
# ListObjectsV2 returns at most this many keys per request (Amazon S3 API Reference).
KEYS_PER_LIST = 1000
