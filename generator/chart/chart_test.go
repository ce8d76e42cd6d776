package chart

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/disclose/disclose/generator/fiscal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var wan = Money(fiscal.Wanyuan)

// w returns an amount in 分 from 万元 written as hundredths: w(296624) is
// 2966.24万元.
func w(hundredths int64) int64 { return hundredths * 10000 }

// goldenCharts are one or more charts of every kind, from the example's
// figures.
var goldenCharts = []struct {
	name string
	draw func() (Chart, error)
}{
	{"bars", func() (Chart, error) {
		return Bars(Spec{ID: "running", Title: "2020年机关运行经费预算", Quantity: wan}, Rank([]Item{
			{"办公费", w(1600)}, {"印刷费", w(452)}, {"差旅费", w(800)}, {"维修费", w(500)}, {"工会经费", w(703)},
			{"会议费", w(200)}, {"委托业务费", w(300)}, {"福利费", w(68)}, {"公务用车运行维护费", w(500)},
		}))
	}},
	{"bars-long-labels", func() (Chart, error) {
		return Bars(Spec{ID: "long", Title: "长名称", Quantity: wan}, []Item{
			{"一般公共服务（类）财政事务（款）行政运行（项）", w(123456)},
			{"社会保障和就业（类）行政事业单位离退休（款）归口管理的行政单位离退休（项）以及其他很长很长的名称", w(1000)},
			{"IT运维服务2024-A", w(50)},
		})
	}},
	{"bars-negative", func() (Chart, error) {
		return Bars(Spec{ID: "delta", Title: "增减额", Quantity: wan}, []Item{{"收入", w(-16897)}, {"支出", w(12000)}, {"三公", 0}})
	}},
	{"bars-count", func() (Chart, error) {
		return Bars(Spec{ID: "staff", Title: "人员编制", Quantity: Count("名")}, Rank([]Item{{"综合办公室", 11}, {"城市运管科", 9}, {"社会信用科", 5}}))
	}},
	{"grouped", func() (Chart, error) {
		return Grouped(Spec{ID: "sangong", Title: "2020年度“三公”经费预算与上年比较", Quantity: wan, Note: "上年数由公开的增减额推算。"},
			[2]Series{{"2019年预算（由增减额推算）", "上年"}, {"2020年预算", "本年"}},
			[]Group{{"因公出国（境）费", [2]int64{0, 0}}, {"公务接待费", [2]int64{w(60), w(420)}}, {"公务用车购置费", [2]int64{w(18190), 0}}, {"公务用车运行费", [2]int64{w(900), w(500)}}})
	}},
	{"stacked", func() (Chart, error) {
		return Stacked(Spec{ID: "nature", Title: "2020年支出预算构成", Quantity: wan}, []Item{{"基本支出", w(57224)}, {"项目支出", w(239400)}, {"上缴上级支出", 0}})
	}},
	{"stacked-fold", func() (Chart, error) {
		return Stacked(Spec{ID: "income", Title: "收入构成", Quantity: Money(fiscal.Yuan)}, []Item{
			{"一般公共预算拨款收入", 700000000}, {"政府性基金预算拨款收入", 49560000}, {"国有资本经营预算拨款收入", 1000000},
			{"事业收入", 3000000}, {"事业单位经营收入", 200000}, {"其他收入", 150000}, {"上年结转", 90000}, {"非税收入", 0},
		})
	}},
	{"line", func() (Chart, error) {
		return Line(Spec{ID: "trend", Title: "历年支出", Quantity: wan}, []string{"2021年", "2022年", "2023年", "2024年"}, []LineSeries{
			{"预算", []Point{{0, w(700000)}, {1, w(720000)}, {2, w(738963)}, {3, w(751874)}}},
			{"决算", []Point{{0, w(690000)}, {2, w(702149)}}},
		})
	}},
	{"treemap", func() (Chart, error) {
		return Treemap(Spec{ID: "kuan", Title: "2024年支出预算按功能分类（款）", Quantity: wan}, [2]string{"类", "款"}, []TreeGroup{
			{"城乡社区支出", []Item{{"城乡社区管理事务", w(526645)}, {"城乡社区公共设施", w(3350)}, {"城乡社区环境卫生", w(36064)}, {"其他城乡社区支出", w(49560)}}},
			{"社会保障和就业支出", []Item{{"行政事业单位养老支出", w(80413)}}},
			{"住房保障支出", []Item{{"住房改革支出", w(31272)}}},
			{"卫生健康支出", []Item{{"行政事业单位医疗", w(24570)}}},
		})
	}},
}

// TestGolden compares every kind of chart with its golden SVG and checks
// its layout. Run go test ./generator/chart -update to accept a change.
func TestGolden(t *testing.T) {
	for _, g := range goldenCharts {
		t.Run(g.name, func(t *testing.T) {
			c, err := g.draw()
			if err != nil {
				t.Fatal(err)
			}
			svg := parseSVG(t, c.SVG)
			checkLayout(t, c, Spec{ID: strings.TrimSuffix(svg.attr["aria-labelledby"], "-t"), Title: titleOf(svg)})
			file := filepath.Join("testdata", g.name+".svg")
			if *update {
				if err := os.WriteFile(file, []byte(c.SVG+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./generator/chart -update)", err)
			}
			if got := c.SVG + "\n"; !bytes.Equal([]byte(got), want) {
				t.Errorf("%s differs from %s (run go test ./generator/chart -update to accept)", g.name, file)
			}
			// The same series give the same bytes.
			again, _ := g.draw()
			if again.SVG != c.SVG {
				t.Error("drawing twice gives different markup")
			}
		})
	}
}

func titleOf(svg *node) string {
	for _, c := range svg.children {
		if c.name == "title" {
			return c.text
		}
	}
	return ""
}

func TestFindings(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"bars", "共9项，合计51.23万元。办公费最多，为16.00万元，占31.23%；其次是差旅费，为8.00万元，占15.62%。"},
		{"bars-negative", "共3项。最大的是支出，为120.00万元；最小的是收入，为-168.97万元。"},
		{"bars-count", "共3项，合计25名。综合办公室最多，为11名，占44.00%；其次是城市运管科，为9名，占36.00%。"},
		{"grouped", "4项合计：2020年预算9.20万元，2019年预算（由增减额推算）191.50万元，减少182.30万元，下降95.20%。变化最大的是公务用车购置费，由181.90万元减少到0.00万元。上年数由公开的增减额推算。"},
		{"stacked", "合计2,966.24万元。项目支出2,394.00万元，占80.71%；基本支出572.24万元，占19.29%；上缴上级支出为0。"},
		{"line", "预算：从2021年的7,000.00万元到2024年的7,518.74万元，增加518.74万元，增长7.41%。决算：从2021年的6,900.00万元到2023年的7,021.49万元，增加121.49万元，增长1.76%。"},
		{"treemap", "共4类7款，合计7,518.74万元。最大的类是城乡社区支出，为6,156.19万元，占81.88%；最大的款是城乡社区支出下的城乡社区管理事务，为5,266.45万元，占70.04%。"},
	}
	// Items apart (each body's own latest year) are not summed.
	apart, err := Bars(Spec{ID: "r", Title: "各部门最近一年支出", Quantity: Money(fiscal.Wanyuan), Apart: true},
		[]Item{{Label: "城市管理局（2024年预算）", Value: 7518740000}, {Label: "智慧城市中心（2020年预算）", Value: 2944240000}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "共2项。最大的是城市管理局（2024年预算），为7,518.74万元；最小的是智慧城市中心（2020年预算），为2,944.24万元。"; apart.Desc != want {
		t.Errorf("apart finding\n got %s\nwant %s", apart.Desc, want)
	}
	for _, tt := range tests {
		for _, g := range goldenCharts {
			if g.name == tt.name {
				c, err := g.draw()
				if err != nil {
					t.Fatal(err)
				}
				if c.Desc != tt.want {
					t.Errorf("%s finding\n got %s\nwant %s", tt.name, c.Desc, tt.want)
				}
			}
		}
	}
}

func TestNoData(t *testing.T) {
	s := Spec{ID: "x", Title: "x", Quantity: wan}
	for name, draw := range map[string]func() (Chart, error){
		"bars empty":     func() (Chart, error) { return Bars(s, nil) },
		"bars zero":      func() (Chart, error) { return Bars(s, []Item{{"a", 0}, {"b", 0}}) },
		"grouped zero":   func() (Chart, error) { return Grouped(s, [2]Series{{"a", ""}, {"b", ""}}, []Group{{"x", [2]int64{}}}) },
		"stacked zero":   func() (Chart, error) { return Stacked(s, []Item{{"a", 0}}) },
		"line one point": func() (Chart, error) { return Line(s, []string{"2020"}, []LineSeries{{"a", []Point{{0, 5}}}}) },
		"line all zero": func() (Chart, error) {
			return Line(s, []string{"1", "2"}, []LineSeries{{"a", []Point{{0, 0}, {1, 0}}}})
		},
		"treemap zero":    func() (Chart, error) { return Treemap(s, [2]string{}, []TreeGroup{{"a", []Item{{"b", 0}}}}) },
		"treemap no item": func() (Chart, error) { return Treemap(s, [2]string{}, nil) },
	} {
		if _, err := draw(); !errors.Is(err, ErrNoData) {
			t.Errorf("%s: err = %v, want ErrNoData", name, err)
		}
	}
	if _, err := Stacked(s, []Item{{"a", 5}, {"b", -1}}); !errors.Is(err, ErrNegative) {
		t.Errorf("stacked with a negative part: err = %v", err)
	}
	if _, err := Bars(Spec{Title: "no id", Quantity: wan}, []Item{{"a", 1}}); err == nil {
		t.Error("a chart without an ID was drawn")
	}
}

// cjk is a pool of characters for random Chinese labels, with the
// punctuation real labels carry.
var cjk = []rune("一般公共服务财政事务行政运行社会保障和就业卫生健康城乡社区环境住房改革公积金离退休医疗机关事业单位养老保险缴费（）“”、")

func randomLabel(r *rand.Rand, maxLen int) string {
	n := 1 + r.IntN(maxLen)
	var b strings.Builder
	for range n {
		switch r.IntN(12) {
		case 0:
			b.WriteString(string(rune('0' + r.IntN(10))))
		case 1:
			b.WriteString(string(rune('A' + r.IntN(26))))
		default:
			b.WriteRune(cjk[r.IntN(len(cjk))])
		}
	}
	return b.String()
}

// randomValue is an amount in 分 up to about a hundred 亿元, sometimes
// zero, sometimes negative when neg.
func randomValue(r *rand.Rand, neg bool) int64 {
	switch r.IntN(8) {
	case 0:
		return 0
	case 1:
		if neg {
			return -r.Int64N(1e12)
		}
	}
	return r.Int64N(1 << uint(8+r.IntN(32)))
}

// TestBarsProperties draws random bar charts of 1 to 40 items with labels
// of up to 30 Chinese characters, positive, negative and zero values, and
// checks that no text overlaps another or a bar, and that bar lengths are
// proportional to the values (read back from the SVG).
func TestBarsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 40; n++ {
		for trial := range 5 {
			// Magnitudes within a thousandth of the largest, so every
			// nonzero value has a bar to measure; zeros and (in odd
			// trials) negatives among them.
			vmax := 1 + r.Int64N(1e12)
			items := make([]Item, n)
			for i := range items {
				v := vmax/1000 + r.Int64N(vmax-vmax/1000+1)
				switch {
				case r.IntN(6) == 0:
					v = 0
				case trial%2 == 1 && r.IntN(3) == 0:
					v = -v
				}
				items[i] = Item{randomLabel(r, 30), v}
			}
			items[r.IntN(n)].Value = vmax
			unit := []fiscal.Unit{fiscal.Yuan, fiscal.Wanyuan, fiscal.Yiyuan}[r.IntN(3)]
			s := Spec{ID: "p", Title: "性质测试", Quantity: Money(unit)}
			c, err := Bars(s, items)
			if err != nil {
				t.Fatal(err)
			}
			l := checkLayout(t, c, s)
			checkProportional(t, l, items)
			if t.Failed() {
				t.Fatalf("n=%d trial=%d items=%v", n, trial, items)
			}
		}
	}
}

// checkProportional reads the bars and the zero line back and checks each
// bar starts at zero, points the value's way, and is as long as the value
// in proportion to the others, to rounding (a tenth of a unit).
func checkProportional(t *testing.T, l layout, items []Item) {
	t.Helper()
	zero := math.NaN()
	l.svg.walk(func(n *node) {
		if n.name == "path" && n.hasClass("axis") {
			// M<x> <y>V<y>…: every segment of the zero line at one x.
			x, _, _ := strings.Cut(strings.TrimPrefix(n.attr["d"], "M"), " ")
			zero, _ = strconv.ParseFloat(x, 64)
		}
	})
	if math.IsNaN(zero) {
		t.Fatal("no zero line")
	}
	var bars []*node
	for _, r := range l.rects {
		if r.hasClass("mark") {
			bars = append(bars, r)
		}
	}
	// Every nonzero item has a bar, in item order; the scale comes from
	// the longest.
	var vmax int64
	longest := 0.0
	for _, it := range items {
		vmax = max(vmax, abs64(it.Value))
	}
	for _, b := range bars {
		longest = max(longest, b.num(t, "width"))
	}
	scale := longest / float64(vmax)
	bi := 0
	for _, it := range items {
		if it.Value == 0 {
			continue
		}
		exact := float64(abs64(it.Value)) * scale
		if bi >= len(bars) {
			t.Fatalf("fewer bars (%d) than nonzero items", len(bars))
		}
		b := bars[bi]
		bi++
		x, wd := b.num(t, "x"), b.num(t, "width")
		// Each length is rounded once to a tenth (±0.05), and so is the
		// longest, which gives the scale (±0.05 more at most).
		if math.Abs(wd-exact) > 0.1+1e-9 {
			t.Errorf("bar of %d is %.1f long, want %.2f (±0.1)", it.Value, wd, exact)
		}
		if it.Value > 0 && math.Abs(x-zero) > 0.05 || it.Value < 0 && math.Abs(x+wd-zero) > 0.05 {
			t.Errorf("bar of %d spans %.1f–%.1f, zero at %.1f", it.Value, x, x+wd, zero)
		}
	}
}

// TestOtherKindsProperties draws random charts of the other kinds and
// checks the same layout promises.
func TestOtherKindsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		n := 1 + r.IntN(12)
		unit := Money([]fiscal.Unit{fiscal.Yuan, fiscal.Wanyuan}[r.IntN(2)])
		switch trial % 4 {
		case 0:
			groups := make([]Group, n)
			for i := range groups {
				groups[i] = Group{randomLabel(r, 30), [2]int64{randomValue(r, true), randomValue(r, true)}}
			}
			groups[0].Values[1] = 1 + r.Int64N(1e10)
			s := Spec{ID: "g", Title: "分组", Quantity: unit}
			c, err := Grouped(s, [2]Series{{randomLabel(r, 16), "上年"}, {randomLabel(r, 16), "本年"}}, groups)
			if err != nil {
				t.Fatal(err)
			}
			checkLayout(t, c, s)
		case 1:
			items := make([]Item, n)
			for i := range items {
				items[i] = Item{randomLabel(r, 30), randomValue(r, false)}
			}
			items[0].Value = 1 + r.Int64N(1e10)
			s := Spec{ID: "s", Title: "构成", Quantity: unit}
			c, err := Stacked(s, items)
			if err != nil {
				t.Fatal(err)
			}
			l := checkLayout(t, c, s)
			// The segments fill the bar exactly, each within a tenth of
			// its share.
			var total float64
			for _, r := range l.rects {
				if r.hasClass("mark") && r.num(t, "y") == 0 {
					total += r.num(t, "width")
				}
			}
			if math.Abs(total-Width) > 1e-6 {
				t.Errorf("segments add up to %v, want %d", total, Width)
			}
		case 2:
			years := 1 + r.IntN(15)
			var xs []string
			for y := range years {
				xs = append(xs, strconv.Itoa(2010+y)+"年")
			}
			var series []LineSeries
			for si := range 1 + r.IntN(2) {
				sr := LineSeries{Name: []string{"预算", "决算"}[si]}
				for x := range years {
					if r.IntN(5) > 0 {
						sr.Points = append(sr.Points, Point{x, randomValue(r, true)})
					}
				}
				series = append(series, sr)
			}
			s := Spec{ID: "l", Title: "趋势", Quantity: unit}
			c, err := Line(s, xs, series)
			if errors.Is(err, ErrNoData) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			checkLayout(t, c, s)
		case 3:
			var groups []TreeGroup
			for range n {
				g := TreeGroup{Label: randomLabel(r, 20)}
				for range 1 + r.IntN(6) {
					g.Items = append(g.Items, Item{randomLabel(r, 20), randomValue(r, false)})
				}
				groups = append(groups, g)
			}
			groups[0].Items[0].Value = 1 + r.Int64N(1e10)
			s := Spec{ID: "t", Title: "树图", Quantity: unit}
			c, err := Treemap(s, [2]string{"类", "款"}, groups)
			if err != nil {
				t.Fatal(err)
			}
			l := checkLayout(t, c, s)
			checkTreemap(t, l)
		}
		if t.Failed() {
			t.Fatalf("trial %d", trial)
		}
	}
}

// checkTreemap checks that the cells lie in the map and do not overlap.
func checkTreemap(t *testing.T, l layout) {
	t.Helper()
	var cells []box
	for _, r := range l.rects {
		if r.hasClass("mark") && r.num(t, "y") < treeHeight {
			x, y := r.num(t, "x"), r.num(t, "y")
			cells = append(cells, box{x, y, x + r.num(t, "width"), y + r.num(t, "height")})
		}
	}
	var area float64
	for i, a := range cells {
		if a.x0 < 0 || a.y0 < 0 || a.x1 > Width+1e-6 || a.y1 > treeHeight+1e-6 {
			t.Errorf("cell %v outside the map", a)
		}
		for _, b := range cells[i+1:] {
			if a.overlaps(b) {
				t.Errorf("cells %v and %v overlap", a, b)
			}
		}
		area += (a.x1 - a.x0) * (a.y1 - a.y0)
	}
	if area > Width*treeHeight+1 {
		t.Errorf("cells cover %v, more than the map", area)
	}
}

// TestWrap checks the line breaking of labels.
func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int // units
		max   int
		want  []string
		cut   bool
	}{
		{"基本支出", 100, 2, []string{"基本支出"}, false},
		{"一般公共服务（类）财政事务（款）行政运行（项）", 140, 2, []string{"一般公共服务（类）财", "政事务（款）行政运…"}, true},
		{"社会保障和就业支出", 70, 3, []string{"社会保障和", "就业支出"}, false},
		// Closing punctuation never starts a line; opening never ends one.
		{"因公出国（境）费", 84, 2, []string{"因公出国", "（境）费"}, false},
		{"因公出国（境）费用，其他", 112, 2, []string{"因公出国（境）费", "用，其他"}, false},
		// A number stays whole.
		{"IT运维服务2024年", 80, 2, []string{"IT运维服务", "2024年"}, false},
		{"", 100, 2, nil, false},
	}
	for _, tt := range tests {
		got, cut := wrap(tt.in, u(tt.width), 14, tt.max)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || cut != tt.cut {
			t.Errorf("wrap(%q, %d) = %q, %v; want %q, %v", tt.in, tt.width, got, cut, tt.want, tt.cut)
		}
		for _, l := range got {
			if textWidth(l, 14) > u(tt.width) {
				t.Errorf("wrap(%q): line %q is wider than %d", tt.in, l, tt.width)
			}
		}
	}
}

// FuzzWrap: every line fits, at most max lines, and the lines are the
// label (spaces folded) unless it was cut, when they are its start and
// end in “…”.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{"一般公共服务（类）财政事务（款）行政运行（项）", "IT 2024 运维", "（（（", "……", "a b  c", "\x00\xff"} {
		f.Add(s, 100)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = 20 + abs(width)%400
		lines, cut := wrap(s, u(width), 14, 2)
		if len(lines) > 2 {
			t.Fatalf("%d lines", len(lines))
		}
		for _, l := range lines {
			if textWidth(l, 14) > u(width) {
				t.Fatalf("line %q wider than %d", l, width)
			}
		}
		joined := strings.Join(lines, "")
		// Invalid UTF-8 becomes U+FFFD.
		norm := strings.ReplaceAll(strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " "), " ", "")
		if !cut && strings.ReplaceAll(joined, " ", "") != norm {
			t.Fatalf("lines %q lose text of %q", lines, s)
		}
		if cut && !strings.HasSuffix(joined, "…") {
			t.Fatalf("cut lines %q do not end in …", lines)
		}
	})
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// FuzzBars: any labels and values give well-formed SVG with the labels
// escaped and nothing overlapping.
func FuzzBars(f *testing.F) {
	f.Add("办公费", int64(16000000), "<script>&\"'", int64(-5))
	f.Add("", int64(0), "\x01\ufffe", int64(1))
	f.Fuzz(func(t *testing.T, a string, va int64, b string, vb int64) {
		va, vb = va%1e15, vb%1e15
		s := Spec{ID: "f", Title: a, Quantity: wan}
		if s.Title == "" {
			s.Title = "t"
		}
		c, err := Bars(s, []Item{{a, va}, {b, vb}})
		if errors.Is(err, ErrNoData) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		parseSVG(t, c.SVG)
		if strings.Contains(c.SVG, "<script") {
			t.Fatal("label not escaped")
		}
	})
}

// TestBarsRandomLayout draws bar charts of unconstrained random values
// (tiny beside huge, zeros, negatives) and checks the layout only.
func TestBarsRandomLayout(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		n := 1 + r.IntN(40)
		items := make([]Item, n)
		for i := range items {
			items[i] = Item{randomLabel(r, 30), randomValue(r, true)}
		}
		items[0].Value = 1 + r.Int64N(1e12)
		s := Spec{ID: "r", Title: "随机", Quantity: wan}
		c, err := Bars(s, items)
		if err != nil {
			t.Fatal(err)
		}
		checkLayout(t, c, s)
		if t.Failed() {
			t.Fatalf("trial %d: %v", trial, items)
		}
	}
}

// TestScaleRound holds the int64 path of scaleRound to the big one.
func TestScaleRound(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 5000 {
		num := r.Int64() >> uint(r.IntN(63))
		if r.IntN(2) == 0 {
			num = -num
		}
		mul := r.Int64N(1 << uint(1+r.IntN(40)))
		den := 1 + r.Int64N(1<<uint(1+r.IntN(62)))
		want := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(num), big.NewInt(mul)), big.NewInt(den))
		// Round half away from zero.
		f, _ := want.Float64()
		if math.Abs(f) > 1e18 {
			continue // no chart position is that far
		}
		got := scaleRound(num, mul, den)
		if math.Abs(float64(got)-f) > 0.5+1e-9*math.Abs(f) {
			t.Fatalf("scaleRound(%d, %d, %d) = %d, want ≈%v", num, mul, den, got, f)
		}
		if !productFits(num, mul) {
			continue
		}
		// The int64 path agrees with the big-integer one it stands in for.
		if big := scaleRoundBig(num, mul, den); got != big {
			t.Fatalf("scaleRound(%d, %d, %d) = %d, big path %d", num, mul, den, got, big)
		}
	}
}

// TestNiceAxisStep holds niceAxis's unsigned comparison to the big-integer
// one it replaced, extremes included.
func TestNiceAxisStep(t *testing.T) {
	reference := func(lo, hi int64, maxTicks int, minStep int64) int64 {
		lo, hi = min(lo, 0), max(hi, 0)
		if lo == hi {
			hi = lo + minStep
		}
		maxTicks = max(maxTicks, 1)
		span := new(big.Int).Sub(big.NewInt(hi), big.NewInt(lo))
		step := minStep
		for p := minStep; ; p *= 10 {
			found := false
			for _, m := range niceSteps {
				s := p * m
				if s <= 0 {
					found = true
					break
				}
				if new(big.Int).Mul(big.NewInt(s), big.NewInt(int64(maxTicks))).Cmp(span) >= 0 {
					step = s
					found = true
					break
				}
			}
			if found || p > (1<<62)/10 {
				break
			}
		}
		return step
	}
	ends := []int64{0, 1, -1, 99, 100, 101, -100, 12345678, math.MaxInt64, math.MinInt64, math.MaxInt64 / 2, math.MinInt64 / 2}
	r := rand.New(rand.NewPCG(11, 12))
	for range 3000 {
		ends = append(ends, r.Int64()>>uint(r.IntN(63)), -(r.Int64() >> uint(r.IntN(63))))
	}
	for i, lo := range ends {
		hi := ends[(i*7+3)%len(ends)]
		for _, ticks := range []int{0, 1, 4, 5, 7} {
			for _, minStep := range []int64{1, 100, 10000} {
				if got, want := niceAxis(lo, hi, ticks, minStep).step, reference(lo, hi, ticks, minStep); got != want {
					t.Fatalf("niceAxis(%d, %d, %d, %d).step = %d, want %d", lo, hi, ticks, minStep, got, want)
				}
			}
		}
	}
}

// textReference is writer.text as first written, rune by rune: the
// reference for the run-at-a-time one.
func textReference(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "一般公共预算", `a<b & "c" 'd'`, "\x00\t\n\r\x7f", "\xff\xfe", "\uFFFE\uFFFF\uFFFD", "2,966.24万元", "\xe4\xb8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var w writer
		w.text(s)
		if got, want := w.b.String(), textReference(s); got != want {
			t.Fatalf("text(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestPxString(t *testing.T) {
	reference := func(p px) string {
		neg := p < 0
		if neg {
			p = -p
		}
		s := strconv.FormatInt(int64(p/10), 10)
		if d := p % 10; d != 0 {
			s += "." + strconv.FormatInt(int64(d), 10)
		}
		if neg {
			return "-" + s
		}
		return s
	}
	for _, p := range []px{0, 1, -1, 9, 10, -10, 125, -31, 3600, math.MaxInt64, math.MinInt64 + 1} {
		if got, want := p.String(), reference(p); got != want {
			t.Errorf("px(%d).String() = %q, want %q", p, got, want)
		}
	}
}
