package indicators

import "strings"

// shorteners are hosts of public URL-shortening services. A link on one of
// them hides its destination; it is listed as "not resolved" because this
// package never looks anything up on the network.
var shorteners = map[string]bool{
	"2.gy": true, "a.co": true, "adf.ly": true, "amzn.eu": true, "amzn.to": true, "bit.do": true,
	"bit.ly": true, "bitly.com": true, "bl.ink": true, "buff.ly": true, "clck.ru": true, "cli.re": true,
	"cutt.ly": true, "db.tt": true, "dlvr.it": true, "fb.me": true, "goo.gl": true, "goo.su": true,
	"ift.tt": true, "is.gd": true, "lnkd.in": true, "mcaf.ee": true, "ow.ly": true, "po.st": true,
	"qps.ru": true, "qr.ae": true, "rb.gy": true, "rebrand.ly": true, "s.id": true, "short.gy": true,
	"shorte.st": true, "shorturl.at": true, "surl.li": true, "t.co": true, "t.ly": true, "tiny.cc": true,
	"tiny.one": true, "tinyurl.com": true, "tr.im": true, "trib.al": true, "u.to": true, "urlz.fr": true,
	"v.gd": true, "vk.cc": true, "x.co": true,
}

// IsShortener reports whether a normalised host is a known URL shortener.
func IsShortener(host string) bool {
	return shorteners[strings.TrimPrefix(host, "www.")]
}
