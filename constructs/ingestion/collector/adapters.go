package collector

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// HandleFunctionURL is the Lambda handler of a function URL invocation.
func (c *Collector) HandleFunctionURL(ctx context.Context, e events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	headers := make(map[string]string, len(e.Headers))
	for k, v := range e.Headers {
		headers[strings.ToLower(k)] = v
	}
	resp := c.Handle(ctx, Request{
		Method:        e.RequestContext.HTTP.Method,
		Path:          e.RawPath,
		Headers:       headers,
		Body:          []byte(e.Body),
		Base64Encoded: e.IsBase64Encoded,
		SourceIP:      e.RequestContext.HTTP.SourceIP,
	})
	return events.LambdaFunctionURLResponse{StatusCode: resp.Status, Headers: resp.Headers, Body: resp.Body}, nil
}

// ServeHTTP serves the collector with net/http (make collect-local). It reads at most one
// byte more than the limit, so an oversized body is refused without being read whole.
func (c *Collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(c.cfg.MaxRequestBytes)+1))
	if err != nil {
		http.Error(w, "reading the body failed", http.StatusBadRequest)
		return
	}
	headers := make(map[string]string, len(r.Header))
	for k, v := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	resp := c.Handle(r.Context(), Request{Method: r.Method, Path: r.URL.Path, Headers: headers, Body: body, SourceIP: ip})
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.Status)
	_, _ = io.WriteString(w, resp.Body)
}
