package lakeformation

// Lake Formation permissions this construct grants (the Permissions of
// AWS::LakeFormation::PrincipalPermissions).
const (
	Describe           = "DESCRIBE"
	Select             = "SELECT"
	CreateTable        = "CREATE_TABLE"
	DataLocationAccess = "DATA_LOCATION_ACCESS"
)

// The permission sets of GrantRead and GrantCreateTables. Tests assert each in the template.
var (
	// ReadDatabasePermissions let a reader see the database (Athena and QuickSight list and
	// describe it before they query a table).
	ReadDatabasePermissions = []string{Describe}
	// ReadTablePermissions let a reader query one table: its metadata and its data.
	ReadTablePermissions = []string{Describe, Select}
	// CreateTablesPermissions let a crawler see the database and create tables in it. Lake
	// Formation gives a table's creator every permission on that table, so a crawler needs no
	// grant on the tables it creates (which do not exist when the stack is deployed).
	CreateTablesPermissions = []string{CreateTable, Describe}
)

// LocationObjectActions and LocationKeyActions are the data-access role's actions on the
// objects of the registered buckets and on their KMS keys (SSE-KMS reads decrypt, writes
// generate a data key). The role also lists each bucket (s3:ListBucket).
var (
	LocationObjectActions = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}
	LocationKeyActions    = []string{"kms:Decrypt", "kms:GenerateDataKey"}
)

// DataAccessAction is the IAM action an engine (Athena, QuickSight through Athena) calls to get
// Lake Formation's temporary credentials for a registered location. It supports no
// resource-level permissions.
const DataAccessAction = "lakeformation:GetDataAccess"

// LakeFormationServicePrincipal assumes the data-access role to vend credentials.
const LakeFormationServicePrincipal = "lakeformation.amazonaws.com"

// Construct IDs. A registration's ID is LocationIDPrefix plus the bucket's logical ID; a grant
// lives under the principal's logical ID, named after the resource it is on.
const (
	DataAccessRoleID    = "DataAccessRole"
	LocationIDPrefix    = "Location"
	DatabaseGrantPrefix = "Database"
	TableGrantPrefix    = "Table"
	LocationGrantPrefix = "DataLocation"
)
