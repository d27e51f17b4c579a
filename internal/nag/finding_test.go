package nag

import (
	"fmt"
	"testing"
)

func TestRender(t *testing.T) {
	cases := map[string]struct {
		in   any
		want string
	}{
		"literal": {"arn:aws:s3:::bucket", "arn:aws:s3:::bucket"},
		"ref":     {map[string]any{"Ref": "AWS::Region"}, "<AWS::Region>"},
		"get-att": {map[string]any{"Fn::GetAtt": []any{"Raw1234", "Arn"}}, "<Raw1234.Arn>"},
		"join": {map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":logs:", map[string]any{"Ref": "AWS::Region"}}}},
			"arn:<AWS::Partition>:logs:<AWS::Region>"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Render(c.in); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	t.Run("bucket grant actions", func(t *testing.T) {
		if got := fmt.Sprint(BucketReadWriteActions()); got != "[Action::s3:GetObject* Action::s3:GetBucket* Action::s3:List* Action::s3:DeleteObject* Action::s3:Abort* Action::kms:ReEncrypt* Action::kms:GenerateDataKey*]" {
			t.Fatal(got)
		}
	})
	t.Run("action", func(t *testing.T) {
		if got := Action("s3:List*"); got != "Action::s3:List*" {
			t.Fatal(got)
		}
	})
}
