package generator_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/disclose/disclose/generator/browsertest"
	"github.com/disclose/disclose/generator/publish"
)

// Browser tests of the charts (must-show 4 of issue 5): disclosure pages
// in Debian's chromium at a phone's width (375 px) and a desktop's (1280
// px), built as the CLI publishes them (minified) and served under
// Content-Security-Policy: default-src 'self'.
//
// The full-page screenshots are kept as test artifacts: in the folder
// $DISCLOSE_ARTIFACTS if set, else in the test's temporary folder; the
// test logs their paths. They are never in git.

// chartPages are a page with the 盘锦 lists' charts and one with every
// kind of chart of the standard tables.
var chartPages = []string{"/panjin-zhcs/2020/budget/", "/demo-00005-cgj/2024/budget/", "/demo-00005-cgj/", "/"}

// chartReport is what the page says of its charts.
type chartReport struct {
	ClientWidth, ScrollWidth float64
	Charts                   []struct {
		ID          string
		Left, Right float64
		// MinText is the smallest text of the chart as rendered, in CSS px.
		MinText float64
		// Overlaps lists pairs of texts whose rendered boxes overlap, and
		// Outside texts that leave the chart.
		Overlaps, Outside []string
		Texts             int
	}
}

// chartJS measures every chart: its box, its smallest rendered text, and
// its texts' boxes in the real font: the width the browser laid out
// (getBBox), the height of the em box around the baseline.
const chartJS = `(() => {
	const out = {ClientWidth: document.documentElement.clientWidth, ScrollWidth: document.documentElement.scrollWidth, Charts: []};
	for (const svg of document.querySelectorAll('svg.chart-svg')) {
		const r = svg.getBoundingClientRect();
		const vb = svg.viewBox.baseVal;
		const scale = r.width / vb.width;
		const c = {ID: svg.closest('figure').id, Left: r.left, Right: r.right, MinText: 1e9, Overlaps: [], Outside: [], Texts: 0};
		const boxes = [];
		for (const t of svg.querySelectorAll('text')) {
			const fs = parseFloat(getComputedStyle(t).fontSize);
			c.MinText = Math.min(c.MinText, fs * scale);
			const b = t.getBBox();
			const y = t.y.baseVal[0].value;
			const box = {x0: b.x, x1: b.x + b.width, y0: y - 0.88 * fs, y1: y + 0.12 * fs, s: t.textContent, onMark: t.classList.contains('on-mark')};
			if (box.x0 < -0.5 || box.x1 > vb.width + 0.5 || box.y0 < -0.5 || box.y1 > vb.height + 0.5) {
				c.Outside.push(box.s + ' ' + [box.x0, box.y0, box.x1, box.y1].map(v => v.toFixed(1)).join(','));
			}
			for (const o of boxes) {
				if (box.x0 < o.x1 - 0.5 && o.x0 < box.x1 - 0.5 && box.y0 < o.y1 - 0.5 && o.y0 < box.y1 - 0.5) {
					c.Overlaps.push(o.s + ' / ' + box.s);
				}
			}
			boxes.push(box);
		}
		c.Texts = boxes.length;
		out.Charts.push(c);
	}
	return out;
})()`

// TestChartsInBrowser loads the pages at both widths and checks that every
// chart lies inside the viewport, that nothing scrolls sideways, that no
// chart text is smaller than 12 px, that no two texts of a chart overlap in
// the real fonts and none leaves its chart, and that nothing breaks the CSP.
func TestChartsInBrowser(t *testing.T) {
	// The example as the CLI publishes it: minified (inline SVG too).
	sink := publish.NewMapSink()
	publishedBuild(t, os.DirFS(".."), sink, "")
	site := serve(t, sink)
	dir := os.Getenv("DISCLOSE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{375, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := browsertest.New(t, browsertest.Options{Width: width, Height: 900})
			flush := watchConsole(t, ctx)
			for _, page := range chartPages {
				do(t, ctx, chromedp.Navigate(site+page))
				rep := eval[chartReport](t, ctx, chartJS)
				if rep.ScrollWidth > rep.ClientWidth {
					t.Errorf("%s at %d px scrolls sideways: %v wide in %v", page, width, rep.ScrollWidth, rep.ClientWidth)
				}
				if len(rep.Charts) == 0 {
					t.Errorf("%s has no charts", page)
				}
				minText, texts := 1e9, 0
				for _, c := range rep.Charts {
					minText = min(minText, c.MinText)
					texts += c.Texts
					if c.Left < 0 || c.Right > rep.ClientWidth {
						t.Errorf("%s %s spans %.0f–%.0f px, outside the %v px viewport", page, c.ID, c.Left, c.Right, rep.ClientWidth)
					}
					if c.MinText < 12 {
						t.Errorf("%s %s: text rendered at %.1f px, under 12", page, c.ID, c.MinText)
					}
					for _, o := range c.Overlaps {
						t.Errorf("%s %s: texts overlap in the browser: %s", page, c.ID, o)
					}
					for _, o := range c.Outside {
						t.Errorf("%s %s: text leaves the chart: %s", page, c.ID, o)
					}
				}
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.Join(dir, fmt.Sprintf("charts-%d-%s.png", width, strings.Trim(strings.ReplaceAll(page, "/", "-"), "-")+"index"))
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s at %d px: %d charts, %d texts, smallest %.1f px; page %v px wide in a %v px viewport; screenshot %s",
					page, width, len(rep.Charts), texts, minText, rep.ScrollWidth, rep.ClientWidth, name)
			}
			flush()
		})
	}
}

// TestChartsForcedColors: in forced-colors mode (Windows high contrast)
// the marks take the system's text colour, the second series is hollow,
// and text on a mark the background colour, so every chart stays legible
// whatever the palette.
func TestChartsForcedColors(t *testing.T) {
	site := serveExample(t)
	ctx := browsertest.New(t, browsertest.Options{Width: 1280, Height: 900})
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}}})
		return err
	}), chromedp.Navigate(site+"/demo-00005-cgj/2024/budget/"))
	type colours struct {
		Active                                          bool
		Text, Canvas, Mark, Alt, AltStroke, OnMark, Sep string
	}
	got := eval[colours](t, ctx, `(() => {
		const cs = s => { const e = document.querySelector(s); return e ? getComputedStyle(e) : {}; };
		const probe = document.createElement('div');
		probe.style.cssText = '';
		return {
			Active: matchMedia('(forced-colors: active)').matches,
			Text: getComputedStyle(document.body).color,
			Canvas: getComputedStyle(document.documentElement).backgroundColor,
			Mark: cs('#chart-机关运行经费 rect.mark').fill,
			Alt: cs('#chart-三公 rect.mark-alt').fill,
			AltStroke: cs('#chart-三公 rect.mark-alt').stroke,
			OnMark: cs('#chart-支出构成 text.on-mark').fill,
			Sep: cs('#chart-支出构成 .sep').stroke,
		};
	})()`)
	if !got.Active {
		t.Skip("this chromium cannot emulate forced colors")
	}
	if got.Mark != got.Text || got.AltStroke != got.Text || got.Alt == got.Mark || got.OnMark == got.Mark || got.Sep == got.Mark {
		t.Errorf("forced colours: %+v", got)
	}
	t.Logf("forced colours: marks %s, hollow second series %s/%s, text on marks %s, separators %s", got.Mark, got.Alt, got.AltStroke, got.OnMark, got.Sep)
}
