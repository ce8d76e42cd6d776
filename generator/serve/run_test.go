package serve

import (
	"context"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/diag"
)

func theme() fs.FS { return disclose.Theme() }

// exampleSite copies the repository's example content into a temporary
// site folder.
func exampleSite(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// preview is a running Run.
type preview struct {
	url   string
	dir   string
	built chan error
	// builtAt holds when each build was published.
	builtAt chan time.Time
	stop    func()
}

// startPreview runs Run on dir on a free port until the test ends.
func startPreview(t testing.TB, dir string) *preview {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &preview{dir: dir, built: make(chan error, 100), builtAt: make(chan time.Time, 100)}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Dir: dir, Theme: theme(), Listener: ln,
			Ready: func(u string) { ready <- u },
			Built: func(_ generator.Result, err error) {
				p.builtAt <- time.Now()
				p.built <- err
			},
		})
	}()
	select {
	case p.url = <-ready:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	<-p.built // the first build
	<-p.builtAt
	stopped := false
	p.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(p.stop)
	return p
}

func (p *preview) write(t testing.TB, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(p.dir, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (p *preview) read(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(p.dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// get fetches a page and returns its body and build id.
func (p *preview) get(t testing.TB, path string) (body, build string) {
	t.Helper()
	resp, err := http.Get(p.url + strings.TrimPrefix(path, "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`disclose:build" content="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no build id in\n%s", path, b)
	}
	return string(b), string(m[1])
}

const (
	section    = "content/panjin-zhcs/2020/budget/03-explanation.md"
	data       = "content/panjin-zhcs/2020/budget/data.toml"
	disclosure = "panjin-zhcs/2020/budget/index.html"
)

// TestRunRebuildsOnSave follows an editor: a save reloads the page that
// changed, a broken file shows its error while the last good site stays,
// and fixing it clears the error.
func TestRunRebuildsOnSave(t *testing.T) {
	p := startPreview(t, exampleSite(t))
	_, build := p.get(t, "/panjin-zhcs/2020/budget/")
	s := listen(t, strings.TrimSuffix(p.url, "/"), build, disclosure)
	s.next(t)

	text := p.read(t, section)
	p.write(t, section, strings.Replace(text, "按照综合预算的原则", "按照综合预算的新原则", 1))
	if e := s.next(t); !e.Reload {
		t.Fatalf("no reload after a section changed: %+v", e)
	}
	page, build := p.get(t, "/panjin-zhcs/2020/budget/")
	if !strings.Contains(page, "按照综合预算的新原则") {
		t.Fatal("the page does not show the new text after the reload event")
	}

	s = listen(t, strings.TrimSuffix(p.url, "/"), build, disclosure)
	s.next(t)
	good := p.read(t, data)
	p.write(t, data, strings.Replace(good, `unit = "万元"`, `unit = "万元`, 1))
	e := s.next(t)
	if e.Reload || len(e.Errors) != 1 || !strings.HasPrefix(e.Errors[0].Where, data+":4:") || len(e.Errors[0].Frame) == 0 {
		t.Fatalf("after breaking data.toml: %+v", e)
	}
	if page, _ := p.get(t, "/panjin-zhcs/2020/budget/"); !strings.Contains(page, "按照综合预算的新原则") {
		t.Error("the last good page is not served while the build fails")
	}
	p.write(t, data, good)
	if e := s.next(t); e.Reload || len(e.Errors) != 0 {
		t.Fatalf("after the fix: %+v", e)
	}
}

// TestRunShutdown: when Run's context ends (Ctrl-C), open event streams are
// closed, the server stops, and no goroutine is left.
func TestRunShutdown(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	defer client.CloseIdleConnections()
	p := startPreview(t, exampleSite(t))
	_, build := p.get(t, "/")
	var bodies []io.ReadCloser
	for range 3 {
		resp, err := client.Get(p.url + "__disclose/events?build=" + build + "&file=index.html")
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, resp.Body)
	}
	p.stop()
	// Each stream was ended by the server, cleanly (a stream cut off by a
	// forced close would end with an unexpected EOF).
	for _, b := range bodies {
		if _, err := io.Copy(io.Discard, b); err != nil {
			t.Errorf("stream: %v", err)
		}
		b.Close()
	}
}

// TestReport: the terminal line of each build, as build's summary counts:
// the build's own warnings apart from the checks' findings; the files of
// a failed build named from the site folder as the user named it.
func TestReport(t *testing.T) {
	warn := diag.Diagnostic{File: "content/glossary.toml", Line: 3, Severity: diag.Warning, Message: "没有用到"}
	finding := diag.Diagnostic{File: "content/a/2020/budget/data.toml", Line: 12, Severity: diag.Error, Message: "对不上"}
	broken := diag.Diagnostic{File: "content/a/2020/budget/data.toml", Line: 4, Col: 1, Severity: diag.Error, Message: "未知的键 amout"}
	tests := []struct {
		what string
		res  generator.Result
		err  error
		want []string
	}{
		{"", generator.Result{Pages: 12}, nil, []string{"已生成 12 个页面，用时"}},
		{"../site/content/a.md", generator.Result{Pages: 12, Rendered: 1, Diagnostics: diag.List{warn, warn}, Findings: diag.List{finding}}, nil,
			[]string{"../site/content/a.md 有改动：已生成 12 个页面（重新生成 1 页）；构建警告 2 处；数字检查：1 处错误，0 处警告，0 条舍入等提示（见浏览器中的检查结果）"}},
		{"", generator.Result{Diagnostics: diag.List{broken}}, diag.List{broken}.Err(),
			[]string{"构建失败，1 处错误", "  ../site/content/a/2020/budget/data.toml:4:1: 错误: 未知的键 amout"}},
	}
	for _, tt := range tests {
		var b strings.Builder
		report(&b, "../site", tt.what, tt.res, tt.err, time.Millisecond)
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("report = %q, want %q in it", b.String(), w)
			}
		}
	}
}
