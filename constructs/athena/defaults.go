package athena

// Defaults and fixed settings. Tests assert each one in the synthesized template.
const (
	// DefaultBytesScannedCutoff cancels any query scanning more than 10 GiB.
	DefaultBytesScannedCutoff int64 = 10 * 1024 * 1024 * 1024
	// MinBytesScannedCutoff is Athena's smallest per-query cutoff (10 MB).
	MinBytesScannedCutoff int64 = 10 * 1024 * 1024
	// EngineVersion is the Athena (Trino) engine the named queries are written for.
	EngineVersion = "Athena engine version 3"
	// ResultsEncryption encrypts query results with the lake's customer-managed key.
	ResultsEncryption = "SSE_KMS"
)

// Construct IDs. The workgroup holds the query history: renaming its ID replaces it.
const (
	WorkGroupID = "Resource"
	// NamedQueryIDPrefix + the query's PascalCase name is each named query's ID.
	NamedQueryIDPrefix = "Query"
)
