package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/watch"
)

// DefaultAddr is where the preview listens unless told otherwise: this
// machine only.
const DefaultAddr = "127.0.0.1:1313"

// Config is what a preview needs.
type Config struct {
	// Dir is the site folder.
	Dir string
	// Theme is the default theme (the one embedded in the binary).
	Theme fs.FS
	// Listener, if set, is where to serve (tests pass one on a free
	// port); else Listen(DefaultAddr).
	Listener net.Listener
	// Watch tunes the watcher (the quiet window, polling).
	Watch watch.Options
	// Log receives what the editor reads in the terminal; nil discards.
	Log io.Writer
	// Ready, if set, is called with the site's URL once it is served.
	Ready func(url string)
	// Built, if set, is called after every build is published (tests and
	// measurements).
	Built func(generator.Result, error)
}

// Run builds the site, serves it, and rebuilds on every change until ctx
// is done; then it ends the event streams, shuts the server down and
// returns once every goroutine it started has ended. A build that fails
// leaves the last good site served. Run returns an error only when it
// cannot serve or watch at all.
func Run(ctx context.Context, cfg Config) error {
	logw := cfg.Log
	if logw == nil {
		logw = io.Discard
	}
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = Listen(DefaultAddr, 20); err != nil {
			return err
		}
	}
	defer ln.Close()
	site := os.DirFS(cfg.Dir)
	// Watch before the first build, so no change made while it runs is
	// missed.
	w, err := watch.New(cfg.Dir, cfg.Watch)
	if err != nil {
		return err
	}
	if ok, why := w.Polling(); ok && cfg.Watch.Poll <= 0 {
		fmt.Fprintf(logw, "提示：无法使用系统的文件监视（%v），改为定时检查文件。\n", why)
	}
	srv := New(site)
	b := generator.NewBuilder(generator.Config{Site: site, Theme: cfg.Theme, Preview: true})
	var good map[string][]byte // the files of the last build that succeeded
	build := func(what string) {
		start := time.Now()
		sink := publish.NewMapKeeper(good)
		res, err := b.Build(ctx, sink)
		if ctx.Err() != nil {
			return
		}
		baseURL := ""
		if res.Site != nil {
			baseURL = res.Site.Config.BaseURL
		}
		out := Build{BaseURL: baseURL, Diagnostics: res.Diagnostics, Findings: res.Findings, Err: nonContent(err)}
		if err == nil {
			good, out.Files = sink.Files, sink.Files
			if !sink.Cleared {
				out.Changed = sink.Touched
			}
		}
		srv.Publish(out)
		report(logw, cfg.Dir, what, res, err, time.Since(start))
		if cfg.Built != nil {
			cfg.Built(res, err)
		}
	}
	fmt.Fprintln(logw, "正在生成网站…")
	build("")
	// The first build of a large site leaves most of what it allocated as
	// garbage; collect it now, while the editor opens the page, rather
	// than during the first save.
	runtime.GC()

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	var wg sync.WaitGroup
	serveErr := make(chan error, 1)
	wg.Go(func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr <- err
		}
	})
	wctx, stopWatch := context.WithCancel(ctx)
	wg.Go(func() { w.Run(wctx) })

	u := siteURL(ln.Addr(), srv.state.Load().basePath)
	fmt.Fprintf(logw, "预览地址：%s（保存文件后页面自动刷新；按 Ctrl+C 停止）\n", u)
	if cfg.Ready != nil {
		cfg.Ready(u)
	}

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-serveErr:
			runErr = err
			break loop
		case batch, ok := <-w.Batches():
			if !ok {
				break loop
			}
			if batch.Rescan {
				if batch.Err != nil {
					fmt.Fprintf(logw, "提示：可能漏掉了文件改动（%v），重新读取全部文件。\n", batch.Err)
				}
				b.ChangedAll()
				build("全部文件")
			} else {
				b.Changed(batch.Paths...)
				build(describe(cfg.Dir, batch.Paths))
			}
		}
	}
	stopWatch()
	srv.Close()
	// Requests to a preview are answered from memory in milliseconds; a
	// browser's connection opened ahead and never used would hold Shutdown
	// for five seconds (net/http waits that long before taking it as
	// idle). Give requests half a second, then close what is left.
	shutdown, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		hs.Close()
	}
	wg.Wait()
	if runErr == nil {
		fmt.Fprintln(logw, "预览已停止。")
	}
	return runErr
}

// nonContent returns err unless it is about the content, which the
// diagnostics already tell.
func nonContent(err error) error {
	var ce *diag.ContentError
	if err == nil || errors.As(err, &ce) {
		return nil
	}
	return err
}

// report prints one line per build, and the diagnostics of a failed one
// with their files named from dir, the site folder as the user named it.
func report(w io.Writer, dir, what string, res generator.Result, err error, took time.Duration) {
	stamp := time.Now().Format("15:04:05")
	took = took.Round(time.Millisecond)
	if what != "" {
		what += " 有改动："
	}
	// As build's summary says them: the build's own warnings apart from
	// the checks' findings, which disclose check lists too.
	warn := ""
	if n := res.Diagnostics.Count(diag.Warning); n > 0 {
		warn = fmt.Sprintf("；构建警告 %d 处", n)
	}
	if len(res.Findings) > 0 {
		// In the words of build's summary line, notes counted apart: the
		// panel lists them too.
		warn += "；数字检查：" + check.Summary(res.Findings)
	}
	if warn != "" {
		warn += "（见浏览器中的检查结果）"
	}
	if err == nil {
		again := ""
		if what != "" {
			again = fmt.Sprintf("（重新生成 %d 页）", res.Rendered)
		}
		fmt.Fprintf(w, "%s %s已生成 %d 个页面%s%s，用时 %s\n", stamp, what, res.Pages, again, warn, took)
		return
	}
	var ce *diag.ContentError
	if errors.As(err, &ce) {
		fmt.Fprintf(w, "%s %s构建失败，%d 处错误（浏览器中显示错误，预览仍是上一次成功生成的网站）：\n", stamp, what, ce.List.Count(diag.Error))
		for _, d := range res.Diagnostics.Within(dir) {
			if d.Severity == diag.Error {
				fmt.Fprintln(w, "  "+d.String())
			}
		}
		return
	}
	fmt.Fprintf(w, "%s %s构建失败：%v\n", stamp, what, err)
}

// describe names the changed files for the log, from dir (the site folder
// as the user named it): the first two and a count.
func describe(dir string, paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	shown := make([]string, 0, 2)
	for _, p := range paths[:min(len(paths), 2)] {
		shown = append(shown, diag.From(dir, p))
	}
	if len(paths) > 2 {
		return fmt.Sprintf("%s 等 %d 个文件", shown[0], len(paths))
	}
	return strings.Join(shown, "、")
}

// siteURL is the preview's address for a browser.
func siteURL(addr net.Addr, base string) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + base
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + base
}

// Listen listens on addr (host:port). When the port is taken and tries is
// positive, it tries the next ports, up to tries more, so a second preview
// starts beside the first.
func Listen(addr string, tries int) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil || tries <= 0 || !errors.Is(err, syscall.EADDRINUSE) {
		return ln, err
	}
	host, port, perr := net.SplitHostPort(addr)
	n, aerr := strconv.Atoi(port)
	if perr != nil || aerr != nil {
		return nil, err
	}
	for i := 1; i <= tries && n+i < 65536; i++ {
		if ln, e := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(n+i))); e == nil {
			return ln, nil
		}
	}
	return nil, err
}
