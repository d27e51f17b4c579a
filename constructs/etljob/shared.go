package etljob

import (
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/clickstream-analytics/datalake/contract"
)

// ModulesZip zips the script package of scriptsDir (ModulesPackage, with the contract's JSON
// export) into cacheDir and returns the archive's path: the --extra-py-files of every job
// running a script of the package (the ETL, the erasure job).
func ModulesZip(scriptsDir, cacheDir string) (string, error) {
	return writeModulesZip(filepath.Join(scriptsDir, ModulesPackage), cacheDir, map[string][]byte{contract.ExportFile: contract.JSON()})
}

// CodeAsset uploads a file as a CDK asset and references its exact object: unlike
// Code.fromAsset, which grants read on the whole bootstrap assets bucket, the job's role may
// read only these objects.
func CodeAsset(scope constructs.Construct, id, path string) awsglue.Code {
	asset := awss3assets.NewAsset(scope, jsii.String(id), &awss3assets.AssetProps{Path: jsii.String(path)})
	return awsglue.Code_FromBucket(asset.Bucket(), asset.S3ObjectKey())
}
