package check

import (
	"regexp"
	"slices"
	"testing"
)

func TestOtherYear(t *testing.T) {
	tests := []struct {
		title string
		want  int
	}{
		{"2024年部门收支总表", 0},
		{"2024 年度收入支出决算总表", 0},
		{"2023年部门收支总表", 2023},
		{"示例市城市管理局2023年度部门预算", 2023},
		{"国有资产占用情况（截至2023年12月31日）", 0},
		{"2022-2024年项目支出", 0},
		{"2022年至2024年项目支出", 0},
		{"2022—2024年度规划", 0},
		{"内设机构及人员编制", 0},
		{"2024年预算与2023年执行情况", 2023},
	}
	for _, tt := range tests {
		if got := otherYear(tt.title, 2024); got != tt.want {
			t.Errorf("otherYear(%q, 2024) = %d, want %d", tt.title, got, tt.want)
		}
	}
}

// FuzzTitleYears holds titleYears to the regular expression it stands for.
func FuzzTitleYears(f *testing.F) {
	for _, s := range []string{"2024年部门收支总表", "2024 \t年度", "12345年", "2022-2024年", "年2024年年", "\xe52024年", "２０２４年"} {
		f.Add(s)
	}
	re := regexp.MustCompile(`(\d{4})\s*年`)
	f.Fuzz(func(t *testing.T, s string) {
		var got [][]int
		titleYears(s, func(start, end, digits int) bool {
			got = append(got, []int{start, end, start, digits})
			return true
		})
		if want := re.FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("titleYears(%q) = %v, want %v", s, got, want)
		}
	})
}

// FuzzComparedYears holds comparedYears to the regular expression it
// stands for.
func FuzzComparedYears(f *testing.F) {
	for _, s := range []string{"比2019年度增加", "较 2020 年", "与2019年相比，同比2018年", "比12024年", "比较2019年", "2019年比2018年"} {
		f.Add(s)
	}
	re := regexp.MustCompile(`(?:比|较|与|同比)\s*(\d{4})\s*年`)
	f.Fuzz(func(t *testing.T, s string) {
		var got [][]int
		comparedYears(s, func(start, end, digits int) {
			got = append(got, []int{start, end, digits})
		})
		var want [][]int
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			want = append(want, []int{m[2], m[1], m[3]})
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("comparedYears(%q) = %v, want %v", s, got, want)
		}
	})
}
