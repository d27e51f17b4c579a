package collector

import (
	"encoding/json"
	"fmt"
)

// CloudWatch metrics of the collector, written as Embedded Metric Format log lines (CloudWatch
// Logs turns them into metrics; no API call, no dependency). The ingestion construct's alarms
// read them.
const (
	MetricNamespace = "Clickstream/Collector"
	// MetricDimension is the one dimension; its value is Config.MetricsName (the function name).
	MetricDimension = "Collector"
	// MetricRequests counts every request.
	MetricRequests = "Requests"
	// MetricAcceptedEvents counts the events delivered to Firehose.
	MetricAcceptedEvents = "AcceptedEvents"
	// MetricRejectedRequests counts 4xx answers; the line's Reason property says why.
	MetricRejectedRequests = "RejectedRequests"
	// MetricDeliveryFailures counts 503 answers: Firehose did not take the events after retries.
	MetricDeliveryFailures = "DeliveryFailures"
	// MetricDeliveryRetries counts retried Firehose calls.
	MetricDeliveryRetries = "DeliveryRetries"
)

type requestMetrics struct {
	accepted, rejected, failures, retries, status int
	reason, err                                   string
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetadata struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

// emit writes one EMF line holding Requests and the metrics that are not zero (a line per
// request is the collector's main CloudWatch Logs cost), plus Status, Reason and Error as
// searchable properties (no metric dimension, so no cardinality cost).
func (c *Collector) emit(m requestMetrics) {
	line := map[string]any{MetricDimension: c.cfg.MetricsName, "Status": m.status}
	var metrics []emfMetric
	for _, v := range []struct {
		name  string
		value int
	}{
		{MetricRequests, 1}, {MetricAcceptedEvents, m.accepted}, {MetricRejectedRequests, m.rejected},
		{MetricDeliveryFailures, m.failures}, {MetricDeliveryRetries, m.retries},
	} {
		if v.value != 0 {
			metrics = append(metrics, emfMetric{Name: v.name, Unit: "Count"})
			line[v.name] = v.value
		}
	}
	line["_aws"] = emfMetadata{
		Timestamp: c.Now().UnixMilli(),
		CloudWatchMetrics: []emfDirective{{
			Namespace: MetricNamespace, Dimensions: [][]string{{MetricDimension}}, Metrics: metrics,
		}},
	}
	if m.reason != "" {
		line["Reason"] = m.reason
	}
	if m.err != "" {
		line["Error"] = m.err
	}
	b, _ := json.Marshal(line)
	fmt.Fprintf(c.Metrics, "%s\n", b)
}
