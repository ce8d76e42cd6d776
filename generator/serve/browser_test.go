package serve

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/disclose/disclose/generator/browsertest"
	"github.com/disclose/disclose/generator/diag"
)

// browser is a page in chromium with what it logged.
type browser struct {
	ctx context.Context
	mu  sync.Mutex
	log []string // errors and exceptions, including CSP violations
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	b := &browser{ctx: browsertest.New(t, browsertest.Options{Timeout: 3 * time.Minute})}
	err := chromedp.Listen(b.ctx, func(ev any) {
		var line string
		switch ev := ev.(type) {
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				line = fmt.Sprintf("%s: %s (%s)", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
			}
		case *runtime.EventExceptionThrown:
			line = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				line += " " + ev.ExceptionDetails.Exception.Description
			}
		}
		if line != "" {
			b.mu.Lock()
			b.log = append(b.log, line)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noErrors fails t if the page logged an error, an exception or a CSP
// violation, other than those containing one of expected. (The example
// site has no favicon.ico.)
func (b *browser) noErrors(t *testing.T, expected ...string) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	expected = append(expected, "/favicon.ico)")
next:
	for _, l := range b.log {
		for _, e := range expected {
			if strings.Contains(l, e) {
				continue next
			}
		}
		t.Errorf("browser: %s", l)
	}
	b.log = nil
}

func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	// The page listens once its script has run.
	b.until(t, "the page to connect", `document.querySelector('meta[name="disclose:build"]') !== null && typeof EventSource === 'function'`)
}

// until waits for a JavaScript condition to hold in the page, across the
// reloads that the preview causes.
func (b *browser) until(t *testing.T, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`!!(`+cond+`)`, chromedp.WithPollingTimeout(5*time.Second)))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 500) : ''`))
			t.Fatalf("waiting for %s: %v\npage text: %s", what, err, text)
		}
		// A reload destroyed the polling context; poll the new page.
	}
}

func (b *browser) eval(t *testing.T, js string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

// mark sets a value that only lives until the page reloads.
func (b *browser) mark(t *testing.T) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](`window.discloseMark = 'kept'`)); err != nil {
		t.Fatal(err)
	}
}

func (b *browser) reloaded(t *testing.T) bool {
	t.Helper()
	return b.eval(t, `String(window.discloseMark)`) != "kept"
}

// TestBrowserLivePreview drives chromium against a running preview of a
// copy of the example, the way an editor works: every change below is made
// to the files on disk, and the open page follows without a manual reload.
func TestBrowserLivePreview(t *testing.T) {
	b := newBrowser(t)
	p := startPreview(t, exampleSite(t))
	disclosureURL := p.url + "panjin-zhcs/2020/budget/"

	t.Run("the fiscal checks' findings are in the check panel", func(t *testing.T) {
		b.open(t, disclosureURL)
		b.until(t, "the check panel", `document.getElementById('disclose-checks') !== null`)
		panel := b.eval(t, `document.getElementById('disclose-checks').innerText`)
		// The seed's own error: 支出预算 2944.24 ≠ 572.24 + 2394.
		for _, want := range []string{"检查发现", "支出预算 2944.24万元", data + ":63:"} {
			if !strings.Contains(panel, want) {
				t.Errorf("panel lacks %q:\n%.600s", want, panel)
			}
		}
		if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("#disclose-checks button"))); err != nil {
			t.Fatal(err)
		}
		b.until(t, "the panel to close", `document.getElementById('disclose-checks') === null`)
		b.noErrors(t)
	})

	t.Run("editing a Markdown section shows the new text", func(t *testing.T) {
		b.open(t, disclosureURL)
		text := p.read(t, section)
		p.write(t, section, strings.Replace(text, "按照综合预算的原则", "按照综合预算的（浏览器测试）原则", 1))
		b.until(t, "the new text", `document.body.innerText.includes('按照综合预算的（浏览器测试）原则')`)
		b.noErrors(t)
	})

	t.Run("a save through a temporary file and a rename is picked up", func(t *testing.T) {
		b.open(t, disclosureURL)
		text := p.read(t, section)
		tmp := filepath.Join(p.dir, "content/panjin-zhcs/2020/budget/.03-explanation.md.tmp-4711")
		if err := os.WriteFile(tmp, []byte(strings.Replace(text, "（浏览器测试）", "（改名保存）", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(p.dir, section)); err != nil {
			t.Fatal(err)
		}
		b.until(t, "the renamed file's text", `document.body.innerText.includes('按照综合预算的（改名保存）原则')`)
		b.noErrors(t)
	})

	t.Run("a new body folder with a disclosure appears on the home page", func(t *testing.T) {
		b.open(t, p.url)
		src := filepath.Join(p.dir, "content/panjin-zhcs")
		dst := filepath.Join(p.dir, "content/new-body")
		if err := os.MkdirAll(filepath.Join(dst, "2021/budget"), 0o755); err != nil {
			t.Fatal(err)
		}
		p.write(t, "content/new-body/body.toml", "name = \"新建的示例中心\"\n")
		entries, err := os.ReadDir(filepath.Join(src, "2020/budget"))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(src, "2020/budget", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			p.write(t, "content/new-body/2021/budget/"+e.Name(), string(data))
		}
		b.until(t, "the new body on the home page", `document.body.innerText.includes('新建的示例中心')`)
		b.until(t, "a link to its disclosure", `document.querySelector('a[href="/new-body/2021/budget/"]') !== null`)
		b.noErrors(t)
	})

	t.Run("a broken data.toml shows an overlay over the page, fixing it removes the overlay", func(t *testing.T) {
		b.open(t, disclosureURL)
		b.mark(t)
		good := p.read(t, data)
		p.write(t, data, strings.Replace(good, `unit = "万元"`, `unit = "万元`, 1))
		b.until(t, "the overlay", `document.getElementById('disclose-overlay') !== null`)
		overlay := b.eval(t, `document.getElementById('disclose-overlay').innerText`)
		for _, want := range []string{"构建失败", data + ":4:", "TOML", `unit = "万元`} {
			if !strings.Contains(overlay, want) {
				t.Errorf("overlay lacks %q:\n%s", want, overlay)
			}
		}
		if b.reloaded(t) {
			t.Error("the page reloaded when the build failed")
		}
		if !strings.Contains(b.eval(t, `document.querySelector('main').innerText`), "按照综合预算的（改名保存）原则") {
			t.Error("the last good page is not shown under the overlay")
		}
		// The overlay is visible, above the page.
		if b.eval(t, `getComputedStyle(document.getElementById('disclose-overlay')).position`) != "fixed" {
			t.Error("the overlay's stylesheet did not apply")
		}
		// It can be folded away to read the page, and opened again.
		if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("#disclose-overlay button"))); err != nil {
			t.Fatal(err)
		}
		b.until(t, "the overlay folded", `getComputedStyle(document.querySelector('#disclose-overlay .disclose-body')).display === 'none'`)

		p.write(t, data, good)
		b.until(t, "the overlay to go", `document.getElementById('disclose-overlay') === null`)
		if b.reloaded(t) {
			t.Error("fixing the file reloaded a page whose output did not change")
		}
		b.noErrors(t)
	})

	t.Run("a stylesheet change is swapped in without a reload", func(t *testing.T) {
		b.open(t, disclosureURL)
		b.mark(t)
		theme, err := os.ReadFile("../../static/css/site.css")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(p.dir, "static/css"), 0o755); err != nil {
			t.Fatal(err)
		}
		p.write(t, "static/css/site.css", string(theme)+"\nbody { background-color: rgb(1, 2, 3); }\n")
		b.until(t, "the new style", `getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'`)
		if b.reloaded(t) {
			t.Error("the page reloaded for a stylesheet change")
		}
		if n := b.eval(t, `String(document.querySelectorAll('link[rel="stylesheet"][href*="site.css"]').length)`); n != "1" {
			t.Errorf("%s site.css links after the swap", n)
		}
		b.noErrors(t)
	})

	t.Run("a page that does not exist yet loads once it is built", func(t *testing.T) {
		b.open(t, p.url+"later-body/")
		if !strings.Contains(b.eval(t, `document.title`), "页面不存在") {
			t.Fatalf("not the 404 page: %s", b.eval(t, `document.title`))
		}
		p.write(t, "content/new-body/body.toml", "name = \"新建的示例中心\"\n")
		if err := os.Rename(filepath.Join(p.dir, "content/new-body"), filepath.Join(p.dir, "content/later-body")); err != nil {
			t.Fatal(err)
		}
		b.until(t, "the body page", `document.querySelector('h1') && document.querySelector('h1').innerText.includes('新建的示例中心')`)
		b.noErrors(t, "404 (Not Found) ("+p.url+"later-body/)")
	})
}

// TestBrowserCheckPanel: the build's warnings show in a panel the editor
// can close; it stays closed until the findings change.
func TestBrowserCheckPanel(t *testing.T) {
	b := newBrowser(t)
	srv := New(nil)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	warn := func(msg string) diag.List {
		return diag.List{{File: "content/a/2020/budget/data.toml", Line: 12, Col: 3, Severity: diag.Warning, Rule: "check.sum", Message: msg}}
	}
	srv.Publish(Build{Files: site(), BaseURL: "/", Diagnostics: warn("支出合计 2944.24 与各项之和 2966.24 不符")})
	b.open(t, ts.URL+"/a/")
	b.until(t, "the panel", `document.getElementById('disclose-checks') !== null`)
	panel := b.eval(t, `document.getElementById('disclose-checks').innerText`)
	for _, want := range []string{"检查发现 1 处问题", "警告", "content/a/2020/budget/data.toml:12:3", "2944.24"} {
		if !strings.Contains(panel, want) {
			t.Errorf("panel lacks %q:\n%s", want, panel)
		}
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("#disclose-checks button"))); err != nil {
		t.Fatal(err)
	}
	b.until(t, "the panel to close", `document.getElementById('disclose-checks') === null`)
	// The same findings after another build: still closed.
	srv.Publish(Build{Files: site(), BaseURL: "/", Diagnostics: warn("支出合计 2944.24 与各项之和 2966.24 不符")})
	b.until(t, "the build", fmt.Sprintf(`document.documentElement.getAttribute('data-disclose-build') === '%s'`, srv.buildID(2)))
	if b.eval(t, `String(document.getElementById('disclose-checks'))`) != "null" {
		t.Error("a closed panel came back for the same findings")
	}
	// New findings open it again.
	srv.Publish(Build{Files: site(), BaseURL: "/", Diagnostics: warn("收入增减率 −5.43% 按收入计算应为 −5.39%")})
	b.until(t, "the panel with the new finding", `document.getElementById('disclose-checks') && document.getElementById('disclose-checks').innerText.includes('5.39')`)
	b.noErrors(t)
}
