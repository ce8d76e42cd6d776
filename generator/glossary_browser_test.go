package generator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/disclose/disclose/generator/browsertest"
	"github.com/disclose/disclose/generator/publish"
)

// Browser tests of the glossary tooltips (must-show 3 of issue 6), on the
// example's 盘锦 2020 page, served as a CDN would serve it and under
// Content-Security-Policy: default-src 'self', so an inline script or style
// would show up as a console error.

const budgetPage = "/panjin-zhcs/2020/budget/"

// serveExample builds the example and serves it; it returns the site URL.
func serveExample(t *testing.T) string {
	t.Helper()
	sink, _ := buildExample(t)
	return serve(t, sink)
}

// serve serves what a build wrote, as a CDN would.
func serve(t *testing.T, sink *publish.MapSink) string {
	t.Helper()
	files := http.FileServer(http.FS(sink.FS()))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		if r.URL.Path == "/favicon.ico" { // the theme has none yet
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if _, err := fs.Stat(sink.FS(), strings.TrimPrefix(r.URL.Path, "/")+"index.html"); err != nil && strings.HasSuffix(r.URL.Path, "/") && r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// watchConsole collects what the page writes to the console from now on.
// The returned func fails the test if anything was an error, an exception
// or a warning (CSP violations are errors of the browser log).
func watchConsole(t *testing.T, ctx context.Context) func() {
	t.Helper()
	msgs := make(chan chromedp.ConsoleMessage, 256)
	seq := chromedp.Console(ctx)
	go func() {
		for m, err := range seq {
			if err != nil {
				return
			}
			msgs <- m
		}
	}()
	return func() {
		t.Helper()
		// A marker tells that every earlier message has arrived.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`console.log("console-flush")`)); err != nil {
			t.Fatal(err)
		}
		for m := range msgs {
			if m.Type == chromedp.ConsoleLog && m.Text == "console-flush" {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				t.Errorf("console %s: %s (%s:%d)", m.Type, m, m.URL, m.Line+1)
			}
		}
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// bubble describes the open bubble, or is empty when none is open.
type bubble struct {
	Open                     bool
	Text, Status             string
	After                    string // text of the term just before the bubble
	Left, Right, Top, Bottom float64
	VW, VH                   float64
}

const bubbleJS = `(() => {
	const b = document.querySelector('.gl-bubble');
	const s = document.querySelector('[role=status].gl-status');
	const open = !!b && !b.hidden && b.isConnected && b.getClientRects().length > 0;
	const r = open ? b.getBoundingClientRect() : {left: 0, right: 0, top: 0, bottom: 0};
	return {Open: open, Text: open ? b.textContent : '', Status: s ? s.textContent : '',
		After: open && b.previousElementSibling ? b.previousElementSibling.textContent : '',
		Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom,
		VW: document.documentElement.clientWidth, VH: document.documentElement.clientHeight};
})()`

func getBubble(t *testing.T, ctx context.Context) bubble {
	t.Helper()
	return eval[bubble](t, ctx, bubbleJS)
}

func activeText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.activeElement ? (document.activeElement.className + ':' + document.activeElement.textContent) : ''`)
}

// term selects the mark of a term by its text.
func term(text string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll('a.gl-term')].find(a => a.textContent === %q)`, text))
}

// TestGlossaryKeyboard: Tab to a term, Enter opens its definition (focus
// alone does not), Esc closes it with focus still on the term; the term's
// accessible description is the definition.
func TestGlossaryKeyboard(t *testing.T) {
	site := serveExample(t)
	ctx := browsertest.New(t, browsertest.Options{})
	check := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(site+budgetPage))

	// Focus what comes before 基本支出 in the tab order, then Tab.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const all = [...document.querySelectorAll('a[href], button, [tabindex]:not([tabindex="-1"])')];
		const i = all.findIndex(a => a.classList.contains('gl-term') && a.textContent === '基本支出');
		all[i - 1].focus();
	})()`), chromedp.KeyEvent(kb.Tab))
	if got := activeText(t, ctx); got != "gl-term:基本支出" {
		t.Fatalf("after Tab, focus is on %q", got)
	}
	if b := getBubble(t, ctx); b.Open {
		t.Error("focus alone opened the bubble")
	}
	// What a screen reader says on focus: the link's name and, as its
	// description, the definition.
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(term("基本支出")))
	if err != nil {
		t.Fatal(err)
	}
	ax, err := chromedp.Call(ctx, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{BackendNodeID: nodes[0].BackendNodeID, FetchRelatives: new(false)})
	if err != nil || len(ax.Nodes) == 0 {
		t.Fatalf("accessibility tree: %v", err)
	}
	if desc := axString(ax.Nodes[0].Description); desc != "指保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。" {
		t.Errorf("accessible description = %q", desc)
	}

	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	b := getBubble(t, ctx)
	if !b.Open || !strings.Contains(b.Text, "指保障机构正常运转") || b.After != "基本支出" {
		t.Fatalf("Enter did not open the definition of 基本支出: %+v", b)
	}
	if !strings.Contains(b.Status, "基本支出：指保障机构正常运转") {
		t.Errorf("status region says %q", b.Status)
	}
	if loc := eval[string](t, ctx, `location.hash`); loc != "" {
		t.Errorf("Enter followed the link to %s", loc)
	}
	if got := eval[string](t, ctx, `document.activeElement.getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("aria-expanded = %q", got)
	}
	// Tab goes into the bubble: its close button, then its link to the
	// glossary page.
	do(t, ctx, chromedp.KeyEvent(kb.Tab))
	if got := activeText(t, ctx); got != "gl-close:×" {
		t.Errorf("Tab from an open term goes to %q, want the bubble's close button", got)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	if b := getBubble(t, ctx); b.Open {
		t.Error("Esc did not close the bubble")
	}
	if got := activeText(t, ctx); got != "gl-term:基本支出" {
		t.Errorf("after Esc, focus is on %q, want the term", got)
	}
	// Enter again opens it again, and Enter once more closes it.
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	if !getBubble(t, ctx).Open {
		t.Error("Enter did not reopen the bubble")
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	if getBubble(t, ctx).Open {
		t.Error("a second Enter did not close the bubble")
	}
	check()
}

func axString(v *accessibility.Value) string {
	if v == nil {
		return ""
	}
	var s string
	_ = json.Unmarshal(v.Value, &s)
	return s
}

// TestGlossaryMouse: a click opens, a second click closes; another term's
// click moves the bubble; an outside click closes; hovering the bubble keeps
// it open, and it never closes on a timer.
func TestGlossaryMouse(t *testing.T) {
	site := serveExample(t)
	ctx := browsertest.New(t, browsertest.Options{})
	check := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(site+budgetPage))

	do(t, ctx, chromedp.Click(term("财政拨款收入")))
	if b := getBubble(t, ctx); !b.Open || b.After != "财政拨款收入" || !strings.Contains(b.Text, "指市级财政当年拨付的资金。") {
		t.Fatalf("a click did not open the definition (no open-then-close on one click): %+v", b)
	}
	if more := eval[string](t, ctx, `document.querySelector('.gl-bubble-more').getAttribute('href')`); !strings.HasPrefix(more, "/glossary/#term-") {
		t.Errorf("the bubble's link to the glossary page is %q", more)
	}
	do(t, ctx, chromedp.Click(term("财政拨款收入")))
	if getBubble(t, ctx).Open {
		t.Error("a second click did not close the bubble")
	}

	// (The bubble of 基本支出 covers 项目支出 on the next line; a term
	// further down is clicked.)
	do(t, ctx, chromedp.Click(term("基本支出")))
	do(t, ctx, chromedp.Click(term("“三公”经费")))
	if b := getBubble(t, ctx); !b.Open || b.After != "“三公”经费" || eval[int](t, ctx, `document.querySelectorAll('.gl-bubble').length`) != 1 {
		t.Errorf("clicking another term should show its definition alone: %+v", b)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("h1")))
	if getBubble(t, ctx).Open {
		t.Error("a click outside did not close the bubble")
	}

	// Hover: open, move the pointer from the term onto the bubble, then
	// away onto other text: it stays (WCAG 2.1 SC 1.4.13).
	do(t, ctx, chromedp.Click(term("机关运行经费")))
	b := getBubble(t, ctx)
	move := func(x, y float64) {
		do(t, ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y))
	}
	move((b.Left+b.Right)/2, (b.Top+b.Bottom)/2)
	if !eval[bool](t, ctx, `document.querySelector('.gl-bubble').matches(':hover')`) {
		t.Error("the pointer is not over the bubble")
	}
	if !getBubble(t, ctx).Open {
		t.Fatal("hovering the bubble closed it")
	}
	move(5, b.VH-5)
	if !getBubble(t, ctx).Open {
		t.Error("moving the pointer away closed the bubble; only Esc, a click or another term may")
	}
	// Clicking inside the bubble keeps it open.
	do(t, ctx, chromedp.Click(chromedp.CSS(".gl-bubble-body")))
	if !getBubble(t, ctx).Open {
		t.Error("a click inside the bubble closed it")
	}
	check()

	// Let 15 seconds of page time pass at once (virtual time): the bubble
	// never closes by itself. This is the last step, as virtual time stays
	// paused after its budget.
	budget := 15000.0
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(emulation.VirtualTimeBudgetExpired, nil,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetVirtualTimePolicy, emulation.SetVirtualTimePolicyParams{
				Policy: emulation.VirtualTimePolicyAdvance, Budget: &budget})
			return err
		})))
	if err != nil {
		t.Fatal(err)
	}
	if ms := eval[float64](t, ctx, `performance.now()`); ms < 15000 {
		t.Fatalf("page time is %.0f ms, virtual time did not pass", ms)
	}
	if !getBubble(t, ctx).Open {
		t.Error("the bubble closed by itself after 15 s")
	}
}

// TestGlossaryPhone: on a 375px-wide touch screen a tap opens a term's
// definition and the bubble stays inside the viewport, for every term.
func TestGlossaryPhone(t *testing.T) {
	site := serveExample(t)
	ctx := browsertest.New(t, browsertest.Options{Width: 375, Height: 740})
	check := watchConsole(t, ctx)
	do(t, ctx, chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(site+budgetPage))
	terms := eval[[]string](t, ctx, `[...document.querySelectorAll('a.gl-term')].map(a => a.textContent)`)
	if len(terms) != 6 {
		t.Fatalf("terms %q", terms)
	}
	for _, name := range terms {
		do(t, ctx, chromedp.Tap(term(name)))
		b := getBubble(t, ctx)
		if !b.Open || b.After != name {
			t.Errorf("tapping %s: %+v", name, b)
			continue
		}
		if b.VW != 375 {
			t.Errorf("viewport is %.0f px wide", b.VW)
		}
		if b.Left < 0 || b.Right > b.VW || b.Top < 0 || b.Bottom > b.VH {
			t.Errorf("%s: bubble at [%.0f,%.0f]×[%.0f,%.0f] leaves the %.0f×%.0f viewport", name, b.Left, b.Right, b.Top, b.Bottom, b.VW, b.VH)
		}
		do(t, ctx, chromedp.Tap(term(name)))
		if getBubble(t, ctx).Open {
			t.Errorf("a second tap on %s did not close it", name)
		}
	}
	if w := eval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the page scrolls sideways: %.0f px wide", w)
	}
	check()
}

// TestGlossaryWithoutJavaScript: the term is a plain link that jumps to its
// definition on the page.
func TestGlossaryWithoutJavaScript(t *testing.T) {
	site := serveExample(t)
	ctx := browsertest.New(t, browsertest.Options{NoJavaScript: true})
	check := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(site+budgetPage))
	do(t, ctx, chromedp.Click(term("“三公”经费")))
	// Scripts are off, so the page's state is read through the DOM domain
	// (Evaluate still works: DevTools runs it, not the page).
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.ToLower(loc), budgetPage+"#term-%e4%b8%89%e5%85%ac%e7%bb%8f%e8%b4%b9") {
		t.Errorf("the link went to %s", loc)
	}
	target := eval[string](t, ctx, `(() => { const e = document.querySelector(':target'); return e ? e.id + ' ' + e.textContent : '' })()`)
	if !strings.HasPrefix(target, "term-三公经费 “三公”经费：指用财政拨款安排的") {
		t.Errorf(":target is %q", target)
	}
	top := eval[float64](t, ctx, `document.getElementById('term-三公经费').getBoundingClientRect().top`)
	if vh := eval[float64](t, ctx, `document.documentElement.clientHeight`); top < 0 || top > vh/2 {
		t.Errorf("the definition is at %.0f px, not brought into view", top)
	}
	if eval[bool](t, ctx, `!!document.querySelector('.gl-bubble')`) {
		t.Error("a bubble without JavaScript")
	}
	check()
}

// TestGlossaryPageTermsBubble: on a page without its own 名词解释 list, the
// bubble takes the definition from 本页名词解释 and links to the glossary
// page; its own words, where the disclosure has them.
func TestGlossaryPageTermsBubble(t *testing.T) {
	sink, _, err := build(t, glossarySite(map[string]string{
		"content/demo/2020/budget/data.toml": "unit = \"万元\"\n" +
			"[[glossary]]\nterm = \"专项\"\ndefinition = \"只在本文件。\"\n",
		"content/demo/2020/budget/01.md": "+++\ntitle = \"说明\"\n+++\n\n基本支出和专项。\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	site := serve(t, sink)
	ctx := browsertest.New(t, browsertest.Options{})
	check := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(site+"/demo/2020/budget/"), chromedp.Click(term("基本支出")))
	b := getBubble(t, ctx)
	if !b.Open || !strings.HasPrefix(b.Text, "×基本支出：站点的解释。查看完整解释") {
		t.Errorf("bubble %+v", b)
	}
	if more := eval[string](t, ctx, `document.querySelector('.gl-bubble-more').getAttribute('href')`); more != "/glossary/#term-%e5%9f%ba%e6%9c%ac%e6%94%af%e5%87%ba" {
		t.Errorf("more link %q", more)
	}
	// A term of the disclosure's own has no glossary entry to link to.
	do(t, ctx, chromedp.Click(term("专项")))
	if b := getBubble(t, ctx); !b.Open || !strings.HasPrefix(b.Text, "×专项：只在本文件。") {
		t.Errorf("bubble of an own term %+v", b)
	}
	if eval[bool](t, ctx, `document.querySelector('.gl-bubble-more').getClientRects().length > 0`) {
		t.Error("the bubble of an own term shows a link to the glossary page, which lacks it")
	}
	check()
}
