package fiscal

import (
	"strings"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"", "/", ""},
		{"/", "/", ""},
		{"/yjsgk", "/yjsgk/", ""},
		{"https://yjsgk.example.gov.cn", "https://yjsgk.example.gov.cn/", ""},
		{"https://czj.example.gov.cn/yjsgk", "https://czj.example.gov.cn/yjsgk/", ""},
		{" https://czj.example.gov.cn/yjsgk/ ", "https://czj.example.gov.cn/yjsgk/", ""},
		{"http://127.0.0.1:8080/a/b/", "http://127.0.0.1:8080/a/b/", ""},
		{"yjsgk/", "", "应以 https:// 或 / 开头"},
		{"ftp://x.gov.cn/", "", "应以 https:// 或 http:// 开头"},
		{"https:///x/", "", "缺少域名"},
		{"https://u:p@x.gov.cn/", "", "用户名"},
		{"https://x.gov.cn/?a=1", "", "不能含 ? 或 #"},
		{"https://x.gov.cn/#top", "", "不能含 ? 或 #"},
		{"https://x.gov.cn/a//b/", "", "路径写法有误"},
		{"https://x.gov.cn/a/../b/", "", "路径写法有误"},
		{"https://x.gov.cn/a b/", "", "写法有误"},
	}
	for _, tt := range tests {
		got, err := ParseBaseURL(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseBaseURL(%q) = %q, %v; want error with %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParseBaseURL: any text is accepted or refused without a panic, and
// what is accepted is accepted again unchanged.
func FuzzParseBaseURL(f *testing.F) {
	for _, s := range []string{"", "/", "https://czj.example.gov.cn/yjsgk", "http://127.0.0.1:8080/a b/", "//x/", "https://x/%zz/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseBaseURL(s)
		if err != nil {
			return
		}
		again, err := ParseBaseURL(u)
		if err != nil || again != u || !strings.HasSuffix(u, "/") {
			t.Fatalf("ParseBaseURL(%q) = %q; again %q, %v", s, u, again, err)
		}
	})
}
