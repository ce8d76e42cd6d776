package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Event is what a page is told after a build (the data of an SSE event
// named "build"), computed for that page from the build it shows.
type Event struct {
	// Build identifies the build the page is now up to date with.
	Build string `json:"build"`
	// Reload says the page (or a file it uses) changed: load it again.
	Reload bool `json:"reload"`
	// CSS lists the stylesheets (site paths) that changed when nothing
	// else the page shows did: swap them without a reload.
	CSS []string `json:"css,omitempty"`
	// Errors are the latest build's errors: it failed, and the page shows
	// the last good site under an overlay. Empty once the build succeeds.
	Errors []Finding `json:"errors"`
	// Checks are the latest build's warnings and notes and the fiscal
	// checks' findings (disclose check), for the check panel.
	Checks []Finding `json:"checks"`
}

// events streams build events to one page. The page says which build it
// shows (query build=instance/version, or the Last-Event-ID of a
// reconnecting EventSource) and which files it shows (file=…); each event
// is computed from that, so a page that connects late, reconnects, or was
// slow to read learns of every change it missed, and never of one twice.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	since := q.Get("build")
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		since = id
	}
	var files []string
	for _, f := range q["file"] {
		files = append(files, strings.Fields(f)...)
	}
	seen := -1 // the page's build is unknown: from another server, or none
	if inst, v, ok := strings.Cut(since, "/"); ok && inst == s.instance {
		if n, err := strconv.Atoi(v); err == nil && n <= s.state.Load().version {
			seen = n
		}
	}

	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[ch] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// Reconnect quickly after the server restarts.
	fmt.Fprint(w, "retry: 500\n\n")
	flusher.Flush()
	// The first event says where the page stands, even when it shows the
	// latest build: the errors and warnings are not in the page.
	ch <- struct{}{}
	first := true
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-ch:
			st := s.state.Load()
			if st.version == seen && !first {
				continue
			}
			first = false
			e := st.event(s.buildID(st.version), seen, files)
			data, err := json.Marshal(e)
			if err != nil {
				return
			}
			if _, err := fmt.Fprintf(w, "id: %s\nevent: build\ndata: %s\n\n", e.Build, data); err != nil {
				return
			}
			flusher.Flush()
			seen = st.version
			if e.Reload {
				return // the page loads again and connects anew
			}
		}
	}
}

// event tells a page that shows files as of build seen (-1: unknown) what
// to do now.
func (st *state) event(id string, seen int, files []string) Event {
	e := Event{Build: id, Errors: st.errors, Checks: st.checks}
	if e.Errors == nil {
		e.Errors = []Finding{}
	}
	if e.Checks == nil {
		e.Checks = []Finding{}
	}
	if st.files == nil {
		return e // nothing to show yet
	}
	if seen < 0 || st.assets > seen {
		e.Reload = true
		return e
	}
	for _, f := range files {
		if st.changed[f] > seen {
			e.Reload = true
			return e
		}
	}
	for _, f := range st.css {
		if st.changed[f] > seen {
			e.CSS = append(e.CSS, st.basePath+f)
		}
	}
	return e
}
