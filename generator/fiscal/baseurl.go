package fiscal

import (
	"fmt"
	"net/url"
	"strings"
)

// BasePath returns the path of the base URL baseURL, ending in '/': "/"
// when it has none or does not parse. Pages and links live under it.
func BasePath(baseURL string) string {
	p := "/"
	if u, err := url.Parse(baseURL); err == nil && u.Path != "" {
		p = u.Path
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// ParseBaseURL checks the address a site is published at and returns it
// ending in '/'. It is either a full http(s) address, such as
// https://czj.example.gov.cn/yjsgk/, or a path from the host's root, such as
// /yjsgk/ (then pages have no canonical address and there is no sitemap.xml).
// Its path is the site's sub-path: every link, asset and sitemap entry lives
// under it. The error speaks to an editor, in Chinese.
func ParseBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "/", nil
	}
	u, err := url.Parse(s)
	if err != nil || strings.ContainsAny(s, " \t\\") {
		return "", fmt.Errorf("网址 %q 写法有误，应写成 https://域名/ 或 https://域名/子目录/", s)
	}
	switch {
	case u.Scheme == "" && u.Host == "":
		if !strings.HasPrefix(u.Path, "/") {
			return "", fmt.Errorf("网址 %q 应以 https:// 或 / 开头，例如 https://czj.example.gov.cn/yjsgk/", s)
		}
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("网址 %q 应以 https:// 或 http:// 开头", s)
	case u.Host == "":
		return "", fmt.Errorf("网址 %q 缺少域名", s)
	case u.User != nil:
		return "", fmt.Errorf("网址 %q 不能含用户名或密码", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return "", fmt.Errorf("网址 %q 不能含 ? 或 #", s)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	if strings.Contains(u.Path, "//") || strings.Contains(u.Path+"/", "/./") || strings.Contains(u.Path+"/", "/../") {
		return "", fmt.Errorf("网址 %q 的路径写法有误", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u.String(), nil
}
