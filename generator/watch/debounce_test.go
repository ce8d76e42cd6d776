package watch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// debouncer runs debounce in a synctest bubble and records when each batch
// left it, in fake time since the start.
type debouncer struct {
	t       *testing.T
	start   time.Time
	in      chan change
	out     chan Batch
	cancel  context.CancelFunc
	batches []timed
}

type timed struct {
	at time.Duration
	b  Batch
}

func newDebouncer(t *testing.T, quiet, maxWait time.Duration) *debouncer {
	ctx, cancel := context.WithCancel(t.Context())
	d := &debouncer{t: t, start: time.Now(), in: make(chan change), out: make(chan Batch), cancel: cancel}
	go debounce(ctx, d.in, d.out, quiet, maxWait)
	return d
}

// at sends the paths (or a rescan for "!") at fake time offset when.
func (d *debouncer) at(when time.Duration, paths ...string) {
	d.t.Helper()
	d.advanceTo(when)
	for _, p := range paths {
		switch {
		case p == "!":
			d.in <- change{rescan: true, err: errors.New("overflow")}
		case p[0] == '+':
			d.in <- change{path: p[1:], op: opCreate}
		case p[0] == '-':
			d.in <- change{path: p[1:], op: opGone}
		default:
			d.in <- change{path: p}
		}
	}
}

// advanceTo lets fake time run to when, receiving every batch sent meanwhile.
func (d *debouncer) advanceTo(when time.Duration) {
	d.t.Helper()
	for {
		synctest.Wait()
		select {
		case b := <-d.out:
			d.batches = append(d.batches, timed{time.Since(d.start), b})
			continue
		default:
		}
		left := when - time.Since(d.start)
		if left <= 0 {
			return
		}
		// Sleep in small steps so batches are received when sent.
		time.Sleep(min(left, time.Millisecond))
	}
}

func (d *debouncer) String() string {
	var s string
	for _, b := range d.batches {
		s += fmt.Sprintf("%v:%v", b.at, b.b.Paths)
		if b.b.Rescan {
			s += "rescan"
		}
		s += " "
	}
	return s
}

// TestDebounce checks when batches are sent and what they hold, on a fake
// clock: quiet window 30 ms, maximum wait 500 ms.
type ev struct {
	at    time.Duration
	paths []string
}

// stream is one event every step from first to last, named e0, e1, ….
func stream(first, last, step time.Duration) []ev {
	var out []ev
	for i, at := 0, first; at <= last; i, at = i+1, at+step {
		out = append(out, ev{at, []string{fmt.Sprintf("e%02d", i)}})
	}
	return out
}

// names returns e<from> … e<to>.
func names(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("e%02d", i))
	}
	return out
}

func TestDebounce(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name   string
		events []ev
		want   string
	}{
		{"one save", []ev{{0, []string{"content/a.md"}}},
			"30ms:[content/a.md] "},
		{"an atomic save is one batch", []ev{{0, []string{"content/.a.md.tmp", "content/a.md"}}, {1 * ms, []string{"content/a.md"}}},
			"31ms:[content/.a.md.tmp content/a.md] "},
		{"each event restarts the quiet window", []ev{{0, []string{"a"}}, {20 * ms, []string{"b"}}, {45 * ms, []string{"a"}}},
			"75ms:[a b] "},
		{"a quiet gap splits batches", []ev{{0, []string{"a"}}, {31 * ms, []string{"b"}}},
			"30ms:[a] 61ms:[b] "},
		{"a stream is cut at the maximum wait", stream(0, 600*ms, 15*ms),
			fmt.Sprintf("500ms:%v 630ms:%v ", names(0, 33), names(34, 40))},
		{"a temporary file created and renamed away is left out", []ev{{0, []string{"+content/sedAb12", "content/sedAb12", "-content/sedAb12", "+content/a.md"}}},
			"30ms:[content/a.md] "},
		{"a file removed and written again is kept", []ev{{0, []string{"-content/a.md", "+content/a.md", "content/a.md"}}},
			"30ms:[content/a.md] "},
		{"a removal is kept", []ev{{0, []string{"-content/b"}}},
			"30ms:[content/b] "},
		{"a batch of temporary files only is not sent", []ev{{0, []string{"+x.tmp2", "-x.tmp2"}}, {100 * ms, []string{"a"}}},
			"130ms:[a] "},
		{"an overflow asks for a rescan", []ev{{0, []string{"a", "!"}}},
			"30ms:[]rescan "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				d := newDebouncer(t, 30*ms, 500*ms)
				for _, e := range tt.events {
					d.at(e.at, e.paths...)
				}
				d.advanceTo(2 * time.Second)
				if got := d.String(); got != tt.want {
					t.Errorf("batches %s, want %s", got, tt.want)
				}
				d.cancel()
			})
		})
	}
}

// TestDebounceSlowReceiver: changes that come while the receiver is busy
// (rebuilding) join the waiting batch; nothing is lost or sent twice.
func TestDebounceSlowReceiver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := time.Millisecond
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		in, out := make(chan change), make(chan Batch)
		go debounce(ctx, in, out, 30*ms, 500*ms)
		start := time.Now()
		in <- change{path: "a"}
		time.Sleep(40 * ms) // the batch is ready; nobody receives it yet
		in <- change{path: "b"}
		time.Sleep(100 * ms)
		in <- change{path: "a"}
		in <- change{path: "c"}
		time.Sleep(100 * ms)
		b := <-out
		if want := []string{"a", "b", "c"}; !slices.Equal(b.Paths, want) {
			t.Errorf("batch %v, want %v", b.Paths, want)
		}
		if at := time.Since(start); at != 240*ms {
			t.Errorf("received at %v", at)
		}
		synctest.Wait()
		select {
		case b := <-out:
			t.Errorf("a second batch %v", b)
		default:
		}
	})
}

// TestDebounceLargeBurst: a burst too large to list (a checkout, a
// search-and-replace) becomes a rescan.
func TestDebounceLargeBurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		in, out := make(chan change), make(chan Batch)
		go debounce(ctx, in, out, 30*time.Millisecond, time.Second)
		for i := range maxBatchedPaths + 1 {
			in <- change{path: fmt.Sprint("content/", i)}
		}
		if b := <-out; !b.Rescan {
			t.Errorf("a burst of %d paths gave %d paths and no rescan", maxBatchedPaths+1, len(b.Paths))
		}
	})
}

func TestIgnored(t *testing.T) {
	for _, p := range []string{
		"content/a/.data.toml.swp", "content/a/.data.toml.swx", "content/a/.data.toml.swo",
		"content/a/data.toml~", "content/a/4913", "content/a/.#data.toml", "content/a/#data.toml#",
		"layouts/home.html___jb_tmp___", "layouts/home.html___jb_old___", "static/.goutputstream-ABC123",
		"content/a/data.toml.tmp", "content/.DS_Store", "content/~$report.docx", "static/css/site.css.crswap",
		// Names a build does not read: hidden files and folders.
		"content/a/.01-overview.md.WFPGe8", "content/.hidden/a.md", "content/.hiddenfile", ".git/index", "static/.htaccess",
	} {
		if !Ignored(p) {
			t.Errorf("%s is not ignored", p)
		}
	}
	for _, p := range []string{
		"content/a/data.toml", "content/a/01-overview.md", "static/css/site.css", "content/a/2020",
		"content/swap.md", "static/img/x.svg", "content/#1.md",
	} {
		if Ignored(p) {
			t.Errorf("%s is ignored", p)
		}
	}
}
