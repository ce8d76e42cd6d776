// Package browsertest starts a real browser (Debian's chromium) for tests of
// what runs in a page: search, tooltips, live reload, the error overlay.
//
// Without chromium the tests skip with a message; with CI=true a missing
// browser fails them, so CI cannot pass by skipping.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ExecPath finds the browser: $CHROMIUM, else chromium or chromium-browser
// on the PATH.
func ExecPath() (string, bool) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, true
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// Flags are the options of a headless chromium at exe on these machines
// (no sandbox, no GPU, nothing fetched in the background), with its
// profile in dir and a window of width×height.
func Flags(exe, dir string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(width, height),
	}
}

// Options tune the browser of one test.
type Options struct {
	// Width and Height of the window; 0 means 1280×900.
	Width, Height int
	// NoJavaScript disables scripts, to test pages as readers without
	// JavaScript see them.
	NoJavaScript bool
	// Timeout bounds the whole test's browser work; 0 means 60 s.
	Timeout time.Duration
}

// New starts a headless browser for t with the flags these machines need
// and returns a chromedp context; it is closed when t ends.
func New(t testing.TB, o Options) context.Context {
	t.Helper()
	path, ok := ExecPath()
	if !ok {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; .ci/run installs it with apt-get install -y chromium")
		}
		t.Skip("chromium not found: browser test skipped (apt-get install -y chromium to run it)")
	}
	if o.Width == 0 {
		o.Width, o.Height = 1280, 900
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	opts := Flags(path, t.TempDir(), o.Width, o.Height)
	if o.NoJavaScript {
		opts = append(opts, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, o.Timeout)
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(o.Width), int64(o.Height))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}
