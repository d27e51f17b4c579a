"""Print cfn-lint's JSON findings (stdin) one per line, naming the resource and the rule.

cfn-lint's text formats give only file:line; a reader of `make test` needs the logical ID.
Exits 1 when there is any finding, so the make recipe fails on it.
"""

import json
import sys


def main() -> int:
    findings = json.load(sys.stdin)
    for f in findings:
        path = "/".join(str(p) for p in f["Location"]["Path"])
        line = f["Location"]["Start"]["LineNumber"]
        rule = f["Rule"]
        print(
            f"{f['Filename']}:{line}: {path}: {rule['Id']} ({rule['ShortDescription']}): {f['Message']}"
        )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
