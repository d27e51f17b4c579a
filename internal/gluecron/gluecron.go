// Package gluecron validates AWS Glue (and EventBridge) cron expressions at synth time, so a
// typo fails `cdk synth` with a clear message instead of a failed deployment.
//
// Format: cron(Minutes Hours Day-of-month Month Day-of-week Year), exactly one of
// Day-of-month and Day-of-week being "?".
package gluecron

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	wrapper = regexp.MustCompile(`^cron\((.*)\)$`)
	fields  = []struct {
		name    string
		pattern *regexp.Regexp
		allowed string
	}{
		{"minutes", list(`[0-5]?[0-9]`, `[0-5]?[0-9]`), "0-59 , - * /"},
		{"hours", list(`([01]?[0-9]|2[0-3])`, `[0-9]+`), "0-23 , - * /"},
		{"day-of-month", regexp.MustCompile(`^(\?|L|W|[0-9]{1,2}W|` + listBody(`([1-9]|[12][0-9]|3[01])`, `[0-9]+`) + `)$`), "1-31 , - * ? / L W"},
		{"month", list(`([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)`, `[0-9]+`), "1-12 or JAN-DEC , - * /"},
		{"day-of-week", regexp.MustCompile(`^(\?|[1-7]L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)#[1-5]|` + listBody(`([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)L?`, `[0-9]+`) + `)$`), "1-7 or SUN-SAT , - * ? / L #"},
		{"year", list(`(19[7-9][0-9]|2[01][0-9][0-9])`, `[0-9]+`), "1970-2199 , - * /"},
	}
)

// listBody matches "*", a value, a range, a step (x/n, */n) or a comma list of those.
func listBody(value, step string) string {
	item := `(\*|` + value + `(-` + value + `)?)(/` + step + `)?`
	return item + `(,` + item + `)*`
}

func list(value, step string) *regexp.Regexp {
	return regexp.MustCompile(`^(` + listBody(value, step) + `)$`)
}

// Validate returns nil for a valid Glue cron expression, or an error saying which part is
// wrong and what is allowed. The error does not name the configuration field: callers
// prefix it.
func Validate(expr string) error {
	m := wrapper.FindStringSubmatch(strings.TrimSpace(expr))
	if m == nil {
		return fmt.Errorf("got %q, must be a Glue cron expression such as \"cron(0 2 * * ? *)\"", expr)
	}
	parts := strings.Fields(m[1])
	if len(parts) != len(fields) {
		return fmt.Errorf("got %q with %d fields, must have 6: minutes hours day-of-month month day-of-week year", expr, len(parts))
	}
	for i, f := range fields {
		if !f.pattern.MatchString(strings.ToUpper(parts[i])) {
			return fmt.Errorf("got %q: %s field %q is invalid, allowed: %s", expr, f.name, parts[i], f.allowed)
		}
	}
	dom, dow := parts[2], parts[4]
	if (dom == "?") == (dow == "?") {
		return fmt.Errorf("got %q: exactly one of day-of-month (%q) and day-of-week (%q) must be \"?\"", expr, dom, dow)
	}
	return nil
}
