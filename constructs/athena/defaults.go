package athena

// Fixed settings; the cutoff's default and range are config.DefaultBytesScannedCutoff and
// config.BytesScannedCutoff. Tests assert each one in the synthesized template.
const (
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
