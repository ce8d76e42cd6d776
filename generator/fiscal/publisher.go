package fiscal

import (
	"net/url"
	"strings"
)

// ICPURL is where an ICP filing number links: the national record.
func (p Publisher) ICPURL() string { return "https://beian.miit.gov.cn/" }

// PublicSecURL is where the 公安机关备案号 links: PublicSecLink if the site
// set one, else the national record's page for the number's digits
// (辽公网安备 21110202000123号 → …?code=21110202000123); "" without a number.
func (p Publisher) PublicSecURL() string {
	if p.PublicSecLink != "" {
		return p.PublicSecLink
	}
	var digits strings.Builder
	for _, c := range p.PublicSec {
		if c >= '0' && c <= '9' {
			digits.WriteRune(c)
		}
	}
	if digits.Len() == 0 {
		return ""
	}
	return "https://beian.mps.gov.cn/#/query/webSearch?code=" + digits.String()
}

// ConacURL is where the 党政机关网站标识 links: the registry's page for the
// site's id; "" without one.
func (p Publisher) ConacURL() string {
	if p.ConacID == "" {
		return ""
	}
	return "https://bszs.conac.cn/sitename?method=show&id=" + url.QueryEscape(p.ConacID)
}
