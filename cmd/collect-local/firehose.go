package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/clickstream-analytics/datalake/constructs/ingestion"
	"github.com/clickstream-analytics/datalake/constructs/lakestorage"
)

// firehoseSink stands in for the delivery stream: it buffers records, concatenated as they
// are, and writes them as one GZIP object under the raw prefix and the hour folder of the
// oldest buffered record (Firehose's !{timestamp:...} is that record's UTC arrival time)
// when the buffer reaches its size or age, and on Close.
type firehoseSink struct {
	dir, stream string
	interval    time.Duration
	maxBytes    int
	now         func() time.Time

	mu             sync.Mutex
	buf            bytes.Buffer
	oldest         time.Time
	files, records int
	err            error
}

func newSink(dir, stream string, interval time.Duration, maxBytes int) *firehoseSink {
	return &firehoseSink{dir: dir, stream: stream, interval: interval, maxBytes: maxBytes, now: time.Now}
}

// PutRecordBatch buffers every record; a failed write of an earlier buffer fails the call.
func (s *firehoseSink) PutRecordBatch(_ context.Context, in *firehose.PutRecordBatchInput, _ ...func(*firehose.Options)) (*firehose.PutRecordBatchOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	out := &firehose.PutRecordBatchOutput{FailedPutCount: new(int32)}
	for _, r := range in.Records {
		if s.buf.Len() == 0 {
			s.oldest = s.now()
		}
		s.buf.Write(r.Data)
		s.records++
		id := randomHex(16)
		out.RequestResponses = append(out.RequestResponses, types.PutRecordBatchResponseEntry{RecordId: &id})
	}
	if s.buf.Len() >= s.maxBytes {
		s.err = s.flushLocked()
	}
	return out, s.err
}

// tick writes the buffer once it is older than the interval.
func (s *firehoseSink) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil && s.buf.Len() > 0 && s.now().Sub(s.oldest) >= s.interval {
		s.err = s.flushLocked()
	}
}

// Close writes what is buffered.
func (s *firehoseSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil && s.buf.Len() > 0 {
		s.err = s.flushLocked()
	}
	return s.err
}

// flushLocked writes the buffer as <prefix><hour folders><stream>-1-<time>-<random>.json.gz,
// through a temporary name the ETL does not list, so a reader never sees half a file.
func (s *firehoseSink) flushLocked() error {
	t := s.oldest.UTC()
	folder := filepath.Join(s.dir, filepath.FromSlash(lakestorage.RawEventsPrefix+renderLayout(ingestion.PartitionLayout, t)))
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	name := filepath.Join(folder, fmt.Sprintf("%s-1-%s-%s%s", s.stream, t.Format("2006-01-02-15-04-05"), randomHex(8), ingestion.FileExtension))
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write(s.buf.Bytes())
	if err := w.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(name+".tmp", gz.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(name+".tmp", name); err != nil {
		return err
	}
	s.buf.Reset()
	s.files++
	fmt.Fprintf(os.Stderr, "collect-local: wrote %s\n", name)
	return nil
}

// renderLayout evaluates Firehose's !{timestamp:...} expressions of layout for t.
func renderLayout(layout string, t time.Time) string {
	return strings.NewReplacer(
		"!{timestamp:yyyy}", t.Format("2006"), "!{timestamp:MM}", t.Format("01"),
		"!{timestamp:dd}", t.Format("02"), "!{timestamp:HH}", t.Format("15"),
	).Replace(layout)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
