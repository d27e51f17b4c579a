// Command collect-local serves, on a loopback address, the real collector handler at
// POST /collect and the fixture shop (with tracker.js) at /, and writes what it accepts in
// the delivery stream's layout (GZIP files under events/year=/month=/day=/hour=/), buffered
// like Firehose. SIGTERM or Ctrl-C stops it after the requests in progress and writes the
// buffer, so nothing accepted is lost. Then: make etl-local INPUT=<output> OUTPUT=...
//
// The first line on stdout is "collect-local: serving http://<addr>/ ..."; after it come the
// collector's metric lines (one JSON object per request).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/clickstream-analytics/datalake/config"
	"github.com/clickstream-analytics/datalake/constructs/ingestion/collector"
	"github.com/clickstream-analytics/datalake/tracker"
)

// Stream names the files, as a delivery stream's name does.
const Stream = "collect-local"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "collect-local:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("collect-local", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8765", "loopback address to serve on (port 0: any free port)")
	output := flags.String("output", "build/collected", "folder receiving events/year=.../hour=.../*.json.gz")
	interval := flags.Duration("buffer-interval", 60*time.Second, "write a file when the oldest buffered record is this old")
	bufferMiB := flags.Int("buffer-mib", 5, "write a file when this many MiB are buffered")
	origins := flags.String("allow-origins", "", "comma-separated origins allowed besides the server's own")
	ipMode := flags.String("ip-mode", config.DefaultIPMode, "what is stored of the source IP: "+strings.Join(config.IPModes(), ", ")+" (privacy.ip)")
	flaky := flags.Bool("flaky", false, "fail the first delivery of every event, half of them after storing it (see flaky.go)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr: %v", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr: got %q, must be a loopback address such as 127.0.0.1:8765 (this is a development server)", *addr)
	}
	dir, err := filepath.Abs(*output)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	allowed := []string{base}
	if *origins != "" {
		allowed = append(allowed, strings.Split(*origins, ",")...)
	}
	sink := newSink(dir, Stream, *interval, *bufferMiB<<20)
	c, err := collector.New(collector.Config{DeliveryStreamName: Stream, AllowedOrigins: allowed, MetricsName: Stream, IPMode: *ipMode}, sink)
	if err != nil {
		return err
	}
	var collect http.Handler = c
	var failures *flakyCollector
	if *flaky {
		failures = newFlaky(c, c.Config().MaxRequestBytes)
		collect = failures
	}
	mux := http.NewServeMux()
	mux.Handle(collector.Path, collect)
	mux.Handle("/", site())
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	fmt.Printf("collect-local: serving %s/ (collector at %s%s), writing to %s\n", base, base, collector.Path, dir)

	for running := true; running; {
		select {
		case <-ticker.C:
			sink.tick()
		case err := <-served:
			return err
		case <-ctx.Done():
			running = false
		}
	}
	// Finish the requests in progress, then write the buffer.
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if err := sink.Close(); err != nil {
		return err
	}
	fmt.Printf("collect-local: stopped; %d records in %d files under %s\n", sink.records, sink.files, dir)
	if failures != nil {
		fmt.Printf("collect-local: flaky: %d requests refused, %d stored but answered 503, %d passed\n", failures.refused, failures.storedFailed, failures.passed)
	}
	return nil
}

// site serves tracker.js and the fixture shop; "/checkout" serves checkout.html.
func site() http.Handler {
	files := http.FileServerFS(tracker.Fixture)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/tracker.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			_, _ = w.Write(tracker.Script)
			return
		case p != "/" && !strings.HasSuffix(p, ".html") && !strings.Contains(filepath.Base(p), "."):
			r2 := r.Clone(r.Context())
			r2.URL.Path = p + ".html"
			r = r2
		}
		files.ServeHTTP(w, r)
	})
}
