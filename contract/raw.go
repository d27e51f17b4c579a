package contract

// RawField is one field of a raw event: the JSON object a tracker sends, stored by the
// collector one per line in the raw bucket and read by the ETL. Trackers' tests validate their
// payloads against RawEvent(); the ETL's raw schema is compared with it by the Glue tests.
type RawField struct {
	Name string `json:"name"`
	// Type is the JSON type: string, integer, number or object; alternatives are joined by
	// "|". The ETL reads every leaf as text, so a number where a string is expected (or the
	// reverse) is not an error, but trackers send these types.
	Type string `json:"type"`
	// Required fields missing, null or blank send the event to quarantine.
	Required bool `json:"required"`
	// SetBy is RawSetByClient or RawSetByCollector (the collector overwrites what a client sent).
	SetBy   string `json:"setBy"`
	Comment string `json:"comment"`
	// Fields are the known fields of an object; an object without Fields is free-form.
	Fields []RawField `json:"fields,omitempty"`
}

// Who sets a raw field.
const (
	RawSetByClient = "client"
	// RawSetByCollector fields are stamped by the collector; a client cannot forge them.
	RawSetByCollector = "collector"
)

// Names of the raw fields the collector stamps.
const (
	RawReceivedAt = "received_at"
	RawContext    = "context"
	RawIP         = "ip"
	RawUserAgent  = "user_agent"
)

func raw(name, typ string, required bool, setBy, comment string, fields ...RawField) RawField {
	return RawField{Name: name, Type: typ, Required: required, SetBy: setBy, Comment: comment, Fields: fields}
}

func clientField(name, typ, comment string, fields ...RawField) RawField {
	return raw(name, typ, false, RawSetByClient, comment, fields...)
}

func requiredField(name, typ, comment string) RawField {
	return raw(name, typ, true, RawSetByClient, comment)
}

// RawEvent lists the fields of a raw event in the order of the ETL's raw schema. Unknown
// fields are kept in the raw files and ignored by the ETL.
func RawEvent() []RawField {
	return []RawField{
		requiredField("event_id", "string", "unique per event (a UUID); a resent event keeps it, so the ETL drops the copy"),
		requiredField("event_type", "string", "page_view, click, search, add_to_cart, remove_from_cart, begin_checkout, purchase or custom"),
		requiredField("event_time", "string|integer", "client time: ISO-8601 with Z or ±hh:mm, or epoch milliseconds"),
		requiredField("anonymous_id", "string", "device or cookie id"),
		clientField("user_id", "string", "logged-in user id"),
		raw(RawReceivedAt, "string", false, RawSetByCollector, "UTC time the collector received the request (ISO-8601, milliseconds)"),
		clientField("page", "object", "the page the event happened on",
			clientField("url", "string", "full page URL, with the landing page's utm parameters and click ids"),
			clientField("referrer", "string", "full referrer URL"),
			clientField("title", "string", "document title"),
		),
		clientField(RawContext, "object", "the device",
			raw(RawUserAgent, "string", false, RawSetByCollector, "the User-Agent header, unless the event carries one (server-side senders)"),
			raw(RawIP, "string", false, RawSetByCollector, "source IP of the request"),
			clientField("locale", "string", "browser language, e.g. en-US"),
			clientField("screen_width", "integer", "screen width in CSS pixels"),
			clientField("screen_height", "integer", "screen height in CSS pixels"),
		),
		clientField("performance", "object", "Navigation Timing of the page (page views)",
			clientField("page_load_ms", "integer", "navigation start to load event end"),
			clientField("ttfb_ms", "integer", "navigation start to the first response byte"),
			clientField("fcp_ms", "integer", "First Contentful Paint (optional)"),
			clientField("lcp_ms", "integer", "Largest Contentful Paint, a Core Web Vital (optional)"),
			clientField("inp_ms", "integer", "Interaction to Next Paint, a Core Web Vital (optional: pages with an interaction)"),
			clientField("cls", "number", "Cumulative Layout Shift, a Core Web Vital (optional)"),
		),
		clientField("properties", "object", "event properties: product_id, order_id, revenue (number), currency become columns; other values are kept as text"),
	}
}
